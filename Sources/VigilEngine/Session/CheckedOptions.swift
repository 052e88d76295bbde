import VigilCore
import VigilReports

/// The options checked before the content is loaded, in their checked form: `--fail-on`
/// as a severity, `--waivers` loaded and validated, every `--report` and `--results`
/// request with its place (see `ReportRequests`). Every mistake is collected, so that
/// the user hears of all of them at once.
struct CheckedOptions {
    /// `--fail-on`; nil: any failure fails the gate.
    let threshold: Severity?
    /// `--waivers`, loaded.
    let waivers: WaiverList?
    /// The reports to write after the scan.
    var reports: ReportRequests

    init(_ options: ScanOptions, errors: inout [ScanSessionError]) {
        reports = ReportRequests(options: options, errors: &errors)
        var threshold: Severity?
        if let failOn = options.failOn {
            threshold = Severity(argument: failOn)
            if threshold == nil { errors.append(.failOn(failOn)) }
        }
        var waivers: WaiverList?
        if let path = options.waivers {
            do { waivers = try WaiverList.load(path) } catch { errors.append(.waivers("\(error)")) }
        }
        self.threshold = threshold
        self.waivers = waivers
    }
}
