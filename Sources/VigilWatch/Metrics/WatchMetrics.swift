import Foundation
import Prometheus
import VigilCore
import VigilEngine
import VigilStore

/// The metrics of `vigil watch`, in a swift-prometheus registry: per scanned series (host,
/// benchmark, profile labels) the score, rules per result, failures per severity,
/// regressions since the previous scan, the time and duration of the last scan, scans by
/// outcome, and one `vigil_rule_failing` series per failing rule (removed when it passes).
public final class WatchMetrics: @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// The failing-rule gauges of each series, by series key then rule key; guarded by `lock`.
    private var failing: [String: [String: Gauge]] = [:]
    /// The labels of the last series scanned, given to a failed scan's counter.
    private var lastSeries: [(String, String)]?
    private let lock = NSLock()

    static let severities = ["unknown", "info", "low", "medium", "high"]

    public init() {}

    /// The Prometheus text exposition of every metric.
    public func text() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// Records a finished scan and its companions, `duration` seconds long in all.
    public func record(_ outcome: ScanOutcome, duration: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        for scan in outcome.all { record(scan.record, regressions: scan.regressions.count, duration: duration) }
    }

    /// Counts a scan that could not run or be stored; `series` labels it when known.
    public func recordFailure() {
        lock.lock()
        defer { lock.unlock() }
        let labels = lastSeries ?? [("host", ProcessInfo.processInfo.hostName), ("benchmark", ""), ("profile", "")]
        registry.makeCounter(descriptor: Help.scans, labels: labels + [("outcome", "error")]).increment()
        registry.makeCounter(descriptor: Help.scans, labels: labels + [("outcome", "ok")]).increment(by: Int64(0))
    }

    private func record(_ record: ScanRecord, regressions: Int, duration: TimeInterval) {
        let m = record.metadata
        let series = [("host", m.hostName), ("benchmark", m.benchmarkID), ("profile", m.profileID)]
        lastSeries = series
        func gauge(_ descriptor: MetricNameDescriptor, _ extra: [(String, String)] = []) -> Gauge {
            registry.makeGauge(descriptor: descriptor, labels: series + extra)
        }
        if let score = m.score { gauge(Help.score).set(score) }
        let counts = record.counts
        for result in XCCDFResult.allCases {
            gauge(Help.rules, [("result", result.rawValue)]).set(Double(counts[result] ?? 0))
        }
        let failures = record.rules.filter { $0.result == .fail }
        for severity in Self.severities {
            gauge(Help.failures, [("severity", severity)])
                .set(Double(failures.filter { Self.severity($0.severity) == severity }.count))
        }
        gauge(Help.regressions).set(Double(regressions))
        gauge(Help.timestamp).set(m.finishedAt.timeIntervalSince1970)
        gauge(Help.duration).set(duration)
        registry.makeCounter(descriptor: Help.scans, labels: series + [("outcome", "ok")]).increment()
        registry.makeCounter(descriptor: Help.scans, labels: series + [("outcome", "error")]).increment(by: Int64(0))
        updateFailing(series, failures)
    }

    /// One `vigil_rule_failing 1` per failing rule of the series; the series of rules that
    /// no longer fail are removed.
    private func updateFailing(_ series: [(String, String)], _ failures: [RuleRecord]) {
        let key = series.map { "\($0.1)" }.joined(separator: "\u{0}")
        var now: [String: Gauge] = [:]
        for rule in failures {
            let labels = series + [("rule_id", rule.ruleID), ("severity", Self.severity(rule.severity))]
            let gauge = registry.makeGauge(descriptor: Help.failing, labels: labels)
            gauge.set(1.0)
            now[rule.ruleID + "\u{0}" + rule.severity] = gauge
        }
        for (ruleKey, gauge) in failing[key] ?? [:] where now[ruleKey] == nil { registry.unregisterGauge(gauge) }
        failing[key] = now
    }

    /// A severity as a label: one of `severities` ("unknown" for anything else).
    static func severity(_ text: String) -> String {
        severities.contains(text.lowercased()) ? text.lowercased() : "unknown"
    }

    /// Each metric's name (`vigil_` prefix, unit suffix) and HELP text.
    enum Help {
        static func named(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "vigil", metricName: name, unitName: unit, helpText: help)
        }
        static var score: MetricNameDescriptor { named("score", "The score of the last scan (XCCDF default scoring, 0-100).") }
        static var rules: MetricNameDescriptor { named("rules", "Rules of the last scan per result.") }
        static var failures: MetricNameDescriptor { named("failures", "Failing rules of the last scan per severity.") }
        static var regressions: MetricNameDescriptor {
            named("regressions", "Rules failing in the last scan that did not fail in the scan before it.")
        }
        static var timestamp: MetricNameDescriptor {
            named("last_scan_timestamp", unit: "seconds", "When the last scan finished, in seconds since the epoch.")
        }
        static var duration: MetricNameDescriptor { named("last_scan_duration", unit: "seconds", "How long the last scan took, in seconds.") }
        static var scans: MetricNameDescriptor { named("scans", unit: "total", "Scans run by this process, by outcome.") }
        static var failing: MetricNameDescriptor { named("rule_failing", "1 for each rule failing in the last scan.") }
    }
}
