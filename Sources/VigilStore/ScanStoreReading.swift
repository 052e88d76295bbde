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
            let decoder = JSONDecoder()
            var out: [RuleRecord] = []
            let extra = details ? ", ru.refs, ru.description, ru.rationale, ru.fixtext, ru.groups" : ""
            let rows = try Row.fetchCursor(db, sql: """
                SELECT ru.rule_id, r.instance, r.severity, r.result, r.evidence, ru.title, r.check_system\(extra)
                FROM results r JOIN rules ru ON ru.id = r.rule
                WHERE r.scan_id = ? ORDER BY r.seq
                """, arguments: [scanID])
            while let row = try rows.next() {
                let text: String = row[3]
                guard let result = XCCDFResult(rawValue: text) else {
                    throw StoreError.database(path: path, message: "scan \(scanID): rule \(row[0] as String) has an unknown result '\(text)'; the database was not written by this Vigil or is damaged")
                }
                let stored: DatabaseValue = row[6]
                let checkSystem = Int64.fromDatabaseValue(stored).flatMap(StoredCheckSystem.system(code:))
                guard stored.isNull || checkSystem != nil else {
                    throw StoreError.database(path: path, message: "scan \(scanID): rule \(row[0] as String) has an unknown check system \(stored); the database was not written by this Vigil or is damaged")
                }
                var record = RuleRecord(ruleID: row[0], instance: row[1], title: row[5], severity: row[2],
                                        result: result, evidence: row[4], checkSystem: checkSystem)
                if details {
                    let json: String = row[7]
                    record.references = (try? decoder.decode([RuleReference].self, from: Data(json.utf8))) ?? []
                    record.description = row[8]
                    record.rationale = row[9]
                    record.fixText = row[10]
                    let groups: String = row[11]
                    record.groups = (try? decoder.decode([String].self, from: Data(groups.utf8))) ?? []
                }
                out.append(record)
            }
            return out
        }
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

    /// A scan from a row of `scanColumns` (read by position: history lists thousands).
    static func scan(from row: Row) -> StoredScan {
        var counts: [XCCDFResult: Int] = [:]
        for (i, result) in XCCDFResult.listingOrder.enumerated() {
            let n: Int = row[17 + i]
            if n > 0 { counts[result] = n }
        }
        let metadata = ScanMetadata(uuid: row[1], hostName: row[2], hostID: row[3], target: row[4], targetKind: row[5],
                                    contentPath: row[6], contentSHA256: row[7], benchmarkID: row[8],
                                    benchmarkVersion: row[9], profileID: row[10], vigilVersion: row[11],
                                    startedAt: Date(timeIntervalSince1970: row[12]),
                                    finishedAt: Date(timeIntervalSince1970: row[13]),
                                    score: row[14], scoreMax: row[15], scoreSystem: row[16],
                                    system: SystemIdentity(jsonText: row[17 + XCCDFResult.listingOrder.count]))
        return StoredScan(id: row[0], metadata: metadata, counts: counts)
    }
}
