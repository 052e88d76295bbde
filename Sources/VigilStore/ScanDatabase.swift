import Foundation
import VigilCore

/// Where scans are stored, whichever database holds them: the SQLite file (`ScanStore`) or
/// a PostgreSQL database (`PostgresStore`). `history`, `show`, `drift`, `prune`, `report`,
/// `fix` and `fleet` use only this, so they work the same on either.
public protocol ScanDatabase: AnyObject, Sendable {
    /// The file's path, or the PostgreSQL URI without its password: what messages name.
    var location: String { get }
    /// Stores a scan and all its results in one transaction; returns its number.
    @discardableResult func save(_ scan: ScanRecord) throws -> Int64
    /// Deletes all but the newest `keep` scans of each host, benchmark and profile.
    @discardableResult func prune(keep: Int) throws -> Int
    /// Deletes the scans started before `date`.
    @discardableResult func prune(olderThan date: Date) throws -> Int
    /// Stored scans, newest first, of one host (name or id) and profile when given.
    func history(host: String?, profile: String?, limit: Int?) throws -> [StoredScan]
    /// The scan a reference names: "last", its number, or the start of its UUID.
    func scan(_ reference: String) throws -> StoredScan
    /// The policy a scan recorded; nil when it recorded none.
    func policy(of scanID: Int64) throws -> ScanPolicy?
    /// The scan before `scan` of the same host, benchmark and profile.
    func previous(of scan: StoredScan) throws -> StoredScan?
    /// A scan's rule results in benchmark order; without `details`, no references or texts.
    func results(of scanID: Int64, details: Bool) throws -> [RuleRecord]
    /// How many scans are stored.
    func scanCount() throws -> Int
    /// The latest scan of every host, benchmark and profile that `filter` keeps (`FleetSeries`).
    func fleet(_ filter: FleetFilter) throws -> [FleetSeries]
}

extension ScanDatabase {
    /// Every stored result of a scan, with the rules' details.
    public func results(of scanID: Int64) throws -> [RuleRecord] { try results(of: scanID, details: true) }

    /// Stored scans, newest first, of one host when given, at most `limit`.
    public func history(host: String? = nil, limit: Int? = nil) throws -> [StoredScan] {
        try history(host: host, profile: nil, limit: limit)
    }
}

/// Opening the database that `--db` or `VIGIL_DB` names.
public enum ScanDatabases {
    /// A PostgreSQL database for a `postgresql://` URI, else the SQLite file at `location`.
    public static func open(_ location: String, access: ScanStore.Access) throws -> any ScanDatabase {
        if DatabaseURI.isPostgres(location) { return try PostgresStore(uri: location, access: access) }
        return try ScanStore(path: location, access: access)
    }
}
