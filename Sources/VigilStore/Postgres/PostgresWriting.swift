import Foundation
import VigilCore

extension PostgresStore {
    /// Stores a scan with one call of `vigil_store_scan` (one round trip, one transaction);
    /// a scan whose uuid is already stored is not stored twice: its number is returned.
    @discardableResult
    public func save(_ scan: ScanRecord) throws -> Int64 {
        let document = try PostgresDocument.json(scan)
        guard let id = try query("SELECT vigil_store_scan(?::json)", [document]).first?.integer(0) else {
            throw StoreError.database(path: location, message: "vigil_store_scan returned no scan number")
        }
        return id
    }

    /// Deletes all but the newest `keep` scans of each series (as `ScanStore.prune(keep:)`).
    @discardableResult
    public func prune(keep: Int) throws -> Int {
        try transaction { c in
            let deleted = try c.execute("""
                WITH gone AS (
                  DELETE FROM scans WHERE id IN (
                    SELECT id FROM (
                      SELECT id, ROW_NUMBER() OVER (PARTITION BY host_id, benchmark_id, profile_id
                                                    ORDER BY started_at DESC, id DESC) AS n
                      FROM scans) AS ranked
                    WHERE n > $1)
                  RETURNING 1)
                SELECT count(*) FROM gone
                """, ["\(max(0, keep))"]).first?.integer(0) ?? 0
            try PostgresStore.dropUnusedRules(c)
            return Int(deleted)
        }
    }

    /// Deletes the scans started before `date` (as `ScanStore.prune(olderThan:)`).
    @discardableResult
    public func prune(olderThan date: Date) throws -> Int {
        try transaction { c in
            let deleted = try c.execute("WITH gone AS (DELETE FROM scans WHERE started_at < $1 RETURNING 1) SELECT count(*) FROM gone",
                                        ["\(date.timeIntervalSince1970)"]).first?.integer(0) ?? 0
            try PostgresStore.dropUnusedRules(c)
            return Int(deleted)
        }
    }

    private static func dropUnusedRules(_ c: PGConnection) throws {
        try c.execute("DELETE FROM rules WHERE content_sha256 NOT IN (SELECT content_sha256 FROM scans)")
    }
}

/// The JSON document `vigil_store_scan` takes: {"scan": {column: value...}, "rules": [the
/// distinct rules], "results": [{seq, rule_id, ...}], "policy": text or null}. Texts are
/// made storable (PostgreSQL's text holds no NUL character: it becomes U+FFFD).
enum PostgresDocument {
    static func json(_ scan: ScanRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func text(_ s: String) -> String { PGConnection.storable(s) }
        func json<T: Encodable>(_ value: T) throws -> String { text(String(decoding: try encoder.encode(value), as: UTF8.self)) }
        let m = scan.metadata
        let counts = scan.counts
        var row: [String: Value] = [
            "uuid": .text(m.uuid), "host_name": .text(text(m.hostName)), "host_id": .text(text(m.hostID)),
            "target": .text(text(m.target)), "target_kind": .text(m.targetKind), "content_path": .text(text(m.contentPath)),
            "content_sha256": .text(m.contentSHA256), "benchmark_id": .text(text(m.benchmarkID)),
            "benchmark_version": .text(text(m.benchmarkVersion)), "profile_id": .text(text(m.profileID)),
            "vigil_version": .text(m.vigilVersion), "started_at": .real(m.startedAt.timeIntervalSince1970),
            "finished_at": .real(m.finishedAt.timeIntervalSince1970), "score": m.score.map(Value.real) ?? .null,
            "score_max": m.scoreMax.map(Value.real) ?? .null, "score_system": m.scoreSystem.map { .text(text($0)) } ?? .null,
            "system": scan.system.map { .text(text($0.jsonText())) } ?? .null,
        ]
        for result in XCCDFResult.listingOrder { row[result.rawValue] = .integer(Int64(counts[result] ?? 0)) }
        var rules: [[String: Value]] = []
        var seen: Set<String> = []
        var results: [[String: Value]] = []
        for (seq, r) in scan.rules.enumerated() {
            if seen.insert(r.ruleID).inserted {
                rules.append(["rule_id": .text(text(r.ruleID)), "title": .text(text(r.title)), "refs": .text(try json(r.references)),
                              "description": .text(text(r.description)), "rationale": .text(text(r.rationale)),
                              "fixtext": .text(text(r.fixText)), "groups": .text(try json(r.groups))])
            }
            results.append(["seq": .integer(Int64(seq)), "rule_id": .text(text(r.ruleID)), "instance": .text(text(r.instance)),
                            "severity": .text(text(r.severity)), "result": .text(r.result.rawValue),
                            "evidence": r.evidence.map { .text(text($0)) } ?? .null,
                            "check_system": r.checkSystem.map { .integer(StoredCheckSystem.code($0)) } ?? .null])
        }
        let policy: Value = try scan.policy.map { .text(try json($0)) } ?? .null
        let document = Document(scan: row, rules: rules, results: results, policy: policy)
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    /// The document's top level.
    struct Document: Encodable {
        let scan: [String: Value]
        let rules: [[String: Value]]
        let results: [[String: Value]]
        let policy: Value
    }

    /// A JSON scalar of the document.
    enum Value: Encodable {
        case text(String), integer(Int64), real(Double), null

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let s): try c.encode(s)
            case .integer(let n): try c.encode(n)
            case .real(let d): try c.encode(d)
            case .null: try c.encodeNil()
            }
        }
    }
}
