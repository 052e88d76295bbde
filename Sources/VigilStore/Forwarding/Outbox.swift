import Foundation
import GRDB
import VigilCore

/// The journal's outbox (SQLite migration `v9-outbox`): the scans a node stored in its own
/// SQLite store and still has to send to a central database, named by its URI without a
/// password or connection options (`DatabaseURI.destination`). A scan and its outbox row
/// are written in one transaction, so a scan stored is never a scan forgotten.
extension ScanStore {
    /// Stores a scan and records it as to be sent to `destination`, in one transaction.
    @discardableResult
    public func save(_ scan: ScanRecord, forwardingTo destination: String) throws -> Int64 {
        try write { db in
            let id = try ScanStore.insert(scan, db)
            try db.execute(sql: "INSERT INTO outbox (scan_id, destination, queued_at) VALUES (?, ?, ?)",
                           arguments: [id, DatabaseURI.destination(destination), Date().timeIntervalSince1970])
            return id
        }
    }

    /// The scans not yet sent to `destination`, oldest first (by start, then number).
    public func pendingScans(for destination: String) throws -> [OutboxEntry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.scan_id, s.uuid, o.attempts, o.last_error FROM outbox o JOIN scans s ON s.id = o.scan_id
                WHERE o.destination = ? AND o.sent_at IS NULL ORDER BY s.started_at, s.id
                """, arguments: [DatabaseURI.destination(destination)]).map {
                OutboxEntry(scanID: $0[0], uuid: $0[1], attempts: $0[2], lastError: $0[3])
            }
        }
    }

    /// Records that `destination` has the scan.
    public func markSent(_ scanID: Int64, to destination: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE scan_id = ? AND destination = ?",
                           arguments: [Date().timeIntervalSince1970, scanID, DatabaseURI.destination(destination)])
        }
    }

    /// Records a failed attempt to send the scan, and why.
    public func markFailed(_ scanID: Int64, to destination: String, error: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE scan_id = ? AND destination = ?",
                           arguments: [error, scanID, DatabaseURI.destination(destination)])
        }
    }

    /// The scan as it was stored, whole (metadata, every result with its rule's details,
    /// policy): what is sent to the central database.
    public func record(of scanID: Int64) throws -> ScanRecord {
        let stored = try scan(String(scanID))
        var record = ScanRecord(metadata: stored.metadata, rules: try results(of: scanID, details: true))
        record.policy = try policy(of: scanID)
        return record
    }
}

/// A scan waiting in the outbox.
public struct OutboxEntry: Sendable, Equatable {
    public var scanID: Int64
    public var uuid: String
    /// How many times sending it was tried.
    public var attempts: Int
    /// Why the last attempt failed.
    public var lastError: String?
}
