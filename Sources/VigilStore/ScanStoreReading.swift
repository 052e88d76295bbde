import Foundation
import GRDB

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
            try Row.fetchAll(db, sql: "SELECT * FROM scans \(whereClause) ORDER BY started_at DESC, id DESC \(limitClause)",
                             arguments: arguments).map(ScanStore.scan(from:))
        }
    }

    /// The scan named by `reference`: its number, "last", or a prefix of its UUID
    /// (at least 4 characters, matching one scan).
    public func scan(_ reference: String) throws -> StoredScan {
        try read { db in
            let rows: [Row]
            if reference == "last" || reference == "latest" {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM scans ORDER BY started_at DESC, id DESC LIMIT 1")
            } else if let id = Int64(reference) {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM scans WHERE id = ?", arguments: [id])
            } else if reference.count >= 4, reference.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM scans WHERE uuid LIKE ? LIMIT 2",
                                        arguments: [reference.lowercased() + "%"])
            } else {
                rows = []
            }
            guard rows.count == 1 else {
                throw StoreError.noSuchScan(rows.isEmpty ? reference : "\(reference) (several scans match)")
            }
            return ScanStore.scan(from: rows[0])
        }
    }

    /// The scan before `scan` of the same host, benchmark and profile, if any.
    public func previous(of scan: StoredScan) throws -> StoredScan? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM scans
                WHERE host_id = ? AND benchmark_id = ? AND profile_id = ?
                  AND (started_at < ? OR (started_at = ? AND id < ?))
                ORDER BY started_at DESC, id DESC LIMIT 1
                """, arguments: [scan.hostID, scan.benchmarkID, scan.profileID,
                                 scan.startedAt.timeIntervalSince1970, scan.startedAt.timeIntervalSince1970, scan.id])
                .map(ScanStore.scan(from:))
        }
    }

    /// The rule results of a stored scan, in benchmark order.
    public func results(of scanID: Int64) throws -> [RuleRecord] {
        try read { db in
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: """
                SELECT r.rule_id, r.instance, r.severity, r.result, r.evidence, ru.title, ru.refs
                FROM results r JOIN scans s ON s.id = r.scan_id
                LEFT JOIN rules ru ON ru.content_sha256 = s.content_sha256 AND ru.rule_id = r.rule_id
                WHERE r.scan_id = ? ORDER BY r.seq
                """, arguments: [scanID]).map { row in
                let refs: String = row["refs"] ?? "[]"
                return RuleRecord(ruleID: row["rule_id"], instance: row["instance"], title: row["title"] ?? "",
                                  severity: row["severity"], result: row["result"],
                                  references: (try? decoder.decode([RuleReference].self, from: Data(refs.utf8))) ?? [],
                                  evidence: row["evidence"])
            }
        }
    }

    /// How many scans are stored.
    public func scanCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM scans") ?? 0 }
    }

    static func scan(from row: Row) -> StoredScan {
        var counts: [String: Int] = [:]
        for name in storedResultNames {
            let n: Int = row[name] ?? 0
            if n > 0 { counts[name] = n }
        }
        return StoredScan(id: row["id"], uuid: row["uuid"], hostName: row["host_name"], hostID: row["host_id"],
                          target: row["target"], contentPath: row["content_path"], contentSHA256: row["content_sha256"],
                          benchmarkID: row["benchmark_id"], benchmarkVersion: row["benchmark_version"],
                          profileID: row["profile_id"], vigilVersion: row["vigil_version"],
                          startedAt: Date(timeIntervalSince1970: row["started_at"]),
                          finishedAt: Date(timeIntervalSince1970: row["finished_at"]),
                          score: row["score"], scoreMax: row["score_max"], scoreSystem: row["score_system"],
                          counts: counts)
    }
}
