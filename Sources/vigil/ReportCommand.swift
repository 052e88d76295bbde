import ArgumentParser
import Foundation
import VigilContent
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
            // XCCDF and ARF need the content the scan evaluated, unchanged at its path.
            let scap = request.format.needsContent ? try Report.content(of: found, for: request.format) : nil
            try ReportPipeline.write(request, ReportData(scan: found, rules: rules, waivers: waiverList,
                                                       generator: Vigil.configuration.version, scap: scap))
        } catch { fail("\(error)") }
    }

    /// The content a stored scan was made from, read again from its path: it must still
    /// be there, unchanged (same SHA-256), for the XCCDF and ARF reports.
    static func content(of scan: StoredScan, for format: ReportFormat) throws -> SCAPSource {
        let content: SCAPContent
        let digest: String
        do {
            content = try SCAPContent.load(path: scan.contentPath)
            digest = try content.sha256()
        } catch {
            throw ReportError("the \(format.rawValue) report needs the content of scan \(scan.id), \(scan.contentPath): \(error)")
        }
        guard digest == scan.contentSHA256 else {
            throw ReportError("\(scan.contentPath) has changed since scan \(scan.id) (its SHA-256 differs); the \(format.rawValue) report needs the content that was evaluated")
        }
        return SCAPSource(content: content)
    }
}
