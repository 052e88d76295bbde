import Foundation
import XCTest
@testable import VigilWatch

/// The metrics text, parsed back: per-series values, per-rule series that appear and
/// disappear, and label values escaped as the format says.
final class WatchMetricsTests: XCTestCase {
    func samples(_ metrics: WatchMetrics) throws -> [PrometheusSample] {
        try PrometheusSample.parse(String(decoding: metrics.text(), as: UTF8.self))
    }

    func testValuesAndFailingRuleSeriesFollowTheScans() throws {
        let f = try WatchFixture(rules: 3)
        defer { f.remove() }
        let metrics = WatchMetrics()
        metrics.record(try f.session.run(), duration: 1.5)
        var s = try samples(metrics)
        XCTAssertEqual(s.named("vigil_score").first?.value, 100)
        XCTAssertEqual(s.named("vigil_rule_failing"), [])
        XCTAssertEqual(s.named("vigil_rules", ["result": "pass"]).first?.value, 3)
        XCTAssertEqual(s.named("vigil_last_scan_duration_seconds").first?.value, 1.5)
        XCTAssertEqual(s.named("vigil_scans_total", ["outcome": "ok"]).first?.value, 1)

        // rule1 (medium) and rule2 (high) fail: two regressions, one series each.
        try f.setFile(1, present: false)
        try f.setFile(2, present: false)
        metrics.record(try f.session.run(), duration: 0.5)
        s = try samples(metrics)
        XCTAssertEqual(Set(s.named("vigil_rule_failing").map { $0.labels["rule_id"]! }), [WatchFixture.ruleID(1), WatchFixture.ruleID(2)])
        XCTAssertEqual(s.named("vigil_rule_failing", ["rule_id": WatchFixture.ruleID(2)]).first?.labels["severity"], "high")
        XCTAssertEqual(s.named("vigil_regressions").first?.value, 2)
        XCTAssertEqual(s.named("vigil_failures", ["severity": "high"]).first?.value, 1)
        XCTAssertEqual(s.named("vigil_failures", ["severity": "medium"]).first?.value, 1)
        XCTAssertEqual(s.named("vigil_failures", ["severity": "low"]).first?.value, 0)
        XCTAssertEqual(s.named("vigil_rules", ["result": "fail"]).first?.value, 2)
        let score = try XCTUnwrap(s.named("vigil_score").first?.value)
        XCTAssertLessThan(score, 100)
        let stamp = try XCTUnwrap(s.named("vigil_last_scan_timestamp_seconds").first?.value)
        XCTAssertEqual(stamp, Date().timeIntervalSince1970, accuracy: 60)

        // rule1 passes again: its series is gone; rule2 still fails, and is no regression now.
        try f.setFile(1, present: true)
        metrics.record(try f.session.run(), duration: 0.5)
        s = try samples(metrics)
        XCTAssertEqual(s.named("vigil_rule_failing").map { $0.labels["rule_id"]! }, [WatchFixture.ruleID(2)])
        XCTAssertEqual(s.named("vigil_regressions").first?.value, 0)
        metrics.recordFailure()
        s = try samples(metrics)
        XCTAssertEqual(s.named("vigil_scans_total", ["outcome": "ok"]).first?.value, 3)
        XCTAssertEqual(s.named("vigil_scans_total", ["outcome": "error"]).first?.value, 1)
        for sample in s {
            XCTAssertEqual(sample.labels["benchmark"], "xccdf_io.vigil_benchmark_watch", sample.name)
            XCTAssertEqual(sample.labels["host"], f.root, sample.name)
        }
    }

    /// A rule id cannot hold `"`, `\` or a newline (the YAML loader refuses them), so the
    /// label that carries them here is the host: an offline root's path is its host name.
    func testLabelValuesAreEscaped() throws {
        let f = try WatchFixture(rules: 1, rootName: "we\"ird\\root\nx")
        defer { f.remove() }
        try f.setFile(1, present: false)
        let metrics = WatchMetrics()
        metrics.record(try f.session.run(), duration: 0.1)
        let text = String(decoding: metrics.text(), as: UTF8.self)
        XCTAssertTrue(text.contains(#"we\"ird\\root\nx""#), text)
        let failing = try PrometheusSample.parse(text).named("vigil_rule_failing")
        XCTAssertEqual(failing.map { $0.labels["host"] }, [f.root])
        XCTAssertEqual(failing.map { $0.labels["rule_id"] }, [WatchFixture.ruleID(1)])
    }
}
