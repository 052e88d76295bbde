import Foundation
import VigilCore

/// Which series `vigil fleet` shows: all when every field is nil.
public struct FleetFilter: Sendable, Equatable {
    /// A benchmark id, or its short name (the part after `_benchmark_`).
    public var benchmark: String?
    /// A profile id, or its short name (the part after `_profile_`).
    public var profile: String?
    /// A host name or id: a glob (`*`, `?`) when it has one, else a substring; ignoring case.
    public var host: String?

    public init(benchmark: String? = nil, profile: String? = nil, host: String? = nil) {
        self.benchmark = benchmark
        self.profile = profile
        self.host = host
    }
}

/// The latest scan of one host, benchmark and profile (a series), as `vigil fleet` lists it:
/// the scan, its failures by severity, and the rules that fail in it and did not fail in
/// the scan before it (none when it is the series' first scan).
public struct FleetSeries: Sendable, Equatable, Codable {
    /// The latest scan of the series.
    public var latest: StoredScan
    /// The scan before it, if any.
    public var previousID: Int64?
    /// How many scans the series holds.
    public var scans: Int
    /// Failing rules (`fail`) per severity ("high", "medium", "low", "unknown", ...).
    public var failuresBySeverity: [String: Int]
    /// The rules (`rule` or `rule/instance`) that newly fail since the previous scan.
    public var regressions: [String]

    public init(latest: StoredScan, previousID: Int64?, scans: Int, failuresBySeverity: [String: Int], regressions: [String]) {
        self.latest = latest
        self.previousID = previousID
        self.scans = scans
        self.failuresBySeverity = failuresBySeverity
        self.regressions = regressions
    }
}
