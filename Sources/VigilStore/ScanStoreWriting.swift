import Foundation
import GRDB
import VigilCore

extension ScanStore {
    /// Stores a scan and all its rule results in one transaction; returns its id.
    @discardableResult
    public func save(_ scan: ScanRecord) throws -> Int64 {
        try write { db in try ScanStore.insert(scan, db) }
    }

    /// Inserts a scan, its rules and results and its policy in the current transaction;
    /// returns its number.
    static func insert(_ scan: ScanRecord, _ db: Database) throws -> Int64 {
        let delay = ScanStore.testDelay
        if delay > 0 { FileHandle.standardError.write(Data("vigil: test hook: storing scan\n".utf8)) }
        try ScanStore.insertScan(scan, db)
        let scanID = db.lastInsertedRowID
        try db.execute(sql: "UPDATE scans SET system = ? WHERE id = ?", arguments: [scan.system?.jsonText(), scanID])
        let addRule = try db.cachedStatement(sql: """
            INSERT INTO rules (content_sha256, rule_id, title, refs, description, rationale, fixtext, groups)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (content_sha256, rule_id) DO NOTHING
            """)
        let findRule = try db.cachedStatement(sql: "SELECT id FROM rules WHERE content_sha256 = ? AND rule_id = ?")
        let result = try db.cachedStatement(sql: """
            INSERT INTO results (scan_id, seq, rule, instance, severity, result, evidence, check_system)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var ruleNumbers: [String: Int64] = [:]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (seq, r) in scan.rules.enumerated() {
            let number: Int64
            if let known = ruleNumbers[r.ruleID] {
                number = known
            } else if let stored = try Int64.fetchOne(findRule, arguments: [scan.contentSHA256, r.ruleID]) {
                // Stored by an earlier scan of the same content: its texts are the same
                // (the insert below would do nothing), so nothing is encoded or bound.
                number = stored
                ruleNumbers[r.ruleID] = number
            } else {
                let refs = String(decoding: try encoder.encode(r.references), as: UTF8.self)
                let groups = String(decoding: try encoder.encode(r.groups), as: UTF8.self)
                try addRule.execute(arguments: [scan.contentSHA256, r.ruleID, r.title, refs,
                                                r.description, r.rationale, r.fixText, groups])
                number = try Int64.fetchOne(findRule, arguments: [scan.contentSHA256, r.ruleID]) ?? 0
                ruleNumbers[r.ruleID] = number
            }
            try result.execute(arguments: [scanID, seq, number, r.instance, r.severity, r.result.rawValue, r.evidence,
                                          r.checkSystem.map(StoredCheckSystem.code)])
            if delay > 0 && seq % 50 == 49 { usleep(delay) }
        }
        if let policy = scan.policy {
            try db.execute(sql: "INSERT INTO scan_policies (scan_id, policy) VALUES (?, ?)",
                           arguments: [scanID, String(decoding: try encoder.encode(policy), as: UTF8.self)])
        }
        return scanID
    }

    /// Inserts the scan's row: its metadata and how many rules had each result.
    private static func insertScan(_ scan: ScanRecord, _ db: Database) throws {
        let counts = scan.counts
        let columns = XCCDFResult.listingOrder.map(\.rawValue)
        let m = scan.metadata
        try db.execute(sql: """
            INSERT INTO scans (uuid, host_name, host_id, target, target_kind, content_path, content_sha256, benchmark_id,
              benchmark_version, profile_id, vigil_version, started_at, finished_at, score, score_max, score_system,
              \(columns.joined(separator: ", ")))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, \(columns.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: StatementArguments([
                m.uuid, m.hostName, m.hostID, m.target, m.targetKind, m.contentPath, m.contentSHA256,
                m.benchmarkID, m.benchmarkVersion, m.profileID, m.vigilVersion,
                m.startedAt.timeIntervalSince1970, m.finishedAt.timeIntervalSince1970,
                m.score, m.scoreMax, m.scoreSystem,
            ] as [(any DatabaseValueConvertible)?]) + StatementArguments(XCCDFResult.listingOrder.map { counts[$0] ?? 0 }))
    }

    /// Deletes all but the newest `keep` scans of each host, benchmark and profile;
    /// returns how many scans were deleted. A journal's scans still waiting to be sent
    /// to a PostgreSQL database (`Outbox`) are kept whatever their age.
    @discardableResult
    public func prune(keep: Int) throws -> Int {
        try write { db in
            try db.execute(sql: """
                DELETE FROM scans WHERE id IN (
                  SELECT id FROM (
                    SELECT id, ROW_NUMBER() OVER (PARTITION BY host_id, benchmark_id, profile_id
                                                  ORDER BY started_at DESC, id DESC) AS n
                    FROM scans)
                  WHERE n > ?) AND \(ScanStore.notPending)
                """, arguments: [max(0, keep)])
            let deleted = db.changesCount
            try ScanStore.dropUnusedRules(db)
            return deleted
        }
    }

    /// Deletes the scans started before `date` (but those still waiting to be sent);
    /// returns how many were deleted.
    @discardableResult
    public func prune(olderThan date: Date) throws -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM scans WHERE started_at < ? AND \(ScanStore.notPending)",
                           arguments: [date.timeIntervalSince1970])
            let deleted = db.changesCount
            try ScanStore.dropUnusedRules(db)
            return deleted
        }
    }

    /// The condition that keeps a scan pending in the outbox from being pruned: deleted,
    /// it would never reach the fleet's database.
    static let notPending = "id NOT IN (SELECT scan_id FROM outbox WHERE sent_at IS NULL)"

    private static func dropUnusedRules(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM rules WHERE content_sha256 NOT IN (SELECT content_sha256 FROM scans)")
    }

    /// Microseconds to pause after every 50 rule results while storing (a test hook, set
    /// by `VIGIL_STORE_TEST_DELAY_US`, to kill a write half way).
    static let testDelay: UInt32 = {
        ProcessInfo.processInfo.environment["VIGIL_STORE_TEST_DELAY_US"].flatMap(UInt32.init) ?? 0
    }()
}
