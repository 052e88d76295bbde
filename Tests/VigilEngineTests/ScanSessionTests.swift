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
        XCTAssertEqual(events.names.filter { $0 != "progress" }, ["scanned", "stored"], "no warning: the content is for this system")
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
        XCTAssertEqual(error { $0.failOn = "severe" }, .failOn("severe"))
        guard case .report(let message)? = error({ $0.reports = ["json:\(dir)/no-such-folder/r.json"] }) else { return XCTFail() }
        XCTAssertTrue(message.contains("the folder \(dir)/no-such-folder does not exist"), message)
        guard case .report? = error({ $0.results = path + "/r.xml" }) else { return XCTFail("a file is not a folder") }
        guard case .report? = error({ $0.reports = ["json:\(dir)"] }) else { return XCTFail("a folder is not a file") }
        guard case .report? = error({ $0.reports = ["json:\(dir)/r.json", "html:\(dir)/./r.json"] }) else { return XCTFail("one file twice") }
        guard case .waivers? = error({ $0.waivers = dir + "/no-waivers.yaml" }) else { return XCTFail() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/db/vigil.db"), "nothing was stored")
    }

    /// Every mistake in the arguments is found before the scan and reported at once: the
    /// scan does not run, the database is not even created, no report is written.
    func testArgumentMistakesAreAllReportedBeforeTheScan() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try "waivers:\n  - rule: a\n    reason: b\n    owner: c\n    expires: soon\n".write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        var options = options(path, root)
        options.store = dir + "/db/vigil.db"
        options.reports = ["pdf:x.pdf", "json:-", "sarif:-", "junit:\(dir)/r.xml"]
        options.failOn = "severe"
        options.waivers = dir + "/bad.yaml"
        options.profile = "nope"
        let events = EventLog()
        XCTAssertThrowsError(try ScanSession(options).run { events.add($0) }) { error in
            guard case .several(let errors)? = error as? ScanSessionError else { return XCTFail("\(error)") }
            let messages = errors.map(\.description)
            XCTAssertEqual(errors.count, 5, "\(messages)")
            XCTAssertTrue(messages[0].contains("unknown report format 'pdf'"), messages[0])
            XCTAssertTrue(messages[1].contains("only one report can go to standard output"), messages[1])
            XCTAssertEqual(errors[2], .failOn("severe"))
            XCTAssertTrue(messages[3].contains("bad.yaml:5: 'expires' must be a date"), messages[3])
            guard case .unknownProfile("nope", _, _) = errors[4] else { return XCTFail(messages[4]) }
            XCTAssertEqual((error as? ScanSessionError)?.messages, messages, "one line per problem")
        }
        XCTAssertTrue(events.names.isEmpty, "no rule ran: \(events.names)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/db/vigil.db"), "nothing was stored")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/r.xml"), "no report was written")
    }

    /// A report that cannot be written after the scan (here its folder vanished once the
    /// rules ran) is a problem that comes back with the outcome: the scan is stored, the
    /// exit code is 1.
    func testAReportThatFailsToWriteAfterTheScanIsAProblemAndTheScanIsStored() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        var options = options(path, root)
        options.store = dir + "/db/vigil.db"
        options.reports = ["json:\(dir)/out/r.json", "junit:\(dir)/r.xml"]
        let outcome = try ScanSession(options).run { event in
            if case .scanned = event { try? FileManager.default.removeItem(atPath: dir + "/out") }
        }
        XCTAssertEqual(outcome.storedID, 1)
        XCTAssertEqual(outcome.exitCode, 1)
        XCTAssertEqual(outcome.problems.count, 1, "\(outcome.problems)")
        XCTAssertTrue(outcome.problems[0].contains("cannot write the json report to \(dir)/out/r.json"), outcome.problems[0])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/r.xml"), "the other report is written")
        XCTAssertEqual(try ScanStore(path: dir + "/db/vigil.db").scan("1").id, 1)
    }
}

/// The gate: waivers and `--fail-on` decide it, and a scan that evaluates nothing does not
/// pass by mistake.
final class ScanGateTests: XCTestCase {
    func options(_ path: String, _ root: String) -> ScanOptions {
        var options = ScanOptions(vigilVersion: "test")
        options.content = path
        options.root = root
        options.jobs = 2
        return options
    }

    /// Content for another platform: a warning before the scan, every rule notapplicable,
    /// exit code 4 with the reason; the scan is stored all the same. `allowEmpty` passes.
    func testContentForAnotherPlatformWarnsAndDoesNotPass() throws {
        let (path, root) = try TestDataStream.write(testOS: false)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var options = options(path, root)
        options.store = dir + "/db/vigil.db"
        let events = EventLog()
        let outcome = try ScanSession(options).run { events.add($0) }
        XCTAssertEqual(events.names.first, "warning", "the warning comes before the scan: \(events.names)")
        let warning = try XCTUnwrap(events.warnings.first)
        XCTAssertTrue(warning.contains("the content is for cpe:/o:example:testos:1") && warning.contains("notapplicable"), warning)
        XCTAssertEqual(Set(outcome.result.ruleResults.map(\.result)), [.notapplicable, .notselected])
        XCTAssertTrue(outcome.gate.isEmpty)
        XCTAssertEqual(outcome.exitCode, 4)
        let reason = try XCTUnwrap(outcome.nothingEvaluated)
        XCTAssertTrue(reason.contains("selected rules are notapplicable") && reason.contains("another platform"), reason)
        XCTAssertEqual(outcome.storedID, 1, "an empty scan is still a scan: it is stored")

        options.allowEmpty = true
        let allowed = try ScanSession(options).run()
        XCTAssertEqual(allowed.exitCode, 0)
        XCTAssertNotNil(allowed.nothingEvaluated, "the reason is still given, for a warning")
        // The same content on the system it is for: no warning, rules evaluated.
        let (matching, matchingRoot) = try TestDataStream.write(testOS: true)
        let quiet = EventLog()
        XCTAssertFalse(try ScanSession(self.options(matching, matchingRoot)).run { quiet.add($0) }.gate.isEmpty)
        XCTAssertTrue(quiet.warnings.isEmpty, "\(quiet.warnings)")
    }

