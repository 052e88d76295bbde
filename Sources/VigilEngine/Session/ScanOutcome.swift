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

    /// 1 when there are problems, else the gate's answer: 0 pass, 2 a rule fails the gate,
    /// 4 nothing was evaluated.
    public var exitCode: Int32 { problems.isEmpty ? gate.exitCode : 1 }
}
