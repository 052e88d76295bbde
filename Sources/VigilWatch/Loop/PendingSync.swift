import Foundation
import Logging
import VigilStore

/// `vigil watch` with a PostgreSQL `--db`: every scan is kept in the node's journal and
/// sent with those still pending; when the database was down, this retries the pending
/// scans every `interval` (default 60 s) instead of waiting for the next scan, so they
/// arrive soon after the database is back. Each is stored once: the database keeps a
/// scan by its UUID, so a scan sent again by a scan's own forwarding is not duplicated.
public final class PendingSync: @unchecked Sendable {
    private let forwarder: Forwarder
    private let journal: String
    private let logger: Logger
    private let timer: DispatchSourceTimer
    private let queue = DispatchQueue(label: "vigil.watch.sync")

    /// Starts retrying the journal's scans pending for `destination`.
    public init(destination: String, journal: String, logger: Logger, interval: TimeInterval = 60) {
        forwarder = Forwarder(destination: destination)
        self.journal = journal
        self.logger = logger
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(1))
        timer.setEventHandler { [weak self] in self?.retry() }
        timer.resume()
    }

    /// Sends what is pending now, logging what was sent and what is still pending.
    func retry() {
        let outcome: SyncOutcome
        do {
            let store = try ScanStore(path: journal)
            guard try !store.pendingScans(for: forwarder.destination).isEmpty else { return }
            outcome = forwarder.sync(store)
        } catch {
            logger.warning("cannot read the journal: \(error)", metadata: ["event": "sync", "result": "error"])
            return
        }
        var fields: Logger.Metadata = ["event": "sync", "sent": "\(outcome.sent)", "pending": "\(outcome.pending)",
                                       "database": "\(forwarder.label)"]
        if let error = outcome.error {
            fields["result"] = "error"
            logger.warning("pending scans not sent: \(error)", metadata: fields)
        } else {
            fields["result"] = "ok"
            logger.info("pending scans sent", metadata: fields)
        }
    }

    /// Stops retrying.
    public func stop() {
        timer.cancel()
    }
}
