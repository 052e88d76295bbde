import Foundation
import VigilStore

/// The formats Vigil writes a scan in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case json, html, xccdf, arf, junit, sarif, ckl, cklb, hdf

    /// The formats this build can write.
    public static let available: [ReportFormat] = ReportFormat.allCases

    /// Formats made from the SCAP content as well as the results (`ReportData.scap`).
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
