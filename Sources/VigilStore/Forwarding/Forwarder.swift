import Foundation
import VigilCore

/// Sends a node's scans to a central PostgreSQL database through its local journal: a scan
/// is stored first in the node's SQLite store with an outbox row (`ScanStore.save(_:forwardingTo:)`),
/// then every pending scan is sent, oldest first. A scan is stored centrally exactly once:
/// `vigil_store_scan` ignores a uuid it already has, so a scan sent again after a crash
/// between sending and marking it sent is not duplicated. `vigil scan`, `vigil sync` and
/// `vigil watch` all go through this.
public struct Forwarder: Sendable {
    /// The central database's URI (with its password: never shown; `label` is what is shown).
    public let destination: String

    public init(destination: String) {
        self.destination = destination
    }

    /// The destination without its password.
    public var label: String { DatabaseURI.redacted(destination) }

    /// Stores `scan` in `journal`, then sends what is pending; returns the scan's number in
    /// the journal and what sending did. Throws only when the journal cannot store it.
    public func store(_ scan: ScanRecord, in journal: ScanStore) throws -> (id: Int64, sync: SyncOutcome) {
        let id = try journal.save(scan, forwardingTo: destination)
        return (id, sync(journal))
    }

    /// Sends the journal's pending scans, oldest first, marking each sent once the
    /// destination has it. Stops at the first scan that cannot be sent (the database is
    /// down, refuses the role...): the rest stay pending, in order.
    public func sync(_ journal: ScanStore) -> SyncOutcome {
        var outcome = SyncOutcome()
        let pending: [OutboxEntry]
        do { pending = try journal.pendingScans(for: destination) } catch {
            outcome.error = "\(error)"
            return outcome
        }
        outcome.pending = pending.count
        guard !pending.isEmpty else { return outcome }
        let central: PostgresStore
        do { central = try PostgresStore(uri: destination, access: .readWrite) } catch {
            outcome.error = "\(error)"
            for entry in pending { try? journal.markFailed(entry.scanID, to: destination, error: "\(error)") }
            return outcome
        }
        for entry in pending {
            do {
                try central.save(try journal.record(of: entry.scanID))
                Forwarder.testKillAfterSending()
                try journal.markSent(entry.scanID, to: destination)
                outcome.sent += 1
                outcome.pending -= 1
            } catch {
                outcome.error = "scan \(entry.scanID) (\(entry.uuid)): \(error)"
                try? journal.markFailed(entry.scanID, to: destination, error: "\(error)")
                break
            }
        }
        return outcome
    }

    /// A test hook: with `VIGIL_SYNC_TEST_KILL_AFTER_SEND=1`, the process kills itself
    /// (SIGKILL) once a scan is sent and before it is marked sent.
    static func testKillAfterSending() {
        if ProcessInfo.processInfo.environment["VIGIL_SYNC_TEST_KILL_AFTER_SEND"] == "1" { kill(getpid(), SIGKILL) }
    }
}

/// What one round of sending did.
public struct SyncOutcome: Sendable, Equatable {
    /// Scans sent (and marked sent) in this round.
    public var sent = 0
    /// Scans still waiting after it.
    public var pending = 0
    /// Why sending stopped, when it did.
    public var error: String?

    public init() {}
}
