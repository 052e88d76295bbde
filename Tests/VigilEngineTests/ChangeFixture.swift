import Foundation
import VigilEngine
import VigilStore
import XCTest

/// A Vigil YAML rule folder and an offline root for the change-driven scan tests: rules
/// that read one file each, two that read the same file, one that lists a directory,
/// one for a file that must not exist.
enum ChangeFixture {
    static let ns = "xccdf_io.vigil.change_rule_"

    static let rules: [String: String] = [
        "benchmark.yaml": "id: change\nnamespace: io.vigil.change\ntitle: Change\nversion: \"1\"\ndescription: For tests.\n",
        "sshd_root.yaml": rule("sshd_root", "key_value: {files: [/etc/ssh/sshd_config], key: PermitRootLogin, value: \"no\"}"),
        "sshd_max_tries.yaml": rule("sshd_max_tries", "key_value: {files: [/etc/ssh/sshd_config], key: MaxAuthTries, at_most: \"4\"}"),
        "host_keys.yaml": rule("host_keys", "file: {path: /etc/ssh, name_pattern: '^ssh_host_.*_key$', mode: \"0600\", missing: pass}"),
        "shadow_mode.yaml": rule("shadow_mode", "file: {path: /etc/shadow, mode: \"0640\"}"),
        "no_hosts_equiv.yaml": rule("no_hosts_equiv", "file: {path: /etc/hosts.equiv, exists: false}"),
        "sshd_ciphers.yaml": rule("sshd_ciphers", "sshd_config: {keyword: Ciphers, allowed: [aes256-ctr, aes128-ctr]}"),
        "issue_text.yaml": rule("issue_text", "line: {files: [/etc/issue], pattern: '(?i)authorized'}"),
        "login_defs.yaml": rule("login_defs", "key_value: {files: [/etc/login.defs], key: PASS_MAX_DAYS, at_least: \"1\", at_most: \"60\"}"),
    ]

    static func rule(_ id: String, _ check: String) -> String {
        "id: \(id)\ntitle: \(id)\nseverity: medium\ndescription: \(id)\ncheck:\n  \(check)\n"
    }

    /// Writes the folder and a root; returns (work directory, rule folder, root).
    static func write() throws -> (dir: String, rules: String, root: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-change-\(UUID().uuidString)").path
        for (path, text) in rules { try put(dir + "/rules/" + path, text) }
        let root = dir + "/root"
        try put(root + "/etc/ssh/sshd_config", "Port 22\nPermitRootLogin no\nMaxAuthTries 3\nCiphers aes256-ctr\n")
        try put(root + "/etc/ssh/ssh_host_ed25519_key", "key\n", mode: 0o600)
        try put(root + "/etc/shadow", "root:*:19000:0:99999:7:::\n", mode: 0o640)
        try put(root + "/etc/issue", "Authorized uses only.\n")
        try put(root + "/etc/login.defs", "PASS_MAX_DAYS 60\n")
        return (dir, dir + "/rules", root)
    }

    /// Writes `text` at `path` (its folders made), with `mode`.
    static func put(_ path: String, _ text: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    /// Scan options for `content` against `root`, stored in `dir`/vigil.db, footprint recorded.
    static func options(_ content: String, root: String, dir: String) -> ScanOptions {
        var o = ScanOptions(vigilVersion: "test")
        o.content = content
        o.root = root
        o.jobs = 2
        o.store = dir + "/vigil.db"
        o.recordFootprint = true
        return o
    }

    /// The parts of two records a full scan and a partial rescan of the same state must share.
    static func assertSameVerdicts(_ a: ScanRecord, _ b: ScanRecord, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rules.count, b.rules.count, "rule results", file: file, line: line)
        for (x, y) in zip(a.rules, b.rules) where x != y {
            XCTFail("\(x.ruleID): \(x.result) \(x.evidence ?? "") / \(y.ruleID): \(y.result) \(y.evidence ?? "")", file: file, line: line)
        }
        XCTAssertEqual(a.counts, b.counts, "counts", file: file, line: line)
        XCTAssertEqual(a.score, b.score, "score", file: file, line: line)
        XCTAssertEqual(a.scoreMax, b.scoreMax, "score maximum", file: file, line: line)
        XCTAssertEqual(a.scoreSystem, b.scoreSystem, file: file, line: line)
    }
}
