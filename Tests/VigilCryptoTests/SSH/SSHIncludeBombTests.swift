import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// A configuration that includes itself many times per file must end in an error quickly,
/// once a limit (depth or file count) is met, not after millions of include attempts.
final class SSHIncludeBombTests: XCTestCase {
    func testSelfIncludingFileWithManyIncludeLinesEndsQuicklyInAnError() throws {
        let f = try SSHFixture()
        // 30,000 include lines (about 0.9 MB, under the 1 MiB file limit): without a stop at
        // the first limit, each of the 256 files read tries all of them (7.7 million includes).
        try f.write("root/etc/ssh/sshd_config", String(repeating: "Include /etc/ssh/sshd_config\n", count: 30_000) + "PermitRootLogin no\n")
        let target = try RootTarget(f.dir + "/root")
        let start = Date()
        let v = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: target)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(v.result, .error)
        XCTAssertTrue(v.message?.contains("too many recursive configuration includes") == true, "\(v)")
        XCTAssertLessThan(elapsed, 10, "an include bomb took \(elapsed) s")
        let parsed = SSHConfigReader.read("/etc/ssh/sshd_config", target: target, server: true)
        XCTAssertLessThanOrEqual(parsed.problems.count, 10, "one problem per refused include, not millions")
    }

    func testALongUnknownKeywordGivesAShortMessage() throws {
        let f = try SSHFixture()
        try f.write("root/etc/ssh/sshd_config", String(repeating: "X", count: 10_000) + " yes\nPermitRootLogin no\n")
        let v = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: try RootTarget(f.dir + "/root"))
        XCTAssertEqual(v.result, .error)
        XCTAssertTrue(v.message?.hasPrefix("sshd refuses this configuration: /etc/ssh/sshd_config:1: Bad configuration option: XXX") == true, "\(v.message?.prefix(100) ?? "")")
        XCTAssertLessThanOrEqual(v.message?.count ?? 0, 200)
    }

    func testAnIncludeGlobPastTheLimitIsAnErrorNotTheDefault() throws {
        let f = try SSHFixture()
        // 1,100 directories sort before the one file that sets a weak cipher; sshd reads it
        // (OpenSSH 9.2's default ciphers are all allowed: only that file can fail the rule).
        for i in 0..<1100 { try FileManager.default.createDirectory(atPath: "\(f.dir)/root/etc/ssh/d/a\(1000 + i)", withIntermediateDirectories: true) }
        try f.write("root/etc/ssh/d/zz.conf", "Ciphers 3des-cbc\n")
        try f.write("root/etc/ssh/sshd_config", "Include /etc/ssh/d/*\n")
        let v = try SSHFixture.verdict("sshd_config", [("keyword", ["ciphers"]), ("allowed", ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com"]), ("openssh_version", ["9.2"])],
                                       target: try RootTarget(f.dir + "/root"))
        XCTAssertNotEqual(v.result, .pass, "\(v)")
        XCTAssertEqual(v.result, .error, "\(v)")
        XCTAssertTrue(v.message?.contains("Include /etc/ssh/d/* matches more than 1024 names") == true, "\(v)")
    }
}
