import Foundation

/// What a scan was about and how it was made: the system, the target, the content and
/// profile, the Vigil that ran it, when, and its score. `ScanRecord` (what the engine
/// stores) and `StoredScan` (what the store lists) both hold one.
public struct ScanMetadata: Sendable, Equatable, Codable {
    public var uuid: String
    public var hostName: String
    /// A stable identifier of the scanned system (its machine id when it has one).
    public var hostID: String
    /// A stable reference to the target: "/" for the live host, else the root path of an
    /// offline scan.
    public var target: String
    /// What kind of target was scanned: "host" or "root" today ("image", "api-dump" later).
    public var targetKind: String
    public var contentPath: String
    public var contentSHA256: String
    public var benchmarkID: String
    public var benchmarkVersion: String
    /// The profile id; empty for the benchmark's defaults, "(all)" for every rule.
    public var profileID: String
    public var vigilVersion: String
    public var startedAt: Date
    public var finishedAt: Date
    public var score: Double?
    public var scoreMax: Double?
    public var scoreSystem: String?
    /// The scanned system's identity and the policy's titles; nil for scans stored before
    /// Vigil recorded them.
    public var system: SystemIdentity?

    public init(uuid: String = UUID().uuidString.lowercased(), hostName: String, hostID: String, target: String,
                targetKind: String = ScanMetadata.hostKind, contentPath: String, contentSHA256: String,
                benchmarkID: String, benchmarkVersion: String, profileID: String, vigilVersion: String,
                startedAt: Date, finishedAt: Date, score: Double? = nil, scoreMax: Double? = nil, scoreSystem: String? = nil,
                system: SystemIdentity? = nil) {
        self.uuid = uuid
        self.hostName = hostName
        self.hostID = hostID
        self.target = target
        self.targetKind = targetKind
        self.contentPath = contentPath
        self.contentSHA256 = contentSHA256
        self.benchmarkID = benchmarkID
        self.benchmarkVersion = benchmarkVersion
        self.profileID = profileID
        self.vigilVersion = vigilVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.score = score
        self.scoreMax = scoreMax
        self.scoreSystem = scoreSystem
        self.system = system
    }

    /// The target kind of a scan of the live host.
    public static let hostKind = "host"
    /// The target kind of a scan of an offline root directory.
    public static let rootKind = "root"
}
