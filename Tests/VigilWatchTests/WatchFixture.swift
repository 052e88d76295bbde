import Foundation
import VigilEngine
import XCTest

/// A YAML rule folder of `rules` file-exists rules (`rule1`...: each passes while
/// `/etc/ruleN` exists under the root), a root directory, and a store, in a fresh
/// temporary directory.
struct WatchFixture {
    let dir: String
    let rules: String
    let root: String
    let db: String

    init(rules count: Int = 3, rootName: String = "root") throws {
        dir = NSTemporaryDirectory() + "vigil-watch-" + UUID().uuidString
        rules = dir + "/rules"
        root = dir + "/" + rootName
        db = dir + "/vigil.db"
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try "id: watch\ntitle: Watch\nversion: '1'\n".write(toFile: rules + "/benchmark.yaml", atomically: true, encoding: .utf8)
        for n in 1...count {
            let severity = ["low", "medium", "high"][n % 3]
            try "id: rule\(n)\ntitle: Rule \(n)\nseverity: \(severity)\ndescription: A file exists.\ncheck:\n  file:\n    path: /etc/rule\(n)\n"
                .write(toFile: rules + "/rule\(n).yaml", atomically: true, encoding: .utf8)
            try setFile(n, present: true)
        }
    }

    /// Makes rule `n` pass (the file exists) or fail.
    func setFile(_ n: Int, present: Bool) throws {
        let path = root + "/etc/rule\(n)"
        if present { FileManager.default.createFile(atPath: path, contents: Data()) } else { try FileManager.default.removeItem(atPath: path) }
    }

    /// The scan session over the fixture, stored in its database.
    var session: ScanSession {
        var options = ScanOptions(vigilVersion: "test")
        options.content = rules
        options.root = root
        options.jobs = 1
        options.store = db
        return ScanSession(options)
    }

    /// The full id of rule `n`.
    static func ruleID(_ n: Int) -> String { "xccdf_io.vigil_rule_rule\(n)" }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}
