import Foundation
import VigilEngine
import VigilStore
import XCTest

/// The scan as a library: `ScanSession` checks, scans, stores, reports and gates without
/// printing or exiting.
final class ScanSessionTests: XCTestCase {
    func options(_ path: String, _ root: String) -> ScanOptions {
        var options = ScanOptions(vigilVersion: "test")
        options.content = path
        options.root = root
        options.jobs = 2
        return options
    }

    func testASessionScansStoresAndReportsInOrder() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var options = options(path, root)
        options.profile = "strict"
        options.store = dir + "/db/vigil.db"
        options.reports = ["json:\(dir)/r.json", "junit:\(dir)/r.xml"]
        let events = EventLog()
        let outcome = try ScanSession(options).run { events.add($0) }
        XCTAssertEqual(events.names.filter { $0 != "progress" }, ["scanned", "stored"])
        XCTAssertEqual(events.names.filter { $0 == "progress" }.count, events.lastProgressTotal, "one progress event per rule")
        XCTAssertEqual(outcome.storedID, 1)
        XCTAssertTrue(outcome.problems.isEmpty, "\(outcome.problems)")
        XCTAssertEqual(outcome.exitCode, outcome.result.exitCode)
        let stored = try ScanStore(path: dir + "/db/vigil.db").scan("1")
        XCTAssertEqual(stored.profileID, outcome.record.profileID)
        XCTAssertEqual(stored.targetKind, "root", "the record names the target's kind")
        XCTAssertEqual(stored.target, URL(fileURLWithPath: root).resolvingSymlinksInPath().path, "and its reference")
        XCTAssertEqual(stored.counts[.fail] ?? 0, outcome.result.ruleResults.filter { $0.result == .fail }.count)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/r.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/r.xml"))
    }

    func testWhatCanBeCheckedFailsBeforeAnyWorkWithATypedError() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func error(_ change: (inout ScanOptions) -> Void) -> ScanSessionError? {
            var o = options(path, root)
            o.store = dir + "/db/vigil.db"
            change(&o)
            let events = EventLog()
            do {
                _ = try ScanSession(o).run { events.add($0) }
                return nil
            } catch {
                XCTAssertTrue(events.names.isEmpty, "no rule ran: \(events.names)")
                return error as? ScanSessionError
            }
        }
        guard case .unknownProfile("nope", _, let known)? = error({ $0.profile = "nope" }) else { return XCTFail() }
        XCTAssertFalse(known.isEmpty)
        guard case .unknownRule("xccdf_org.example_rule_nope", _, _)? = error({ $0.rules = ["xccdf_org.example_rule_nope"] }) else { return XCTFail() }
        XCTAssertEqual(error { $0.jobs = 0 }, .jobs(0))
        guard case .target? = error({ $0.root = dir + "/missing" }) else { return XCTFail() }
        guard case .content? = error({ $0.content = dir + "/missing.xml" }) else { return XCTFail() }
        guard case .store? = error({ $0.store = path + "/not-a-dir/vigil.db" }) else { return XCTFail() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/db/vigil.db"), "nothing was stored")
    }

    /// Report and waiver problems do not stop the scan; they come back with the outcome
    /// and make its exit code 1.
    func testReportProblemsAreCollectedAndTheScanIsStillStored() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var options = options(path, root)
        options.store = dir + "/db/vigil.db"
        options.reports = ["pdf:x.pdf", "json:-", "sarif:-"]
        options.failOn = "severe"
        let outcome = try ScanSession(options).run()
        XCTAssertEqual(outcome.storedID, 1)
        XCTAssertEqual(outcome.exitCode, 1)
        XCTAssertEqual(outcome.problems.count, 3, "\(outcome.problems)")
        XCTAssertTrue(outcome.problems[0].contains("unknown report format 'pdf'"))
        XCTAssertTrue(outcome.problems[1].contains("only one report can go to standard output"))
        XCTAssertTrue(outcome.problems[2].contains("--fail-on 'severe'"))
    }
}

/// Events in the order a session sent them.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ScanEvent] = []

    func add(_ event: ScanEvent) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    /// The rule count the last progress event gave.
    var lastProgressTotal: Int? {
        lock.lock()
        defer { lock.unlock() }
        for case .progress(_, let total, _) in events.reversed() { return total }
        return nil
    }

    var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return events.map { event in
            switch event {
            case .defaultContent: return "defaultContent"
            case .progress: return "progress"
            case .scanned: return "scanned"
            case .stored: return "stored"
            case .warning: return "warning"
            }
        }
    }
}
