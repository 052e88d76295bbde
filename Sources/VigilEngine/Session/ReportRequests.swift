import Foundation
import VigilContent
import VigilReports
import VigilStore

/// The reports one scan writes, read from the options and checked before the scan: every
/// `--report FORMAT:PATH`, then `--results FILE` (XCCDF). A request is an error when its
/// format is unknown, when its place cannot take a file (see `placeProblem`), when a
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
            if let problem = Self.placeProblem(request.path) {
                errors.append(.report("\(option): \(problem)"))
                continue
            }
            requests.append(request)
        }
        includeNotselected = options.includeNotselected
    }

    /// Why a report cannot be written at `path`, or nil when it can as far as can be told
    /// before writing: "-" (standard output) always can; else the path must not be a
    /// folder or anything but a regular file (a report is written to a temporary file
    /// renamed over it, which would replace a device or a pipe), and its folder must
    /// exist and be writable.
    static func placeProblem(_ path: String) -> String? {
        if path == "-" { return nil }
        if path.isEmpty { return "no file named" }
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return "\(path) is a folder" }
            if info.st_mode & S_IFMT != S_IFREG {
                return "\(path) is not a regular file (a report replaces it; '-' is standard output)"
            }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard stat(folder, &info) == 0 else {
            if errno == ENOENT { return "the folder \(folder) does not exist" }
            return "the folder \(folder) cannot be used: \(SystemErrorText.errnoText(errno))"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return "\(folder) is not a folder" }
        guard access(folder, W_OK | X_OK) == 0 else {
            return "the folder \(folder) cannot be written: \(SystemErrorText.errnoText(errno))"
        }
        return nil
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
