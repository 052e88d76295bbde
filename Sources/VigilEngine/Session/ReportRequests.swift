import Foundation
import VigilContent
import VigilReports
import VigilStore

/// The reports one scan writes, read from the options: every `--report FORMAT:PATH`, then
/// `--results FILE` (XCCDF). Standard output carries at most one report: later requests
/// for it are dropped with a problem.
struct ReportRequests {
    var requests: [ReportRequest]
    /// `--include-notselected`: the JSON report lists the rules the profile leaves out.
    var includeNotselected = false

    init(options: ScanOptions, problems: inout [String]) {
        var parsed: [ReportRequest] = []
        for text in options.reports {
            do { parsed.append(try ReportRequest(parsing: text)) } catch { problems.append("\(error)") }
        }
        if let results = options.results, let request = try? ReportRequest(format: "xccdf", path: results) {
            parsed.append(request)
        }
        if parsed.filter({ $0.path == "-" }).count > 1 {
            problems.append("only one report can go to standard output ('-'; --format json is one); the others were not written")
            var kept = false
            parsed.removeAll { request in
                guard request.path == "-" else { return false }
                defer { kept = true }
                return kept
            }
        }
        requests = parsed
        includeNotselected = options.includeNotselected
    }

    /// Writes every report through the one pipeline; a report that cannot be made or
    /// written is a problem; what a report leaves out is a warning. `data.scap` carries the
    /// content for XCCDF and ARF.
    func write(data: ReportData, problems: inout [String], warn: (String) -> Void = { _ in }) {
        var data = data
        data.includeNotselected = includeNotselected
        for request in requests {
            do {
                try ReportPipeline.write(request, data)
                ReportPipeline.warnings(request.format, data).forEach(warn)
            } catch { problems.append("\(error)") }
        }
    }
}
