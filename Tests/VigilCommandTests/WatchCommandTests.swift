import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `vigil watch` as a real child process: scans on its schedule, a regression between
/// two scans seen in the log, the metrics and the store; SIGTERM during a scan.
final class WatchCommandTests: XCTestCase {
    func testScansOnScheduleAndReportsARegression() throws {
        let dir = try ImageCommand.tempDir("watch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (rules, root) = try WatchChild.fixture(in: dir, rules: 3)
        let db = dir.appendingPathComponent("vigil.db").path, reports = dir.appendingPathComponent("reports").path
        let textfile = dir.appendingPathComponent("vigil.prom").path
        let child = try WatchChild(["watch", rules, "--root", root, "--db", db, "--every", "10s", "--report-dir", reports,
                                    "--keep", "5", "--metrics-file", textfile, "--metrics-listen", "127.0.0.1:0"])
        let listen = try child.waitFor("the listen line") { $0.contains(" event=listen ") }[0]
        let port = try XCTUnwrap(listen.split(separator: " ").first { $0.hasPrefix("port=") }.flatMap { Int($0.dropFirst(5)) })
        let first = try child.waitFor("the first scan") { $0.contains(" event=scan ") }[0]
        XCTAssertTrue(first.contains("pass=3") && first.contains("regressions=0") && first.contains("result=ok"), first)
        // rule1's file goes: the next scan (10 s after the first) finds a regression.
        try FileManager.default.removeItem(atPath: root + "/etc/rule1")
        let second = try child.waitFor("the second scan", count: 2, timeout: 15) { $0.contains(" event=scan ") }[1]
        for field in ["fail=1", "pass=2", "regressions=1", "regressed=xccdf_io.vigil_rule_rule1", "scan_id=2", "result=ok",
                      "benchmark=xccdf_io.vigil_benchmark_watch", "host=\(root)"] {
            XCTAssertTrue(second.split(separator: " ").contains(Substring(field)), "\(field) in \(second)")
        }
        let metrics = try get("http://127.0.0.1:\(port)/metrics")
        XCTAssertTrue(metrics.contains(#"vigil_rule_failing{host="\#(root)",benchmark="xccdf_io.vigil_benchmark_watch",profile="",rule_id="xccdf_io.vigil_rule_rule1",severity="high"} 1"#), metrics)
        XCTAssertTrue(metrics.contains(#"vigil_regressions{host="\#(root)",benchmark="xccdf_io.vigil_benchmark_watch",profile=""} 1"#), metrics)
        XCTAssertEqual(try get("http://127.0.0.1:\(port)/healthz"), "ok\n")
        XCTAssertEqual(child.stop(), 0, child.stderr)
        XCTAssertEqual(child.events("shutdown").count, 1, child.stderr)
        let file = try String(contentsOfFile: textfile, encoding: .utf8)
        XCTAssertTrue(file.contains(#"vigil_scans_total{host="\#(root)",benchmark="xccdf_io.vigil_benchmark_watch",profile="",outcome="ok"} 2"#), file)
        let scans = try WatchChild.history(db)
        XCTAssertEqual(scans.count, 2)
        XCTAssertEqual(scans.map(WatchChild.results), [3, 3])
        let names = try FileManager.default.contentsOfDirectory(atPath: reports)
        XCTAssertEqual(names.filter { $0.hasPrefix("vigil-") && $0.hasSuffix(".json") }.count, 2, "\(names)")
        XCTAssertTrue(names.contains("latest.json") && names.contains("latest.html"))
    }

    /// SIGTERM while a scan is being stored (slowed by the store's test hook): the scan is
    /// finished and stored, exit 0. Two signals, or a scan past --stop-timeout: that scan
    /// is discarded whole, exit 5. The store holds whole scans only.
    func testSIGTERMDuringAScanKeepsOnlyWholeScans() throws {
        let dir = try ImageCommand.tempDir("watch-term")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (rules, root) = try WatchChild.fixture(in: dir, rules: 120)
        let db = dir.appendingPathComponent("vigil.db").path
        // 120 results: two pauses of 0.8 s while the scan's transaction is open.
        let slow = ["VIGIL_STORE_TEST_DELAY_US": "800000"]
        func start(_ extra: [String] = []) throws -> WatchChild {
            let child = try WatchChild(["watch", rules, "--root", root, "--db", db, "--every", "1h"] + extra, environment: slow)
            try child.waitFor("the store hook") { $0.contains("test hook: storing scan") }
            return child
        }
        let finished = try start()
        XCTAssertEqual(finished.stop([SIGTERM]), 0, finished.stderr)
        XCTAssertEqual(finished.events("stop").count, 1, finished.stderr)
        XCTAssertEqual(finished.events("scan").count, 1, "the scan in progress finished: \(finished.stderr)")
        XCTAssertEqual(try WatchChild.history(db).map(WatchChild.results), [120])

        let discarded = try start()
        XCTAssertEqual(discarded.stop([SIGTERM, SIGTERM]), 5, discarded.stderr)
        XCTAssertTrue(discarded.stderr.contains("result=discarded"), discarded.stderr)
        XCTAssertEqual(discarded.events("scan"), [])
        XCTAssertEqual(try WatchChild.history(db).map(WatchChild.results), [120], "the discarded scan left nothing")

        let late = try start(["--stop-timeout", "1s"])
        XCTAssertEqual(late.stop([SIGTERM]), 5, late.stderr)
        XCTAssertTrue(late.stderr.contains("--stop-timeout"), late.stderr)
        XCTAssertEqual(try WatchChild.history(db).map(WatchChild.results), [120])
    }

    func testBadScheduleIsAClearError() throws {
        let dir = try ImageCommand.tempDir("watch-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = try ImageCommand.run(ImageCommand.vigil, ["watch", "--schedule", "61 * * * *", "--db", dir.path + "/v.db"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("minute field '61'"), bad.stderr)
        let neither = try ImageCommand.run(ImageCommand.vigil, ["watch", "--db", dir.path + "/v.db"])
        XCTAssertEqual(neither.status, 1)
        XCTAssertTrue(neither.stderr.contains("--every"), neither.stderr)
        let short = try ImageCommand.run(ImageCommand.vigil, ["watch", "--every", "5s", "--db", dir.path + "/v.db"])
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.contains("shortest interval is 10s"), short.stderr)
    }

    /// A GET's body as text, through URLSession.
    func get(_ url: String) throws -> String {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var body: String?
        URLSession.shared.dataTask(with: URL(string: url)!) { data, _, _ in
            body = data.map { String(decoding: $0, as: UTF8.self) }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return try XCTUnwrap(body)
    }
}
