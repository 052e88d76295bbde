import Foundation
import GRDB
import VigilCore

extension ScanStore {
    /// Stored scans, newest first: of one host (name or id) and profile (id or short name)
    /// when given; at most `limit`.
    public func history(host: String? = nil, profile: String? = nil, limit: Int? = nil) throws -> [StoredScan] {
        var clauses: [String] = []
        var arguments: StatementArguments = []
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
        return try read { db in
            var scans: [StoredScan] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT \(ScanStore.scanColumns) FROM scans \(whereClause) ORDER BY started_at DESC, id DESC \(limitClause)",
                                           arguments: arguments)
            while let row = try rows.next() { scans.append(ScanStore.scan(from: row)) }
            return scans
        }
    }

    /// The scan named by `reference`: "last"; its number; or the start of its UUID (at
    /// least 4 characters, matching one scan). An all-digit reference is the scan of that
    /// number when there is one, else a UUID prefix. A prefix of several scans' UUIDs is
    /// an error that lists them.
    public func scan(_ reference: String) throws -> StoredScan {
        try read { db in
            let columns = ScanStore.scanColumns
            if reference == "last" || reference == "latest" {
                let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM scans ORDER BY started_at DESC, id DESC LIMIT 1")
                guard let row else { throw StoreError.noSuchScan(reference) }
                return ScanStore.scan(from: row)
            }
            if reference.allSatisfy(\.isASCII), let id = Int64(reference),
               let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM scans WHERE id = ?", arguments: [id]) {
                return ScanStore.scan(from: row)
            }
            guard reference.count >= 4, reference.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "-") }) else {
                throw StoreError.noSuchScan(reference)
            }
            let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM scans WHERE lower(substr(uuid, 1, ?)) = ? ORDER BY id LIMIT ?",
                                        arguments: [reference.count, reference.lowercased(), ScanStore.candidatesShown + 1])
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
    }

    /// How many scans an ambiguous UUID prefix lists.
    static let candidatesShown = 10

    /// The policy scan `scanID` recorded; nil for a scan stored before policies were.
    public func policy(of scanID: Int64) throws -> ScanPolicy? {
        try read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT policy FROM scan_policies WHERE scan_id = ?",
                                                 arguments: [scanID]) else { return nil }
            do { return try JSONDecoder().decode(ScanPolicy.self, from: Data(json.utf8)) } catch {
                throw StoreError.database(path: path, message: "scan \(scanID): its recorded policy cannot be read (\(error)); the database was not written by this Vigil or is damaged")
            }
        }
    }

    /// The scan before `scan` of the same host, benchmark and profile, if any.
    public func previous(of scan: StoredScan) throws -> StoredScan? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT \(ScanStore.scanColumns) FROM scans
                WHERE host_id = ? AND benchmark_id = ? AND profile_id = ?
                  AND (started_at < ? OR (started_at = ? AND id < ?))
                ORDER BY started_at DESC, id DESC LIMIT 1
                """, arguments: [scan.hostID, scan.benchmarkID, scan.profileID,
                                 scan.startedAt.timeIntervalSince1970, scan.startedAt.timeIntervalSince1970, scan.id])
                .map(ScanStore.scan(from:))
        }
    }

    /// The rule results of a stored scan, in benchmark order. Without `details` the rules'
    /// references, description, rationale, fix text and groups are left empty (drift needs none).
    public func results(of scanID: Int64, details: Bool = true) throws -> [RuleRecord] {
        try read { db in
            var out: [RuleRecord] = []
            let rows = try Row.fetchCursor(db, sql: ScanStore.resultsSQL(details: details), arguments: [scanID])
            while let row = try rows.next() { out.append(try ScanStore.record(from: row, scanID: scanID, details: details, location: path)) }
            return out
        }
    }

    /// The query of one scan's results (`?`: the scan's number) that `record(from:)` reads.
    static func resultsSQL(details: Bool) -> String {
        let extra = details ? ", ru.refs, ru.description, ru.rationale, ru.fixtext, ru.groups" : ""
        return """
            SELECT ru.rule_id, r.instance, r.severity, r.result, r.evidence, ru.title, r.check_system\(extra)
            FROM results r JOIN rules ru ON ru.id = r.rule
            WHERE r.scan_id = ? ORDER BY r.seq
            """
    }

    /// One result from a row of `resultsSQL`, from SQLite or PostgreSQL; a result or check
    /// system this Vigil does not know is an error naming the database at `location`.
    static func record(from row: some SQLRow, scanID: Int64, details: Bool, location: String) throws -> RuleRecord {
        let ruleID = row.text(0) ?? ""
        let text = row.text(3) ?? ""
        guard let result = XCCDFResult(rawValue: text) else {
            throw StoreError.database(path: location, message: "scan \(scanID): rule \(ruleID) has an unknown result '\(text)'; the database was not written by this Vigil or is damaged")
        }
        let code = row.integer(6)
        let checkSystem = code.flatMap(StoredCheckSystem.system(code:))
        guard row.text(6) == nil || checkSystem != nil else {
            throw StoreError.database(path: location, message: "scan \(scanID): rule \(ruleID) has an unknown check system \(row.shown(6)); the database was not written by this Vigil or is damaged")
        }
        var record = RuleRecord(ruleID: ruleID, instance: row.text(1) ?? "", title: row.text(5) ?? "", severity: row.text(2) ?? "",
                                result: result, evidence: row.text(4), checkSystem: checkSystem)
        if details {
            let decoder = JSONDecoder()
            record.references = (try? decoder.decode([RuleReference].self, from: Data((row.text(7) ?? "").utf8))) ?? []
            record.description = row.text(8) ?? ""
            record.rationale = row.text(9) ?? ""
            record.fixText = row.text(10) ?? ""
            record.groups = (try? decoder.decode([String].self, from: Data((row.text(11) ?? "").utf8))) ?? []
        }
        return record
    }

    /// How many scans are stored.
    public func scanCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scans") ?? 0 }
    }

    /// The columns `scan(from:)` reads, in its order.
    static let scanColumns = """
        id, uuid, host_name, host_id, target, target_kind, content_path, content_sha256, benchmark_id, benchmark_version,
        profile_id, vigil_version, started_at, finished_at, score, score_max, score_system,
        \(XCCDFResult.listingOrder.map(\.rawValue).joined(separator: ", ")), system
        """

    /// How many columns `scanColumns` names.
    static let scanColumnCount = 18 + XCCDFResult.listingOrder.count

    /// A scan from a row of `scanColumns` (read by position: history lists thousands), from
    /// SQLite or PostgreSQL.
    static func scan(from row: some SQLRow) -> StoredScan {
        var counts: [XCCDFResult: Int] = [:]
        for (i, result) in XCCDFResult.listingOrder.enumerated() {
            let n = Int(row.integer(17 + i) ?? 0)
            if n > 0 { counts[result] = n }
        }
        let metadata = ScanMetadata(uuid: row.text(1) ?? "", hostName: row.text(2) ?? "", hostID: row.text(3) ?? "",
                                    target: row.text(4) ?? "", targetKind: row.text(5) ?? "",
                                    contentPath: row.text(6) ?? "", contentSHA256: row.text(7) ?? "", benchmarkID: row.text(8) ?? "",
                                    benchmarkVersion: row.text(9) ?? "", profileID: row.text(10) ?? "", vigilVersion: row.text(11) ?? "",
                                    startedAt: Date(timeIntervalSince1970: row.real(12) ?? 0),
                                    finishedAt: Date(timeIntervalSince1970: row.real(13) ?? 0),
                                    score: row.real(14), scoreMax: row.real(15), scoreSystem: row.text(16),
                                    system: SystemIdentity(jsonText: row.text(17 + XCCDFResult.listingOrder.count)))
        return StoredScan(id: row.integer(0) ?? 0, metadata: metadata, counts: counts)
    }
}

extension ScanStore: ScanDatabase {
    /// The database file's path.
    public var location: String { path }

    /// The latest scan of every series the filter keeps (`FleetQuery`).
    public func fleet(_ filter: FleetFilter) throws -> [FleetSeries] {
        try read { db in
            try FleetQuery.run(filter) { sql, arguments in
                try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            }
        }
    }
}
