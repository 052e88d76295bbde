import Foundation
import Logging
import VigilEngine

/// `vigil watch --on-change`: the cycle's scans record what each rule read, a
/// `ChangeMonitor` watches those files, and a change asks the loop to rescan only the
/// rules it touched (`ChangeDrivenScans`; the others are carried over, so each rescan is
/// stored as a complete scan). Made before the loop, bound to it with `attach`.
public final class OnChangeScans: @unchecked Sendable {
    private let lock = NSLock()
    private var loop: WatchLoop?
    private var scans: ChangeDrivenScans!

    /// Throws when the options' target cannot be watched (an image).
    public init(options: ScanOptions, logger: Logger) throws {
        scans = try ChangeDrivenScans(options: options, log: { message in
            logger.info("\(message)", metadata: ["event": "on_change"])
        }, requestRescan: { [weak self] rules in
            guard let self else { return }
            let loop = self.lock.withLock { self.loop }
            logger.info("files changed", metadata: ["event": "change", "rules": "\(rules.map { "\($0.count)" } ?? "all")"])
            loop?.requestRescan(rules: rules)
        })
    }

    /// The cycle's scan: a full scan (nil) or a partial rescan of `rules`.
    public var scan: WatchCycle.Scan {
        { [scans] rules, events in try scans!.scan(rules: rules, events: events) }
    }

    /// Sends the rescan requests of later changes to `loop`.
    public func attach(_ loop: WatchLoop) {
        lock.withLock { self.loop = loop }
    }

    /// Stops watching files.
    public func stop() {
        scans.stop()
    }
}
