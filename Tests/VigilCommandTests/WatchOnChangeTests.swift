import Foundation
import XCTest

/// `vigil watch --on-change` as a real child process: an edit between the scheduled scans
/// is rescanned (only the rules it touched) within 2 s and stored as a complete scan.
final class WatchOnChangeTests: XCTestCase {
    func testAnEditIsAStoredRegressionWithinTwoSeconds() throws {
        let dir = try ImageCommand.tempDir("watch-change")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (rules, root) = try WatchChild.fixture(in: dir, rules: 4)
        let db = dir.appendingPathComponent("vigil.db").path
        let child = try WatchChild(["watch", rules, "--root", root, "--db", db, "--every", "1h", "--on-change"])
        defer { _ = child.stop() }
        let first = try child.waitFor("the first scan") { $0.contains(" event=scan ") }[0]
        XCTAssertTrue(first.contains("pass=4") && first.contains("regressions=0"), first)
        // A file no rule reads changes nothing.
        FileManager.default.createFile(atPath: root + "/etc/unrelated", contents: Data("x".utf8))
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(child.events("scan").count, 1, child.stderr)

        let edited = Date()
        try FileManager.default.removeItem(atPath: root + "/etc/rule2")
        let second = try child.waitFor("the rescan", count: 2, timeout: 10) { $0.contains(" event=scan ") }[1]
        let latency = Date().timeIntervalSince(edited)
        XCTAssertLessThan(latency, 2.0, "edit to stored rescan: \(latency) s\n\(child.stderr)")
        XCTAssertTrue(second.contains(" trigger=change ") && second.contains(" rescanned=1 "), second)
        for field in ["fail=1", "pass=3", "regressions=1", "regressed=xccdf_io.vigil_rule_rule2", "scan_id=2"] {
            XCTAssertTrue(second.split(separator: " ").contains(Substring(field)), "\(field) in \(second)")
        }
        // Stored as a complete scan: all four rules, and drift sees the regression.
        XCTAssertEqual(try WatchChild.history(db).map(WatchChild.results), [4, 4])
        let drift = try ImageCommand.run(ImageCommand.vigil, ["drift", "--db", db, "--format", "json"])
        XCTAssertTrue(drift.stdout.contains("xccdf_io.vigil_rule_rule2"), drift.stdout)
        XCTAssertEqual(child.stop(), 0, child.stderr)
    }

    /// kill -9 while a change-driven rescan is being stored (slowed by the store's test
    /// hook): the stored scan is whole, the rescan is not there at all, and the next watch
    /// stores on top of it.
    func testAKillDuringARescanLosesOnlyThatScan() throws {
        let dir = try ImageCommand.tempDir("watch-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (rules, root) = try WatchChild.fixture(in: dir, rules: 120)
        let db = dir.appendingPathComponent("vigil.db").path
        let args = ["watch", rules, "--root", root, "--db", db, "--every", "1h", "--on-change"]
        let child = try WatchChild(args, environment: ["VIGIL_STORE_TEST_DELAY_US": "300000"])
        try child.waitFor("the first scan") { $0.contains(" event=scan ") }
        try FileManager.default.removeItem(atPath: root + "/etc/rule7")
        try child.waitFor("the rescan being stored", count: 2) { $0.contains("test hook: storing scan") }
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        XCTAssertEqual(try WatchChild.history(db).map(WatchChild.results), [120], "only the first scan, whole")

        let again = try WatchChild(Array(args.dropLast()) + ["--once"])
        XCTAssertEqual(again.stop([], timeout: 30), 0, again.stderr)
        let scans = try WatchChild.history(db)
        XCTAssertEqual(scans.map(WatchChild.results), [120, 120])
        XCTAssertEqual((scans.first?["counts"] as? [String: Int])?["fail"], 1, "the newest scan sees the change")
    }

    func testAnImageCannotBeWatched() throws {
        let dir = try ImageCommand.tempDir("watch-change-image")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try ImageCommand.run(ImageCommand.vigil, ["watch", "--image", "oci:" + dir.path, "--every", "1h", "--on-change",
                                                           "--db", dir.path + "/v.db"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("--on-change watches the files of the live host or of an offline root"), run.stderr)
    }
}
