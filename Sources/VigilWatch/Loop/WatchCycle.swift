import Foundation
import VigilCore
import Logging
import VigilEngine
import VigilStore

/// One scan of `vigil watch` and what follows it: the scan (stored as `scan` stores it),
/// then the report directory, the metrics and the metrics file, and one log line per scan
/// (its companions each have their own). A failure at any step is logged and makes the
/// cycle fail; the loop goes on.
public struct WatchCycle: Sendable {
    /// Runs a scan: of every rule (nil) or of only these rule ids. The default runs the
    /// whole session: a full scan answers any request.
    public typealias Scan = @Sendable (_ rules: Set<String>?, _ events: @escaping @Sendable (ScanEvent) -> Void) throws -> ScanOutcome

    public var scan: Scan
    public var reportDirectory: ReportDirectory?
    public var metrics: WatchMetrics
    public var metricsFile: String?
    public var logger: Logger

    /// A cycle that runs `session`.
    public init(session: ScanSession, reportDirectory: ReportDirectory?, metrics: WatchMetrics, metricsFile: String?,
                logger: Logger) {
        self.scan = { _, events in try session.run(events: events) }
        self.reportDirectory = reportDirectory
        self.metrics = metrics
        self.metricsFile = metricsFile
        self.logger = logger
    }

    /// Runs the cycle for `trigger`: nil when the scan ran, was stored (when storing) and
    /// every output was written, else what went wrong.
    public func run(_ trigger: WatchLoop.Trigger) -> String? {
        let start = Date()
        let rules: Set<String>? = if case .rescan(let r) = trigger { r } else { nil }
        logger.info("scan started", metadata: ["event": "scan_start", "trigger": "\(trigger == .schedule ? "schedule" : "rescan")"])
        let logger = self.logger
        let outcome: ScanOutcome
        do {
            outcome = try scan(rules) { event in
                if case .warning(let message) = event { logger.warning("\(message)", metadata: ["event": "warning"]) }
            }
        } catch {
            return failed("\(error)", start: start)
        }
        let duration = Date().timeIntervalSince(start)
        var problems = outcome.all.flatMap(\.problems)
        metrics.record(outcome, duration: duration)
        do { try reportDirectory?.write(outcome) } catch { problems.append("the report directory: \(error)") }
        writeMetricsFile(&problems)
        for scan in outcome.all { logScan(scan, duration: duration, ok: problems.isEmpty, rescanned: rules) }
        for problem in problems { logger.error("\(problem)", metadata: ["event": "error"]) }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Logs and counts a scan that did not run.
    func failed(_ reason: String, start: Date) -> String {
        metrics.recordFailure()
        var problems: [String] = []
        writeMetricsFile(&problems)
        logger.error("scan failed", metadata: ["event": "scan", "result": "error", "reason": "\(reason)",
                                               "duration_ms": "\(Int(Date().timeIntervalSince(start) * 1000))"])
        for problem in problems { logger.error("\(problem)", metadata: ["event": "error"]) }
        return reason
    }

    func writeMetricsFile(_ problems: inout [String]) {
        guard let metricsFile else { return }
        do { try AtomicFile.write(metrics.text(), to: metricsFile, mode: 0o644) } catch { problems.append("the metrics file: \(error)") }
    }

    /// The scan's one structured line; `rescanned`: the rules a change-driven rescan
    /// evaluated (the others carried over), nil for a full scan.
    func logScan(_ scan: ScanOutcome, duration: TimeInterval, ok: Bool, rescanned: Set<String>? = nil) {
        let m = scan.record.metadata
        let counts = scan.record.counts
        var fields: Logger.Metadata = [
            "event": "scan", "host": "\(m.hostName)", "benchmark": "\(m.benchmarkID)",
            "profile": "\(m.profileID.isEmpty ? "(default)" : m.profileID)",
            "scan_id": "\(scan.storedID.map(String.init) ?? "-")", "score": "\(m.score.map { String(format: "%.2f", $0) } ?? "-")",
            "pass": "\(counts[.pass] ?? 0)", "fail": "\(counts[.fail] ?? 0)", "error": "\(counts[.error] ?? 0)",
            "regressions": "\(scan.regressions.count)", "duration_ms": "\(Int(duration * 1000))", "result": "\(ok ? "ok" : "error")",
        ]
        fields["trigger"] = "\(rescanned == nil ? "schedule" : "change")"
        if let rescanned { fields["rescanned"] = "\(rescanned.count)" }
        if !scan.regressions.isEmpty {
            fields["regressed"] = "\(scan.regressions.prefix(20).map(\.ruleID).joined(separator: ","))"
        }
        logger.info("scan finished", metadata: fields)
    }
}
