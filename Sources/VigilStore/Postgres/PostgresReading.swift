import Foundation
import VigilCore

extension PostgresStore {
    /// Stored scans, newest first (as `ScanStore.history`).
    public func history(host: String?, profile: String?, limit: Int?) throws -> [StoredScan] {
        var clauses: [String] = []
        var arguments: [String?] = []
        if let host {
            clauses.append("(host_name = ? OR host_id = ?)")
            arguments += [host, host]
        }
        if let profile {
            clauses.append("(profile_id = ? OR profile_id LIKE ?)")
            arguments += [profile, "%_profile_" + profile]
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let limitClause = limit.map { "LIMIT \(max(0, $0))" } ?? ""
        return try query("SELECT \(ScanStore.scanColumns) FROM scans \(whereClause) ORDER BY started_at DESC, id DESC \(limitClause)",
                         arguments).rows.map(ScanStore.scan(from:))
    }

    /// The scan a reference names (as `ScanStore.scan(_:)`).
    public func scan(_ reference: String) throws -> StoredScan {
        let columns = ScanStore.scanColumns
        if reference == "last" || reference == "latest" {
            guard let row = try query("SELECT \(columns) FROM scans ORDER BY started_at DESC, id DESC LIMIT 1").first else {
                throw StoreError.noSuchScan(reference)
            }
            return ScanStore.scan(from: row)
        }
        if reference.allSatisfy(\.isASCII), let id = Int64(reference),
           let row = try query("SELECT \(columns) FROM scans WHERE id = ?", ["\(id)"]).first {
            return ScanStore.scan(from: row)
        }
        guard reference.count >= 4, reference.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "-") }) else {
            throw StoreError.noSuchScan(reference)
        }
        let rows = try query("SELECT \(columns) FROM scans WHERE lower(substr(uuid, 1, ?)) = ? ORDER BY id LIMIT ?",
                             ["\(reference.count)", reference.lowercased(), "\(ScanStore.candidatesShown + 1)"]).rows
        switch rows.count {
        case 0: throw StoreError.noSuchScan(reference)
        case 1: return ScanStore.scan(from: rows[0])
        default:
            var candidates = rows.prefix(ScanStore.candidatesShown).map { row -> String in
                let scan = ScanStore.scan(from: row)
                return "\(scan.id) (\(scan.uuid))"
            }
            if rows.count > ScanStore.candidatesShown { candidates.append("and more") }
            throw StoreError.ambiguousScan(reference, candidates: candidates)
        }
    }

    /// The policy a scan recorded (as `ScanStore.policy(of:)`).
    public func policy(of scanID: Int64) throws -> ScanPolicy? {
        guard let json = try query("SELECT policy FROM scan_policies WHERE scan_id = ?", ["\(scanID)"]).first?.text(0) else { return nil }
        do { return try JSONDecoder().decode(ScanPolicy.self, from: Data(json.utf8)) } catch {
            throw StoreError.database(path: location, message: "scan \(scanID): its recorded policy cannot be read (\(error)); the database was not written by this Vigil or is damaged")
        }
    }

    /// The scan before `scan` in its series (as `ScanStore.previous(of:)`).
    public func previous(of scan: StoredScan) throws -> StoredScan? {
        let started = "\(scan.startedAt.timeIntervalSince1970)"
        return try query("""
            SELECT \(ScanStore.scanColumns) FROM scans
            WHERE host_id = ? AND benchmark_id = ? AND profile_id = ?
              AND (started_at < ? OR (started_at = ? AND id < ?))
            ORDER BY started_at DESC, id DESC LIMIT 1
            """, [scan.hostID, scan.benchmarkID, scan.profileID, started, started, "\(scan.id)"]).first.map(ScanStore.scan(from:))
    }

    /// A scan's results in benchmark order (as `ScanStore.results(of:details:)`).
    public func results(of scanID: Int64, details: Bool) throws -> [RuleRecord] {
        try query(ScanStore.resultsSQL(details: details), ["\(scanID)"]).rows.map {
            try ScanStore.record(from: $0, scanID: scanID, details: details, location: location)
        }
    }

    /// How many scans are stored.
    public func scanCount() throws -> Int {
        Int(try query("SELECT count(*) FROM scans").first?.integer(0) ?? 0)
    }

    /// The latest scan of every series the filter keeps (`FleetQuery`).
    public func fleet(_ filter: FleetFilter) throws -> [FleetSeries] {
        try FleetQuery.run(filter) { sql, arguments in try query(sql, arguments).rows }
    }
}