    /// No rule selected (a benchmark that selects nothing by default, without a profile),
    /// or every selected rule notchecked: exit code 4, each with its reason.
    func testNothingSelectedOrNothingCheckedDoesNotPass() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-gate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/root/etc", withIntermediateDirectories: true)
        try """
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
              xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
              <definitions><definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
                <criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition></definitions>
              <tests><unix:file_test id="oval:x:tst:1" version="1" check="all" comment="c"><unix:object object_ref="oval:x:obj:1"/></unix:file_test></tests>
              <objects><unix:file_object id="oval:x:obj:1" version="1"><unix:filepath>/etc/flag</unix:filepath></unix:file_object></objects>
            </oval_definitions>
            """.write(toFile: dir + "/oval.xml", atomically: true, encoding: .utf8)
        try """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_gate" resolved="1">
              <status>draft</status><title>Gate</title><version>1</version>
              <Profile id="xccdf_org.example_profile_checked"><title>C</title><select idref="xccdf_org.example_rule_flag" selected="true"/></Profile>
              <Profile id="xccdf_org.example_profile_unchecked"><title>U</title><select idref="xccdf_org.example_rule_manual" selected="true"/></Profile>
              <Rule id="xccdf_org.example_rule_flag" selected="false" severity="low"><title>Flag</title>
                <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:1"/></check></Rule>
              <Rule id="xccdf_org.example_rule_manual" selected="false" severity="low"><title>Manual</title></Rule>
            </Benchmark>
            """.write(toFile: dir + "/xccdf.xml", atomically: true, encoding: .utf8)
        func outcome(_ profile: String?) throws -> ScanOutcome {
            var o = options(dir + "/xccdf.xml", dir + "/root")
            o.profile = profile
            return try ScanSession(o).run()
        }
        let none = try outcome(nil)
        XCTAssertEqual(none.exitCode, 4)
        XCTAssertTrue(none.nothingEvaluated?.contains("selects no rule by default and no --profile was given") ?? false,
                      none.nothingEvaluated ?? "nil")
        XCTAssertTrue(none.nothingEvaluated?.contains("2 profiles") ?? false, none.nothingEvaluated ?? "nil")
        let unchecked = try outcome("unchecked")
        XCTAssertEqual(unchecked.exitCode, 4)
        XCTAssertTrue(unchecked.nothingEvaluated?.contains("the selected rule is notchecked") ?? false, unchecked.nothingEvaluated ?? "nil")
        let checked = try outcome("checked")
        XCTAssertEqual(checked.exitCode, 2, "the flag file is missing: a real failure")
        XCTAssertNil(checked.nothingEvaluated)
    }

    /// Waivers and `--fail-on` decide the gate, and the gate says how many failures each
    /// left out.
    func testTheGateCountsWaivedFailuresAndFailuresBelowTheThreshold() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try """
            waivers:
              - rule: shadow_mode
                reason: accepted
                owner: qa
                expires: 2099-12-31
            """.write(toFile: dir + "/w.yaml", atomically: true, encoding: .utf8)
        var options = options(path, root)
        options.waivers = dir + "/w.yaml"
        let all = try ScanSession(options).run()
        // Failing by default: shadow_mode (waived) and negated fail, missing_def and bad_regex are errors.
        XCTAssertEqual(all.gate.failing, [.fail: 1, .error: 2])
        XCTAssertEqual(all.gate.waived, 1)
        XCTAssertEqual(all.gate.belowThreshold, 0)
        XCTAssertEqual(all.exitCode, 2)
        options.failOn = "high"
        let high = try ScanSession(options).run()
        XCTAssertEqual(high.gate.failing, [:], "no failure is high")
        XCTAssertEqual(high.gate.waived, 1)
        XCTAssertEqual(high.gate.belowThreshold, 3)
        XCTAssertEqual(high.exitCode, 0)
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

    /// Every event, in order.
    var all: [ScanEvent] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }

    /// The rule count the last progress event gave.
    var lastProgressTotal: Int? {
        lock.lock()
        defer { lock.unlock() }
        for case .progress(_, let total, _) in events.reversed() { return total }
        return nil
    }

    /// The warnings, in order.
    var warnings: [String] {
        lock.lock()
        defer { lock.unlock() }
        return events.compactMap { event in
            if case .warning(let message) = event { return message }
            return nil
        }
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
            case .note: return "note"
            }
        }
    }
}
