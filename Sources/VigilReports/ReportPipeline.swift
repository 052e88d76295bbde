import Foundation
import VigilCore
import VigilStore

/// The one report pipeline: every format, from one `ReportData` (a stored or live scan,
/// plus the SCAP content for the formats that need it). A new format is a case of
/// `ReportFormat`, a file in this folder that renders it, and a line in `render`.
public enum ReportPipeline {
    /// The report in `format`. A format that needs the SCAP content, asked without it, is a
    /// `ReportError`.
    public static func render(_ format: ReportFormat, _ data: ReportData) throws -> Data {
        switch format {
        case .json: return try JSONReport(data).encoded()
        case .junit: return Data(JUnitReport.xml(data).utf8)
        case .sarif: return try SARIFReport.json(data)
        case .ckl: return Data(try STIGChecklist.ckl(data).utf8)
        case .cklb: return try STIGChecklist.cklb(data)
        case .hdf: return try HDFReport.json(data)
        case .html: return Data(try HTMLReport.html(data, benchmarkTitle: data.benchmarkTitle).utf8)
        case .xccdf:
            let (scap, result) = try scapInput(format, data)
            return try ResultsWriter.xml(content: scap.content, result: result, hostname: resultsTarget(scap, data),
                                         system: data.scan.system)
        case .arf:
            let (scap, result) = try scapInput(format, data)
            return try ARFWriter.xml(content: scap.content, result: result, hostname: data.scan.hostName,
                                     system: data.scan.system)
        }
    }

    /// What a report of `format` leaves out that the user should know (the command prints
    /// these as warnings): for STIG checklists, how many rules have no STIG id.
    public static func warnings(_ format: ReportFormat, _ data: ReportData) -> [String] {
        switch format {
        case .ckl, .cklb: return STIGChecklist.warnings(data, format: format.rawValue)
        default: return []
        }
    }

    /// Renders `request.format` and writes it to `request.path` (atomically: a reader
    /// never sees half a report), or to standard output for "-". XCCDF results go to a file as they are made: the copy of the benchmark is read
    /// from the content file in chunks, so a large benchmark is never held twice.
    public static func write(_ request: ReportRequest, _ data: ReportData) throws {
        guard request.format == .xccdf, request.path != "-" else {
            return try write(request, bytes: try render(request.format, data))
        }
        let (scap, result) = try scapInput(request.format, data)
        let target = resultsTarget(scap, data)
        do {
            try AtomicFile.write(to: request.path, mode: AtomicFile.umaskedMode) { sink in
                try ResultsWriter.write(content: scap.content, result: result, hostname: target, system: data.scan.system, to: sink)
            }
        } catch let e as AtomicFileError {
            throw ReportError("cannot write the xccdf report to \(request.path): \(SystemErrorText.errnoText(e.errno))")
        }
    }

    /// Writes rendered bytes where `request` says.
    static func write(_ request: ReportRequest, bytes: Data) throws {
        do {
            if request.path == "-" {
                try FileHandle.standardOutput.write(contentsOf: bytes)
            } else {
                try bytes.write(to: URL(fileURLWithPath: request.path), options: .atomic)
            }
        } catch {
            let place = request.path == "-" ? "standard output" : request.path
            throw ReportError("cannot write the \(request.format.rawValue) report to \(place): \(SystemErrorText.cause(of: error))")
        }
    }

    /// The TestResult's target: an image is named by its reference, a host as the scan
    /// asked (oscap names the scanning host), else by the scanned host's name.
    private static func resultsTarget(_ scap: SCAPSource, _ data: ReportData) -> String {
        data.image?.reference ?? scap.testResultTarget ?? data.scan.hostName
    }

    /// The content and the scan's result for XCCDF and ARF: the live result when the scan
    /// was just run, else one made from the stored results.
    private static func scapInput(_ format: ReportFormat, _ data: ReportData) throws -> (SCAPSource, ScanResult) {
        guard let scap = data.scap else {
            throw ReportError("the \(format.rawValue) report is made with the SCAP content the scan evaluated, and none was given")
        }
        let result = scap.result ?? ScanResult(stored: data.scan, rules: data.rules.map(\.record), content: scap.content)
        return (scap, result)
    }
}
