import Foundation
import VigilContent
import VigilReports
import VigilStore

/// The reports one scan writes, read from the options and checked before the scan: every
/// `--report FORMAT:PATH`, then `--results FILE` (XCCDF). A request is an error when its
/// format is unknown, when its place cannot take a file (see `ReportRequest.placeProblem`), when a
/// second request names standard output, or when two requests name the same file.
struct ReportRequests {
    var requests: [ReportRequest]
    /// `--include-notselected`: the JSON report lists the rules the profile leaves out.
    var includeNotselected = false

    init(options: ScanOptions, errors: inout [ScanSessionError]) {
        var parsed: [(request: ReportRequest, option: String)] = []
        for text in options.reports {
            do { parsed.append((try ReportRequest(parsing: text), "--report \(text)")) } catch {
                errors.append(.report("\(error)"))
            }
        }
        if let results = options.results, let request = try? ReportRequest(format: "xccdf", path: results) {
            parsed.append((request, "--results \(results)"))
        }
        var places: [String: String] = [:]
        requests = []
        for (request, option) in parsed {
            let place = request.path == "-" ? "-" : URL(fileURLWithPath: request.path).standardizedFileURL.path
            if let earlier = places[place] {
                errors.append(.report(place == "-"
                    ? "only one report can go to standard output ('-'; --format json is one): \(earlier) and \(option)"
                    : "\(earlier) and \(option) write the same file"))
                continue
            }
            places[place] = option
            if let problem = request.placeProblem {
                errors.append(.report("\(option): \(problem)"))
                continue
            }
            requests.append(request)
        }
        includeNotselected = options.includeNotselected
    }

    /// Writes every report through the one pipeline; a report that cannot be made or
    /// written (a full disk, ...) is a problem; what a report leaves out is a warning.
    /// `data.scap` carries the content for XCCDF and ARF.
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
