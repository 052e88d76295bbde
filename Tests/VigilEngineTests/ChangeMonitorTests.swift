import Foundation
@testable import VigilEngine
import VigilStore
import VigilTarget
import XCTest

/// `ChangeMonitor` on a real inotify instance, watching an offline root written by the
/// test: a change is reported as the rules it touches, soon, once; idle, it costs nothing.
final class ChangeMonitorTests: XCTestCase {
    /// What the monitor reported, and when.
    final class Reports: @unchecked Sendable {
        private let cond = NSCondition()
        private var reports: [(rules: Set<String>?, at: Date)] = []

        func add(_ rules: Set<String>?) { cond.withLock { reports.append((rules, Date())); cond.broadcast() } }

        /// The next report after the first `count`, waiting at most `timeout` seconds.
        func wait(after count: Int, timeout: Double) -> (rules: Set<String>?, at: Date)? {
            let deadline = Date().addingTimeInterval(timeout)
            cond.lock()
            defer { cond.unlock() }
            while reports.count <= count { if !cond.wait(until: deadline) { return nil } }
            return reports[count]
        }

        var count: Int { cond.withLock { reports.count } }
    }

    /// The fixture scanned with its footprint, and a monitor of its root.
    func monitored(hold: DispatchSemaphore? = nil) throws -> (root: String, footprint: ScanFootprint, monitor: ChangeMonitor, reports: Reports) {
        let (dir, rules, root) = try ChangeFixture.write()
        let outcome = try ScanSession(ChangeFixture.options(rules, root: root, dir: dir)).run()
        let footprint = try XCTUnwrap(outcome.footprint)
        let reports = Reports()
        let monitor = try ChangeMonitor(footprint: footprint, root: root, quiet: ChangeMonitor.defaultQuiet,
                                        maxDelay: ChangeMonitor.defaultMaxDelay, maxWatches: ChangeMonitor.defaultMaxWatches,
                                        log: { _ in }, hold: hold) { reports.add($0) }
        addTeardownBlock { monitor.stop() }
        return (root, footprint, monitor, reports)
    }

    static func rules(_ names: String...) -> Set<String> { Set(names.map { ChangeFixture.ns + $0 }) }

