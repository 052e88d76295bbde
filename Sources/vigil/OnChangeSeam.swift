import Logging
import VigilEngine
import VigilWatch

/// Where `vigil watch --on-change` starts watching the files the rules read: the monitor
/// calls `loop.requestRescan(rules:)` with the rules a change touched. This build has no
/// monitor: it says so once and scans on the schedule only.
enum OnChangeSeam {
    static func start(loop: WatchLoop, options: ScanOptions, logger: Logger) {
        logger.warning("on-change not available in this build: scanning on the schedule only", metadata: ["event": "on_change"])
    }
}
