import VigilReports
import VigilStore

/// What a finished `ScanSession` produced: the results, their stored form, the report
/// data every format is made from, and the exit code the command line gives.
public struct ScanOutcome: Sendable {
    /// The scan's results, in benchmark order.
    public var result: ScanResult
    /// The scan as it is stored.
    public var record: ScanRecord
    /// The scan as reports see it (with waivers applied).
    public var report: ReportData
    /// The scan's number in the store; nil when it was not stored.
    public var storedID: Int64?
    /// What went wrong after the rules were evaluated (the scan not stored, a report not
    /// written): each one message; any of them makes the exit code 1.
    public var problems: [String]
    /// The gate's decision: waivers, `--fail-on` and `--allow-empty` applied.
    public var gate: Gate
    /// Why no rule was evaluated, when none was (`Gate.isEmpty`); the command says it, as
    /// an error (exit code 4) or, with `--allow-empty`, a warning.
    public var nothingEvaluated: String?

    /// What the rules of this scan and its companions read (`ScanOptions.recordFootprint`),
    /// after a partial rescan merged with the previous footprint; nil when not recorded.
    public var footprint: ScanFootprint? = nil

    /// The scans run with this one, each stored and reported on its own: the Kubernetes
    /// benchmark's on a Kubernetes node when no content was named.
    public var companions: [ScanOutcome] = []

    /// The changes since the previous scan of the same host, benchmark and profile (its
    /// `newlyFailing` are the regressions); nil when the scan was not stored or is the
    /// first of its series.
    public var drift: DriftReport? = nil

    /// The rules that fail now and did not in the previous scan of the series.
    public var regressions: [DriftReport.Change] { drift?.newlyFailing ?? [] }

    /// This scan and its companions, in the order they ran.
    public var all: [ScanOutcome] { [self] + companions }

    /// The exit code of this scan alone: 1 when there are problems, else the gate's answer:
    /// 0 pass, 2 a rule fails the gate, 4 nothing was evaluated.
    public var ownExitCode: Int32 { problems.isEmpty ? gate.exitCode : 1 }

    /// The worst exit code of this scan and its companions: 1, then 2, then 4, then 0.
    public var exitCode: Int32 {
        let rank: [Int32: Int] = [1: 3, 2: 2, 4: 1, 0: 0]
        return all.map(\.ownExitCode).max { (rank[$0] ?? 3) < (rank[$1] ?? 3) } ?? 0
    }
}
