import Foundation
import Logging

/// The long-lived loop of `vigil watch`: a scan at start, then one at each slot of the
/// schedule, and one whenever `requestRescan` asks; never two at once. A slot that
/// passes while a scan runs is skipped (and logged). `stop()` ends the loop after the
/// scan in progress, if any.
public final class WatchLoop: @unchecked Sendable {
    /// Why a scan runs: its slot came, or a rescan was asked (nil rules: every rule).
    public enum Trigger: Sendable, Equatable {
        case schedule
        case rescan(rules: Set<String>?)
    }

    public let schedule: WatchSchedule
    /// Runs one cycle: nil when it succeeded, else why it failed.
    let cycle: @Sendable (Trigger) -> String?
    let logger: Logger
    public let health: WatchHealth
    /// Guards the fields below; its condition wakes the loop.
    private let condition = NSCondition()
    private var stopping = false
    private var scanning = false
    private var pendingRescan: Set<String>?? = nil

    public init(schedule: WatchSchedule, logger: Logger, health: WatchHealth = WatchHealth(),
                cycle: @escaping @Sendable (Trigger) -> String?) {
        self.schedule = schedule
        self.logger = logger
        self.health = health
        self.cycle = cycle
    }

    /// Asks for a scan as soon as none runs: of only `rules` (rule ids), or nil for every
    /// rule. Requests that arrive before it runs are merged into one.
    public func requestRescan(rules: Set<String>?) {
        condition.withLock {
            switch pendingRescan {
            case .none: pendingRescan = .some(rules)
            case .some(let earlier): pendingRescan = .some(earlier.flatMap { e in rules.map { e.union($0) } })
            }
            condition.signal()
        }
    }

    /// Ends the loop: at once when waiting, else after the scan in progress.
    public func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    /// Whether a scan is running now.
    public var isScanning: Bool { condition.withLock { scanning } }

    /// Runs until `stop()`; with `once`, one scan and returns. Returns whether the last
    /// scan succeeded.
    @discardableResult
    public func run(once: Bool = false) -> Bool {
        var slot = Date()
        health.started(interval: schedule.interval(after: slot), at: slot)
        logger.info("watch started", metadata: ["event": "start", "schedule": "\(Self.describe(schedule))",
                                                "first_scan": "now"])
        var failure: String?
        while let trigger = nextTrigger(slot) {
            failure = cycle(trigger)
            condition.withLock { scanning = false }
            health.scanned(failure: failure, interval: schedule.interval(after: Date()))
            if once { break }
            if trigger == .schedule { slot = schedule.next(after: slot) }
            slot = skipPassed(slot)
        }
        health.stopped()
        logger.info("watch stopped", metadata: ["event": "shutdown"])
        return failure == nil
    }

    /// Waits for the slot, a rescan request or a stop; the trigger to run (marking a scan
    /// as running), or nil to stop. A due slot wins over a rescan (a full scan covers it).
    func nextTrigger(_ slot: Date) -> Trigger? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if stopping { return nil }
            if Date() >= slot {
                pendingRescan = nil
                scanning = true
                return .schedule
            }
            if let rules = pendingRescan {
                pendingRescan = nil
                scanning = true
                return .rescan(rules: rules)
            }
            _ = condition.wait(until: slot)
        }
    }

    /// The first slot from `slot` on that is still ahead; each slot that passed during the
    /// scan is logged as skipped.
    func skipPassed(_ slot: Date) -> Date {
        var slot = slot
        var skipped = 0
        let now = Date()
        while slot <= now {
            skipped += 1
            slot = skipped > 10_000 ? schedule.next(after: now) : schedule.next(after: slot)
        }
        if skipped > 0 {
            logger.warning("a scan overran its schedule: slots skipped", metadata: [
                "event": "skip", "skipped": "\(skipped)", "next_scan": "\(ISO8601DateFormatter().string(from: slot))"])
        }
        return slot
    }

    static func describe(_ schedule: WatchSchedule) -> String {
        switch schedule {
        case .every(let seconds): return "every \(Int(seconds))s"
        case .cron(let cron): return "cron \(cron.text)"
        }
    }
}
