import Foundation
import VigilContent
import VigilReports
import VigilStore

/// A report of a stored scan, through the same pipeline as a scan's own reports. XCCDF
/// and ARF need the content the scan evaluated: it is read again from its path and must
/// be unchanged (same SHA-256).
public struct StoredScanReport {
    /// The scan, as the store lists it.
    public let scan: StoredScan
    /// The report data every format is made from.
    public var data: ReportData
    /// Waivers naming rules the scan does not have (the caller may warn of them).
    public let unmatchedWaivers: [Waiver]

    /// Reads scan `reference` (a number, "last", or a UUID prefix) from `store`, with
    /// `waivers` applied and, when `format` needs it, the content it was scanned with.
    public init(_ reference: String, in store: any ScanDatabase, format: ReportFormat, waivers: WaiverList?,
                generator: String = VigilVersion.current) throws {
        scan = try store.scan(reference)
        let rules = try store.results(of: scan.id)
        unmatchedWaivers = waivers?.unmatched(rules.map(\.ruleID)) ?? []
        let scap = format.needsContent ? try Self.content(of: scan, for: format) : nil
        data = ReportData(scan: scan, rules: rules, waivers: waivers, generator: generator, scap: scap)
    }

    /// Writes the report where `request` says; returns what it leaves out, for the caller
    /// to warn of.
    @discardableResult
    public func write(_ request: ReportRequest) throws -> [String] {
        try ReportPipeline.write(request, data)
        return ReportPipeline.warnings(request.format, data)
    }

    /// The content a stored scan was made from, read again from its path.
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
