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
}
