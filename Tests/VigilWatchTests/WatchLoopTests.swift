import Foundation
import Logging
import XCTest
@testable import VigilWatch

/// The loop: a scan at start, slots that a long scan overruns skipped and logged, rescan
/// requests merged, no two scans at once, and a stop that waits for the scan in progress.
final class WatchLoopTests: XCTestCase {
    /// What the cycles saw: each trigger, and whether two ever overlapped.
    final class Record: @unchecked Sendable {
        let lock = NSLock()
        var triggers: [WatchLoop.Trigger] = []
        var running = 0
        var overlapped = false
        func begin(_ t: WatchLoop.Trigger) { lock.withLock { triggers.append(t); running += 1; overlapped = overlapped || running > 1 } }
        func end() { lock.withLock { running -= 1 } }
        var count: Int { lock.withLock { triggers.count } }
    }

    func testOverrunSkipsSlotsAndStopWaitsForTheScan() throws {
        let log = LogCapture(), record = Record()
        // Slots every 0.2 s; the second scan takes 0.7 s, overrunning three slots.
        let loop = WatchLoop(schedule: .every(0.2), logger: log.logger()) { trigger in
            record.begin(trigger)
            if record.count == 2 { Thread.sleep(forTimeInterval: 0.7) }
            record.end()
            return nil
        }
        let done = expectation(description: "loop ended")
        Thread.detachNewThread { loop.run(); done.fulfill() }
        let deadline = Date().addingTimeInterval(5)
        while record.count < 4 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        loop.stop()
        wait(for: [done], timeout: 5)
        XCTAssertFalse(record.overlapped)
        XCTAssertGreaterThanOrEqual(record.count, 4)
        let skips = log.events("skip")
        XCTAssertEqual(skips.count, 1, log.lines.joined())
        // 0.4, 0.6 and 0.8 pass during the scan (0.2 to about 0.9; 1.0 too on a slow machine).
        XCTAssertTrue(skips.first.map { $0.contains("skipped=3") || $0.contains("skipped=4") } ?? false, skips.joined())
        XCTAssertEqual(log.events("start").count, 1)
        XCTAssertEqual(log.events("shutdown").count, 1)
    }

    func testRescanRequestsAreMergedAndRunBetweenSlots() throws {
        let log = LogCapture(), record = Record()
        let gate = DispatchSemaphore(value: 0)
        let loop = WatchLoop(schedule: .every(3600), logger: log.logger()) { trigger in
            record.begin(trigger)
            // The first two scans wait for the test, so that requests arrive while they run.
            if record.count <= 2 { gate.wait() }
            record.end()
            return nil
        }
        let done = expectation(description: "loop ended")
        Thread.detachNewThread { loop.run(); done.fulfill() }
        while record.count < 1 { Thread.sleep(forTimeInterval: 0.01) }
        // While the first scan runs, two requests arrive: one scan of both sets follows.
        loop.requestRescan(rules: ["a"])
        loop.requestRescan(rules: ["b"])
        XCTAssertTrue(loop.isScanning)
        gate.signal()
        while record.count < 2 { Thread.sleep(forTimeInterval: 0.01) }
        // While that rescan runs, a request for some rules and one for every rule arrive:
        // one scan of every rule follows.
        loop.requestRescan(rules: ["c"])
        loop.requestRescan(rules: nil)
        XCTAssertTrue(loop.isScanning)
        gate.signal()
        while record.count < 3 { Thread.sleep(forTimeInterval: 0.01) }
        loop.stop()
        wait(for: [done], timeout: 5)
        XCTAssertEqual(record.triggers, [.schedule, .rescan(rules: ["a", "b"]), .rescan(rules: nil)])
        XCTAssertEqual(log.events("skip"), [], "an hourly slot is not passed")
    }

    func testOnceRunsOneCycleAndTellsItsOutcome() {
        let log = LogCapture()
        let failing = WatchLoop(schedule: .every(10), logger: log.logger()) { _ in "database is locked" }
        XCTAssertFalse(failing.run(once: true))
        XCTAssertTrue(WatchLoop(schedule: .every(10), logger: log.logger()) { _ in nil }.run(once: true))
        // A long-running loop whose scan failed: /healthz says why.
        let running = WatchLoop(schedule: .every(3600), logger: log.logger()) { _ in "database is locked" }
        let done = expectation(description: "loop ended")
        Thread.detachNewThread { running.run(); done.fulfill() }
        let deadline = Date().addingTimeInterval(5)
        while running.health.problem()?.contains("database is locked") != true && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertEqual(running.health.problem(), "the last scan failed: database is locked")
        running.stop()
        wait(for: [done], timeout: 5)
    }

    func testHealthFollowsTheLastScanAndItsAge() {
        let health = WatchHealth()
        XCTAssertNotNil(health.problem(), "not running yet")
        let start = Date()
        health.started(interval: 60, at: start)
        XCTAssertNil(health.problem(now: start.addingTimeInterval(100)))
        XCTAssertNotNil(health.problem(now: start.addingTimeInterval(121)), "older than twice the interval")
        health.scanned(failure: "database is locked", at: start.addingTimeInterval(130), interval: 60)
        XCTAssertTrue(health.problem(now: start.addingTimeInterval(131))?.contains("database is locked") ?? false)
        health.scanned(failure: nil, at: start.addingTimeInterval(190), interval: 60)
        XCTAssertNil(health.problem(now: start.addingTimeInterval(200)))
        health.stopped()
        XCTAssertNotNil(health.problem(now: start.addingTimeInterval(200)))
    }

    func testLogfmtLines() {
        let log = LogCapture()
        log.logger().info("scan finished", metadata: ["event": "scan", "host": "web 1", "path": "a\"b\\c\nd", "score": "92.50"])
        XCTAssertEqual(log.lines, [#"level=info event=scan host="web 1" path="a\"b\\c\nd" score=92.50 msg="scan finished""# + "\n"])
        let stamped = LogCapture()
        stamped.logger(timestamps: true).warning("x", metadata: ["event": "skip"])
        XCTAssertTrue(stamped.lines.first?.hasPrefix("ts=20") ?? false, stamped.lines.joined())
    }
}
