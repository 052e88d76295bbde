import Foundation
import VigilTarget

/// The scans of a long-lived watch with on-change rescans: each scan records its
/// footprint; a rescan of some rules carries the others over from the previous scan
/// (`PartialRescan`); after each scan a `ChangeMonitor` watches the files the rules read
/// and asks, through `requestRescan`, for the rules a change touched. The watch loop runs
/// `scan(rules:events:)` for each of its scans (never two at once) and `stop()` at the end.
public final class ChangeDrivenScans: @unchecked Sendable {
    private let options: ScanOptions
    private let root: String?
    private let log: @Sendable (String) -> Void
    private let requestRescan: @Sendable (Set<String>?) -> Void
    private let lock = NSLock()
    private var last: ScanOutcome?
    private var monitor: ChangeMonitor?
    private var stopped = false

    /// Throws when the options name a target that cannot be watched (an image) or a root
    /// that cannot be opened.
    public init(options: ScanOptions, log: @escaping @Sendable (String) -> Void = { _ in },
                requestRescan: @escaping @Sendable (Set<String>?) -> Void) throws {
        if options.image != nil { throw ChangeMonitorError.unsupportedTarget(TargetKind.image.rawValue) }
        var root: String?
        if let dir = options.root {
            let target: any Target
            do { target = try Targets.root(dir) } catch { throw ChangeMonitorError.root(dir, "\(error)") }
            root = try ChangeMonitor.root(for: target)
        }
        self.root = root
        self.options = options
        self.log = log
        self.requestRescan = requestRescan
    }

    /// Runs one scan: of every rule (nil), or of `rules` with the others carried over from
    /// the previous scan (a full scan when there is none yet); then watches its footprint.
    public func scan(rules: Set<String>?, events: @escaping @Sendable (ScanEvent) -> Void = { _ in }) throws -> ScanOutcome {
        var o = options
        o.recordFootprint = true
        if let rules, let previous = lock.withLock({ last }) { o.rescan = PartialRescan(rules: rules, after: previous) }
        let outcome = try ScanSession(o).run(events: events)
        lock.withLock { last = outcome }
        if let footprint = outcome.footprint { try watch(footprint) }
        return outcome
    }

    /// Stops watching.
    public func stop() {
        let current = lock.withLock { () -> ChangeMonitor? in
            stopped = true
            return monitor
        }
        current?.stop()
    }

    private func watch(_ footprint: ScanFootprint) throws {
        if let current = lock.withLock({ stopped ? nil : monitor }) {
            current.update(footprint: footprint)
            return
        }
        guard !lock.withLock({ stopped }) else { return }
        let started = try ChangeMonitor(footprint: footprint, root: root, log: log, onChange: requestRescan)
        lock.withLock { monitor = started }
    }
}
