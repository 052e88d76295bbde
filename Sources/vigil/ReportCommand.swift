import ArgumentParser
import Foundation
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

    func run() throws {
        let request: ReportRequest
        do { request = try ReportRequest(format: format, path: out) } catch { fail("\(error)") }
        var waiverList: WaiverList?
        if let waivers {
            do { waiverList = try WaiverList.load(waivers) } catch { fail("\(error)") }
        }
        let db = store.open()
        do {
            let found = try db.scan(scan)
            let rules = try db.results(of: found.id)
            for w in waiverList?.unmatched(rules.map(\.ruleID)) ?? [] {
                warn("\(w.location): waiver for rule '\(w.rule)', which scan \(found.id) does not have")
            }
            try ReportWriter.write(request, ReportData(scan: found, rules: rules, waivers: waiverList,
                                                       generator: Vigil.configuration.version))
        } catch { fail("\(error)") }
    }
}
