import Foundation
import VigilStore

/// The formats Vigil writes a scan in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case json, html, xccdf, arf, junit, sarif, ckl, cklb

    /// The formats this build can write.
    public static let available: [ReportFormat] = ReportFormat.allCases

    /// Formats made from the SCAP content as well as the results (the engine writes them).
    public var needsContent: Bool { self == .xccdf || self == .arf }
}

/// A report that could not be made or written.
public struct ReportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `--report FORMAT:PATH`.
public struct ReportRequest: Sendable, Equatable {
    public var format: ReportFormat
    /// The output file; "-" is standard output.
    public var path: String

    /// Reads "FORMAT:PATH"; an unknown or unavailable format is an error listing the known ones.
    public init(parsing text: String) throws {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
            throw ReportError("--report '\(text)' must be FORMAT:PATH, e.g. json:report.json")
        }
        let name = String(text[..<colon]).lowercased()
        try self.init(format: name, path: String(text[text.index(after: colon)...]))
    }

    public init(format name: String, path: String) throws {
        guard let format = ReportFormat(rawValue: name.lowercased()) else {
            throw ReportError("unknown report format '\(name)'; formats: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ReportFormat.available.contains(format) else {
            throw ReportError("report format '\(name)' is not available yet; this build writes \(ReportFormat.available.map(\.rawValue).joined(separator: ", "))")
        }
        self.format = format
        self.path = path
    }
}

/// Renders and writes reports.
public enum ReportWriter {
    public static func render(_ format: ReportFormat, _ data: ReportData) throws -> Data {
        switch format {
        case .json: return try JSONReport(data).encoded()
        case .junit: return Data(JUnitReport.xml(data).utf8)
        case .sarif: return try SARIFReport.json(data)
        case .ckl: return Data(STIGChecklist.ckl(data).utf8)
        case .cklb: return try STIGChecklist.cklb(data)
        case .html: return Data(try HTMLReport.html(data, benchmarkTitle: data.benchmarkTitle).utf8)
        case .xccdf, .arf:
            throw ReportError("the \(format.rawValue) report is made with the SCAP content; write it with vigil scan --report or vigil report")
        }
    }

    /// Renders `request.format` and writes it to `request.path` (atomically: a reader
    /// never sees half a report), or to standard output for "-".
    public static func write(_ request: ReportRequest, _ data: ReportData) throws {
        try write(request, bytes: try render(request.format, data))
    }

    /// Writes rendered bytes where `request` says.
    public static func write(_ request: ReportRequest, bytes: Data) throws {
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
}
