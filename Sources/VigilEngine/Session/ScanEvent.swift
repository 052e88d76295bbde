import VigilContent
import VigilReports
import VigilStore

/// What a running `ScanSession` tells its caller, in the order it happens, so that a
/// command line can print as the scan goes (the session itself never prints).
public enum ScanEvent: Sendable {
    /// No content was named; this one was chosen, with the profile it will use (on a
    /// Kubernetes node, a second one: the Kubernetes benchmark).
    case defaultContent(DefaultContent, profile: String?)
    /// A rule was evaluated: (rules done, rules in all, the rule's id).
    case progress(done: Int, total: Int, rule: String)
    /// Every rule was evaluated; the report data has the waivers applied and the gate is
    /// decided (the scan is not stored yet).
    case scanned(ScanResult, benchmark: XCCDFBenchmark, report: ReportData, gate: Gate)
    /// The scan was stored under this number in the database at `path`.
    case stored(id: Int64, path: String)
    /// Something the user should know that does not stop the scan.
    case warning(String)
    /// What the run does that the user did not ask by name (a Kubernetes scan's report
    /// files, a report it leaves out): information, not a warning.
    case note(String)
}
