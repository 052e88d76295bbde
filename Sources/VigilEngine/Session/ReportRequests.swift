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

    /// The same reports for a scan that runs alongside (the Kubernetes benchmark's), each
    /// file named with `tag` before its extension (`report.json`: `report.kubernetes.json`,
    /// `out`: `out.kubernetes`). A report to standard output is left out (one report at most
    /// goes there), and said in `notes`.
    func tagged(_ tag: String, notes: inout [String]) -> ReportRequests {
        var copy = self
        copy.requests = requests.compactMap { request in
            guard request.path != "-" else {
                notes.append("the \(tag) scan's \(request.format.rawValue) report is not written to standard output, which takes "
                    + "one report; name a file (--report \(request.format.rawValue):FILE) to have it")
                return nil
            }
            var r = request
            r.path = Self.tagged(request.path, tag)
            return r
        }
        return copy
    }

    /// `path` with `tag` before the extension of its last component.
    static func tagged(_ path: String, _ tag: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent, ext = url.pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        let tagged = ext.isEmpty ? "\(stem).\(tag)" : "\(stem).\(tag).\(ext)"
        return String(path.dropLast(name.count)) + tagged
    }

    /// Errors for requests of `others` that write where one of these does, or that cannot
    /// be written (`ReportRequest.placeProblem`).
    func clashes(with others: ReportRequests) -> [ScanSessionError] {
        let mine = Set(requests.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path })
        return others.requests.compactMap { r in
            if mine.contains(URL(fileURLWithPath: r.path).standardizedFileURL.path) {
                return .report("\(r.path) would hold two reports (the Kubernetes scan's reports are named with .kubernetes); choose other names")
            }
            return r.placeProblem.map { .report("\(r.path): \($0)") }
        }
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
