import Foundation
import XCTest

/// A `vigil watch` child process whose standard error is read while it runs, and a YAML
/// rule folder fixture for it (`rule1`...: each passes while `/etc/ruleN` exists under the root).
final class WatchChild: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var errText = ""

    /// Starts `vigil ARGS` with `environment` on top of this process's.
    init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: ImageCommand.vigil)
        process.arguments = args
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// What it wrote to standard error so far.
    var stderr: String { lock.withLock { errText } }

    /// The log lines holding ` event=NAME ` so far.
    func events(_ name: String) -> [String] { stderr.split(separator: "\n").map(String.init).filter { $0.contains(" event=\(name) ") } }

    /// Waits until standard error holds `count` lines for which `match` holds; fails after `timeout` seconds.
    @discardableResult
    func waitFor(_ what: String, count: Int = 1, timeout: TimeInterval = 20, _ match: @escaping (String) -> Bool) throws -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found = stderr.split(separator: "\n").map(String.init).filter(match)
            if found.count >= count { return found }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        throw Timeout(description: "no \(what) within \(Int(timeout))s; standard error:\n\(stderr)")
    }

    /// A line that did not come in time.
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `signal` and waits for the exit (at most `timeout` seconds); the exit status.
    func stop(_ signals: [Int32] = [SIGTERM], timeout: TimeInterval = 20) -> Int32 {
        for (i, s) in signals.enumerated() {
            if i > 0 { Thread.sleep(forTimeInterval: 0.1) }
            kill(process.processIdentifier, s)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Writes the rule folder (`count` rules) and a root where every rule passes, under `dir`.
    static func fixture(in dir: URL, rules count: Int) throws -> (rules: String, root: String) {
        let rules = dir.appendingPathComponent("rules").path, root = dir.appendingPathComponent("root").path
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try "id: watch\ntitle: Watch\nversion: '1'\n".write(toFile: rules + "/benchmark.yaml", atomically: true, encoding: .utf8)
        for n in 1...count {
            try "id: rule\(n)\ntitle: Rule \(n)\nseverity: high\ndescription: A file exists.\ncheck:\n  file:\n    path: /etc/rule\(n)\n"
                .write(toFile: rules + "/rule\(n).yaml", atomically: true, encoding: .utf8)
            FileManager.default.createFile(atPath: root + "/etc/rule\(n)", contents: Data())
        }
        return (rules, root)
    }

    /// The stored scans, as `vigil history --format json` lists them.
    static func history(_ db: String) throws -> [[String: Any]] {
        let out = try ImageCommand.run(ImageCommand.vigil, ["history", "--db", db, "--format", "json"])
        guard out.status == 0 else { return [] }
        return try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]] ?? []
    }

    /// How many rule results a listed scan holds.
    static func results(_ scan: [String: Any]) -> Int {
        (scan["counts"] as? [String: Int])?.values.reduce(0, +) ?? 0
    }
}
