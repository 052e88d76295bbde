import Foundation
import VigilCore
import VigilEngine
import VigilReports

/// `--report-dir DIR`: after each scan, `latest.json` and `latest.html` and dated copies
/// `vigil-YYYYMMDDTHHMMSSZ.{json,html}` (UTC, the scan's start), at most `keep` dated copies
/// of each kept (the oldest removed). Every file is written with `AtomicFile` (mode 0640);
/// the directory is created with mode 0750. A companion scan's files (the Kubernetes
/// benchmark's on a node) are named with `.kubernetes` before the extension, as `scan` names them.
public struct ReportDirectory: Sendable {
    public let path: String
    public let keep: Int
    /// `--include-notselected`: the JSON report lists the rules the profile leaves out.
    public var includeNotselected = false

    /// The formats written, each as `latest.EXT` and dated copies.
    static let formats: [ReportFormat] = [.json, .html]
    /// The tag of a companion scan's files.
    static let companionTag = "kubernetes"

    /// Creates the directory (0750, parents too) when missing and removes what an
    /// interrupted write left in it.
    public init(path: String, keep: Int) throws {
        guard keep >= 1 else { throw ReportDirectoryError(message: "--keep must be at least 1") }
        self.path = path
        self.keep = keep
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } else if !isDir.boolValue {
            throw ReportDirectoryError(message: "--report-dir \(path) is not a directory")
        }
        AtomicFile.removeLeftovers(in: path)
    }

    /// Writes the reports of `outcome` and its companions; returns the files written.
    @discardableResult
    public func write(_ outcome: ScanOutcome) throws -> [String] {
        var written: [String] = []
        for (i, scan) in outcome.all.enumerated() {
            var data = scan.report
            data.includeNotselected = includeNotselected
            let tag = i == 0 ? "" : "." + Self.companionTag
            let stamp = Self.stamp(scan.record.metadata.startedAt)
            for format in Self.formats {
                let bytes = try ReportPipeline.render(format, data)
                let ext = format.rawValue
                for name in ["vigil-\(stamp)\(tag).\(ext)", "latest\(tag).\(ext)"] {
                    try AtomicFile.write(bytes, to: path + "/" + name)
                    written.append(path + "/" + name)
                }
                try rotate(suffix: "\(tag).\(ext)")
            }
        }
        return written
    }

    /// Removes the oldest dated copies ending in `suffix` beyond `keep`.
    func rotate(suffix: String) throws {
        let dated = try FileManager.default.contentsOfDirectory(atPath: path).filter { Self.isDated($0, suffix: suffix) }.sorted()
        for name in dated.dropLast(keep) { try FileManager.default.removeItem(atPath: path + "/" + name) }
    }

    /// Whether `name` is `vigil-YYYYMMDDTHHMMSSZ` followed by exactly `suffix`.
    static func isDated(_ name: String, suffix: String) -> Bool {
        guard name.hasPrefix("vigil-"), name.hasSuffix(suffix) else { return false }
        let stamp = name.dropFirst(6).dropLast(suffix.count)
        return stamp.count == 16 && stamp.enumerated().allSatisfy { i, c in
            i == 8 ? c == "T" : i == 15 ? c == "Z" : c.isASCII && c.isNumber
        }
    }

    /// `date` as `YYYYMMDDTHHMMSSZ` in UTC.
    static func stamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}

/// A `--report-dir` or `--keep` that cannot be used.
public struct ReportDirectoryError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
