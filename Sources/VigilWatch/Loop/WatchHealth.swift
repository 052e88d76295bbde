import Foundation

/// What `/healthz` answers: healthy once the loop runs, unless the last scan failed or
/// the last scan (or, before any, the start) is older than twice the schedule's interval.
public final class WatchHealth: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var since = Date()
    private var lastFailure: String?
    private var interval: TimeInterval = 0

    public init() {}

    /// The loop has started; `interval` is the time between two scheduled scans.
    func started(interval: TimeInterval, at date: Date = Date()) {
        lock.withLock { running = true; since = date; self.interval = interval }
    }

    /// A scan ended at `date`: nil when it succeeded, else why it failed.
    func scanned(failure: String?, at date: Date = Date(), interval: TimeInterval) {
        lock.withLock { lastFailure = failure; since = date; self.interval = interval }
    }

    /// The loop has stopped.
    func stopped() { lock.withLock { running = false } }

    /// nil when healthy, else the reason it is not.
    public func problem(now: Date = Date()) -> String? {
        lock.withLock {
            guard running else { return "the watch loop is not running" }
            if let lastFailure { return "the last scan failed: \(lastFailure)" }
            let age = now.timeIntervalSince(since)
            if age > 2 * interval { return "no scan for \(Int(age))s, more than twice the interval (\(Int(interval))s)" }
            return nil
        }
    }
}
