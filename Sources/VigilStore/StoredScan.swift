import Foundation

/// A scan as the store lists it: its metadata, score and result counts.
public struct StoredScan: Sendable, Equatable, Codable {
    public var id: Int64
    public var uuid: String
    public var hostName: String
    public var hostID: String
    public var target: String
    public var contentPath: String
    public var contentSHA256: String
    public var benchmarkID: String
    public var benchmarkVersion: String
    public var profileID: String
    public var vigilVersion: String
    public var startedAt: Date
    public var finishedAt: Date
    public var score: Double?
    public var scoreMax: Double?
    public var scoreSystem: String?
    /// How many rules had each result (only results that occurred).
    public var counts: [String: Int]

    /// The count of one result.
    public func count(_ result: String) -> Int { counts[result] ?? 0 }
}

extension StoredScan {
    /// A scan that was not stored (`--no-store`), as reports see it: number 0.
    public init(unstored record: ScanRecord) {
        var counts: [String: Int] = [:]
        for r in record.rules { counts[r.result, default: 0] += 1 }
        self.init(id: 0, uuid: record.uuid, hostName: record.hostName, hostID: record.hostID, target: record.target,
                  contentPath: record.contentPath, contentSHA256: record.contentSHA256, benchmarkID: record.benchmarkID,
                  benchmarkVersion: record.benchmarkVersion, profileID: record.profileID, vigilVersion: record.vigilVersion,
                  startedAt: record.startedAt, finishedAt: record.finishedAt, score: record.score,
                  scoreMax: record.scoreMax, scoreSystem: record.scoreSystem, counts: counts)
    }
}

/// Results a stored scan counts, in the order reports show them.
public let storedResultNames = ["pass", "fail", "error", "unknown", "notapplicable", "notchecked",
                                "notselected", "informational", "fixed"]