    /// Appending to a file in place: the rules reading it, within 2 seconds, in one report.
    func testAFileEditReportsExactlyTheRulesReadingIt() throws {
        let m = try monitored()
        let start = Date()
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: m.root + "/etc/ssh/sshd_config"))
        handle.seekToEndOfFile()
        handle.write(Data("Banner /etc/issue\n".utf8))
        handle.closeFile()
        let report = try XCTUnwrap(m.reports.wait(after: 0, timeout: 2), "no report within 2 s")
        XCTAssertEqual(report.rules, Self.rules("sshd_root", "sshd_max_tries", "sshd_ciphers", "host_keys"))
        XCTAssertLessThan(report.at.timeIntervalSince(start), 2)
        print("change to report: \(Int(report.at.timeIntervalSince(start) * 1000)) ms")
        XCTAssertNil(m.reports.wait(after: 1, timeout: 0.6), "one change, one report")
    }

    /// An editor's save (write a temporary file, rename it over the original), a file
    /// created where a rule wants none, and a mode change are all seen.
    func testRenameOverCreationAndModeChangesAreSeen() throws {
        let m = try monitored()
        try "PASS_MAX_DAYS 99999\n".write(toFile: m.root + "/etc/.login.defs.swp", atomically: false, encoding: .utf8)
        XCTAssertEqual(rename(m.root + "/etc/.login.defs.swp", m.root + "/etc/login.defs"), 0)
        XCTAssertEqual(m.reports.wait(after: 0, timeout: 2)?.rules, Self.rules("login_defs"))
        try "+\n".write(toFile: m.root + "/etc/hosts.equiv", atomically: false, encoding: .utf8)
        XCTAssertEqual(m.reports.wait(after: 1, timeout: 2)?.rules, Self.rules("no_hosts_equiv"))
        XCTAssertEqual(chmod(m.root + "/etc/shadow", 0o644), 0)
        XCTAssertEqual(m.reports.wait(after: 2, timeout: 2)?.rules, Self.rules("shadow_mode"))
    }

    /// A change no rule depends on reports nothing.
    func testAnUnrelatedChangeReportsNothing() throws {
        let m = try monitored()
        try "hello\n".write(toFile: m.root + "/etc/motd", atomically: true, encoding: .utf8)
        XCTAssertNil(m.reports.wait(after: 0, timeout: 1.5))
        XCTAssertGreaterThan(m.monitor.watched, 0)
        XCTAssertEqual(m.monitor.leftOut, 0)
    }

    /// More events than the kernel queues (16384 by default): events were lost, so every
    /// rule is evaluated again.
    func testAQueueOverflowMeansEveryRule() throws {
        let hold = DispatchSemaphore(value: 0)
        let m = try monitored(hold: hold)
        let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 16384
        try XCTSkipIf(limit > 200_000, "the kernel queues \(limit) events")
        let ssh = m.root + "/etc/ssh"
        for i in 0...(limit / 2 + 10) { XCTAssertTrue(FileManager.default.createFile(atPath: "\(ssh)/f\(i)", contents: nil)) }
        hold.signal()
        let report = try XCTUnwrap(m.reports.wait(after: 0, timeout: 5))
        XCTAssertNil(report.rules)
    }

    /// A change to what applicability read (the global footprint) means every rule.
    func testAGlobalChangeMeansEveryRule() throws {
        let (dir, root) = try TestDataStream.write()
        var o = ChangeFixture.options(dir, root: root, dir: (dir as NSString).deletingLastPathComponent)
        o.store = nil
        let footprint = try XCTUnwrap(try ScanSession(o).run().footprint)
        let reports = Reports()
        let monitor = try ChangeMonitor(footprint: footprint, root: root) { reports.add($0) }
        defer { monitor.stop() }
        try "2\n".write(toFile: root + "/etc/testos-release", atomically: true, encoding: .utf8)
        let report = try XCTUnwrap(reports.wait(after: 0, timeout: 2))
        XCTAssertNil(report.rules)
    }

    /// Idle, the monitor's thread sleeps in poll(2): well under 1% of a core.
    func testIdleCostsNoCPU() throws {
        let m = try monitored()
        let before = try XCTUnwrap(m.monitor.threadCPUSeconds)
        Thread.sleep(forTimeInterval: 3)
        let used = try XCTUnwrap(m.monitor.threadCPUSeconds) - before
        print("monitor thread CPU over 3 s idle: \(used * 1000) ms")
        XCTAssertLessThan(used, 0.003, "0.1% of a core over 3 s")
        XCTAssertEqual(m.reports.count, 0)
    }

    /// A newer footprint is watched after `update`; after `stop`, nothing is reported.
    func testUpdateWatchesTheNewFootprintAndStopEnds() throws {
        let m = try monitored()
        try FileManager.default.createDirectory(atPath: m.root + "/etc/sudoers.d", withIntermediateDirectories: true)
        var footprint = m.footprint
        footprint.rules["extra"] = ScanFootprint.Paths(directories: ["/etc/sudoers.d"])
        m.monitor.update(footprint: footprint)
        try "x\n".write(toFile: m.root + "/etc/sudoers.d/x", atomically: false, encoding: .utf8)
        XCTAssertEqual(m.reports.wait(after: 0, timeout: 2)?.rules, ["extra"])
        m.monitor.stop()
        XCTAssertNil(m.monitor.threadCPUSeconds)
        try "y\n".write(toFile: m.root + "/etc/sudoers.d/x", atomically: false, encoding: .utf8)
        XCTAssertNil(m.reports.wait(after: 1, timeout: 1))
    }

    /// Past the most watches, the directories only listed (a walk of a whole tree) are
    /// left to the scheduled scans before those holding files read, and the log says so.
    func testWatchesAreBounded() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        var footprint = try XCTUnwrap(try ScanSession(ChangeFixture.options(rules, root: root, dir: dir)).run().footprint)
        footprint.rules["walk"] = ScanFootprint.Paths(directories: ["/a"])
        let logged = Reports()
        let plan = WatchPlan(footprint: footprint, root: root, limit: 3)
        XCTAssertEqual(plan.directories, [root, root + "/etc", root + "/etc/ssh"], "files read come first, however deep")
        XCTAssertGreaterThan(plan.leftOut, 0)
        let monitor = try ChangeMonitor(footprint: footprint, root: root, maxWatches: 2, log: { _ in logged.add(nil) }) { _ in }
        defer { monitor.stop() }
        XCTAssertEqual(monitor.watched, 2)
        XCTAssertGreaterThan(monitor.leftOut, 0)
        XCTAssertGreaterThan(logged.count, 0)
    }

    /// Only the live host and offline roots can be watched.
    func testOnlyHostsAndRootsCanBeWatched() throws {
        XCTAssertNil(try ChangeMonitor.root(for: Targets.host))
        let (_, root) = try TestDataStream.write()
        XCTAssertEqual(try ChangeMonitor.root(for: try Targets.root(root)), URL(fileURLWithPath: root).resolvingSymlinksInPath().path)
        XCTAssertThrowsError(try ChangeMonitor.root(for: MemoryTarget(files: [:]))) { error in
            XCTAssertTrue("\(error)".contains("not a target of kind memory"), "\(error)")
        }
    }
}

/// From a file edit to the regression stored, as `vigil watch --on-change` chains them:
/// the monitor reports, a partial rescan runs and is stored.
final class ChangeToStoreTests: XCTestCase {
    func testAnEditIsAStoredRegressionWithinTwoSeconds() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        let options = ChangeFixture.options(rules, root: root, dir: dir)
        let first = try ScanSession(options).run()
        let stored = ChangeMonitorTests.Reports()
        let monitor = try ChangeMonitor(footprint: try XCTUnwrap(first.footprint), root: root) { touched in
            var o = options
            o.rescan = touched.map { PartialRescan(rules: $0, after: first) }
            let outcome = try? ScanSession(o).run()
            stored.add(outcome?.storedID.map { [String($0)] } ?? [])
        }
        defer { monitor.stop() }
        let start = Date()
        try ChangeFixture.put(root + "/etc/login.defs", "PASS_MAX_DAYS 99999\n")
        let report = try XCTUnwrap(stored.wait(after: 0, timeout: 3))
        let elapsed = report.at.timeIntervalSince(start)
        print("change to stored scan: \(Int(elapsed * 1000)) ms")
        XCTAssertEqual(report.rules, ["2"])
        XCTAssertLessThan(elapsed, 2)
        let drift = try ScanStore(path: dir + "/vigil.db").drift(to: "2")
        XCTAssertEqual(drift.newlyFailing.map(\.ruleID), [ChangeFixture.ns + "login_defs"])
    }
}
