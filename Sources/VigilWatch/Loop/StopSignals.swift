import Dispatch
import Foundation
import Logging

/// SIGTERM and SIGINT for `vigil watch` (the signals ignored first, then read through
/// DispatchSource): the first stops the loop, which ends after the scan in progress is
/// finished and stored; a second signal, or the scan still running `grace` seconds after
/// the first, discards that scan whole (the store writes a scan in one transaction, which
/// a process that exits before its commit never makes) and exits with `discardExitCode`.
public final class StopSignals: @unchecked Sendable {
    /// The exit code of a stop that discarded the scan in progress.
    public static let discardExitCode: Int32 = 5

    private let queue = DispatchQueue(label: "vigil.watch.signals")
    private var sources: [any DispatchSourceSignal] = []
    /// Signals received; only touched on `queue`.
    private var received = 0
    let loop: WatchLoop
    let grace: TimeInterval
    let logger: Logger

    public init(loop: WatchLoop, grace: TimeInterval, logger: Logger, signals: [Int32] = [SIGTERM, SIGINT]) {
        self.loop = loop
        self.grace = grace
        self.logger = logger
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            // Signals that come before the handler runs are coalesced into one event:
            // its `data` says how many there were (two quick SIGTERMs are two).
            source.setEventHandler { [unowned self, source] in self.received(number, count: Int(source.data)) }
            source.resume()
            sources.append(source)
        }
    }

    private func received(_ number: Int32, count: Int) {
        let first = received == 0
        received += max(1, count)
        let name = number == SIGTERM ? "TERM" : number == SIGINT ? "INT" : "\(number)"
        guard first else {
            if loop.isScanning { discard("a second signal (\(name))") }
            return
        }
        loop.stop()
        if received > 1 && loop.isScanning { discard("a second signal (\(name))") }
        guard loop.isScanning else {
            logger.info("stopping", metadata: ["event": "stop", "signal": "\(name)"])
            return
        }
        logger.info("stopping after the scan in progress", metadata: [
            "event": "stop", "signal": "\(name)", "stop_timeout_s": "\(Int(grace))"])
        queue.asyncAfter(deadline: .now() + grace) { [unowned self] in
            if self.loop.isScanning { self.discard("the scan still running after --stop-timeout") }
        }
    }

    /// Ends the process at once: the scan in progress is not stored.
    private func discard(_ why: String) -> Never {
        logger.warning("scan in progress discarded, not stored", metadata: [
            "event": "shutdown", "result": "discarded", "reason": "\(why)"])
        _exit(Self.discardExitCode)
    }
}
