import ArgumentParser
import Foundation
import VigilEngine
import VigilReports
import VigilStore

/// `vigil report SCAN --format F --out PATH`: a report of a stored scan.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a report of a stored scan.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The scan: its id, 'last', or the start of its UUID.")
    var scan: String = "last"

    @Option(help: "Report format: \(ReportFormat.available.map(\.rawValue).joined(separator: ", ")).")
    var format: String

    @Option(help: "The output file ('-': standard output).")
    var out: String = "-"

    @Option(help: "A YAML file of waived failures (rule, reason, owner, expires).")
    var waivers: String?

    @Flag(help: "The JSON report lists the rules the profile does not select (left out by default).")
    var includeNotselected = false

    func run() throws {
        let request = try ReportRequest(format: format, path: out)
        // Checked before any work, as `vigil scan` checks its reports: a report replaces its
        // file, so a device or a pipe is refused.
        if let problem = request.placeProblem { throw CommandError("--out \(out): \(problem)") }
        let waiverList = try waivers.map { try WaiverList.load($0) }
        var report = try StoredScanReport(scan, in: try store.open(), format: request.format, waivers: waiverList,
                                          generator: Vigil.configuration.version)
        for w in report.unmatchedWaivers {
            warn("\(w.location): waiver for rule '\(w.rule)', which scan \(report.scan.id) does not have")
        }
        report.data.includeNotselected = includeNotselected
        for warning in try report.write(request) { warn(warning) }
    }
}
