import Foundation
import XCTest
@testable import VigilWatch

/// One cycle: a scan that cannot run is logged and counted and the next one goes on;
/// a scan that runs writes its reports, metrics file and log line.
final class WatchCycleTests: XCTestCase {
    func testAFailedScanIsLoggedAndTheNextOneRuns() throws {
        let f = try WatchFixture(rules: 2)
        defer { f.remove() }
        let log = LogCapture(), metrics = WatchMetrics()
        let textfile = f.dir + "/vigil.prom"
        let cycle = WatchCycle(session: f.session, reportDirectory: try ReportDirectory(path: f.dir + "/reports", keep: 3),
                               metrics: metrics, metricsFile: textfile, logger: log.logger())
        XCTAssertNil(cycle.run(.schedule))
        // The content is gone: the cycle fails, says why, and counts an error.
        try FileManager.default.moveItem(atPath: f.rules, toPath: f.rules + ".away")
        XCTAssertNotNil(cycle.run(.schedule))
        let failed = try XCTUnwrap(log.events("scan").last)
        XCTAssertTrue(failed.contains("result=error") && failed.contains("reason="), failed)
        var samples = try PrometheusSample.parse(try String(contentsOfFile: textfile, encoding: .utf8))
        XCTAssertEqual(samples.named("vigil_scans_total", ["outcome": "error"]).first?.value, 1)
        // It is back, and rule2 now fails: the next cycle stores it as a regression.
        try FileManager.default.moveItem(atPath: f.rules + ".away", toPath: f.rules)
        try f.setFile(2, present: false)
        XCTAssertNil(cycle.run(.rescan(rules: [WatchFixture.ruleID(2)])))
        let line = try XCTUnwrap(log.events("scan").last)
        for field in ["result=ok", "scan_id=2", "regressions=1", "regressed=\(WatchFixture.ruleID(2))", "fail=1", "pass=1"] {
            XCTAssertTrue(line.split(separator: " ").contains(Substring(field)), "\(field) in \(line)")
        }
        samples = try PrometheusSample.parse(try String(contentsOfFile: textfile, encoding: .utf8))
        XCTAssertEqual(samples.named("vigil_scans_total", ["outcome": "ok"]).first?.value, 2)
        XCTAssertEqual(samples.named("vigil_rule_failing").map { $0.labels["rule_id"] }, [WatchFixture.ruleID(2)])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: f.dir + "/reports").filter { $0.hasPrefix("latest") }.sorted(),
                       ["latest.html", "latest.json"])
    }
}
