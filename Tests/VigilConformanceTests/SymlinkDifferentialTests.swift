import Foundation
import XCTest

/// The `symlink` check kind (OVAL `unix:symlink_test`), evaluated by oscap and Vigil on
/// a root whose crypto-policies back-ends are links, overrides and dangling links.
final class SymlinkDifferentialTests: XCTestCase {
    static let fips = "/usr/share/crypto-policies/FIPS"
    static let checks: [(id: String, check: String, expected: String)] = [
        ("good", "{path: /etc/crypto-policies/back-ends/openssh.config, target: \(fips)/openssh.txt}", "pass"),
        ("relative", "{path: /etc/crypto-policies/back-ends/gnutls.config, target: \(fips)/gnutls.txt}", "pass"),
        ("chain", "{path: /etc/crypto-policies/back-ends/nss.config, target: \(fips)/nss.txt}", "pass"),
        ("wrong_target", "{path: /etc/crypto-policies/back-ends/libssh.config, target: \(fips)/libssh.txt}", "fail"),
        ("pattern", "{path: /etc/crypto-policies/back-ends/openssh.config, target_pattern: '^/usr/share/crypto-policies/FIPS/[^/]+$'}", "pass"),
        ("pattern_wrong", "{path: /etc/crypto-policies/back-ends/libssh.config, target_pattern: '^/usr/share/crypto-policies/FIPS/'}", "fail"),
        ("regular_file", "{path: /etc/crypto-policies/back-ends/opensslcnf.config, target: \(fips)/opensslcnf.txt}", "fail"),
        ("regular_file_missing_pass", "{path: /etc/crypto-policies/back-ends/opensslcnf.config, target: \(fips)/opensslcnf.txt, missing: pass}", "fail"),
        ("directory_missing_pass", "{path: /etc/crypto-policies/back-ends/krb5.config, target: \(fips)/krb5.txt, missing: pass}", "fail"),
        ("absent", "{path: /etc/crypto-policies/back-ends/java.config, target: \(fips)/java.txt}", "fail"),
        ("absent_missing_pass", "{path: /etc/crypto-policies/back-ends/java.config, target: \(fips)/java.txt, missing: pass}", "pass"),
        ("dangling", "{path: /etc/crypto-policies/back-ends/bind.config, target: \(fips)/bind.txt}", "error"),
    ]

    func testSymlinkChecksAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("links"), root = work.appendingPathComponent("root")
        var files = ["links/benchmark.yaml": "id: links\ntitle: Links\nversion: \"1\"\ndescription: d\n"]
        for c in Self.checks { files["links/\(c.id).yaml"] = "id: \(c.id)\ntitle: \(c.id)\nseverity: high\ndescription: d\ncheck:\n  symlink: \(c.check)\n" }
        for name in ["openssh", "gnutls", "nss", "libssh", "opensslcnf"] {
            files["root\(Self.fips)/\(name).txt"] = "\(name)\n"
            files["root/usr/share/crypto-policies/DEFAULT/\(name).txt"] = "\(name)\n"
        }
        files["root/etc/crypto-policies/back-ends/opensslcnf.config"] = "override\n"
        for (path, text) in files {
            let url = work.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let backends = root.path + "/etc/crypto-policies/back-ends"
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: backends + "/openssh.config", withDestinationPath: "\(Self.fips)/openssh.txt")
        try fm.createSymbolicLink(atPath: backends + "/gnutls.config", withDestinationPath: "../../../usr/share/crypto-policies/FIPS/gnutls.txt")
        try fm.createSymbolicLink(atPath: root.path + "/etc/crypto-policies/nss-link", withDestinationPath: "\(Self.fips)/nss.txt")
        try fm.createSymbolicLink(atPath: backends + "/nss.config", withDestinationPath: "/etc/crypto-policies/nss-link")
        try fm.createSymbolicLink(atPath: backends + "/libssh.config", withDestinationPath: "/usr/share/crypto-policies/DEFAULT/libssh.txt")
        try fm.createSymbolicLink(atPath: backends + "/bind.config", withDestinationPath: "\(Self.fips)/bind.txt")
        try fm.createDirectory(atPath: backends + "/krb5.config", withIntermediateDirectories: true)

        let ds = work.appendingPathComponent("links-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let v = try Shell.run(t.oscap, ["ds", "sds-validate", ds])
        XCTAssertEqual(v.status, 0, "oscap ds sds-validate: \(v.stdout)\(v.stderr)")
        let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: "links")
        XCTAssertEqual(run.status, 0, "oscap and vigil differ:\n\(run.output)")
        XCTAssertTrue(run.output.contains("(100.0%)"), run.output)
        let vigil = try DifferentialRun.results(in: run.candidate)
        for c in Self.checks { XCTAssertEqual(vigil["xccdf_io.vigil_rule_\(c.id)"], c.expected, c.id) }
    }
}
