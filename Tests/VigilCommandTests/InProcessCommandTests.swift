import Foundation
import XCTest
@testable import vigil

/// `scan`, `report` and `drift` run in this process, through the same entry point as the
/// binary (`Vigil.run`): no command ends the process, every error comes back as a status.
final class InProcessCommandTests: XCTestCase {
    func testScanReportAndDriftRunInProcess() throws {
        let f = try CommandFixture()
        // The flag file is missing: the rule fails, the scan is stored, the gate says 2.
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet",
                                  "--report", "json:\(f.dir)/1.json"]), 2)
        XCTAssertEqual(try f.results(of: "\(f.dir)/1.json"), ["fail"])
        try f.setFlag(true)
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet"]), 0)

        // `report` reads the stored scan; XCCDF needs the content, which is still there.
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--out", "\(f.dir)/2.json"]), 0)
        XCTAssertEqual(try f.results(of: "\(f.dir)/2.json"), ["pass"])
        XCTAssertEqual(Vigil.run(["report", "1", "--db", f.db, "--format", "xccdf", "--out", "\(f.dir)/1.xccdf"]), 0)
        let xccdf = try String(contentsOfFile: "\(f.dir)/1.xccdf", encoding: .utf8)
        XCTAssertTrue(xccdf.contains("<result>fail</result>") && xccdf.contains("TestResult"), String(xccdf.suffix(600)))

        // Drift from the failing scan to the passing one: fixed, no regression; the other
        // way round is a regression, exit 3.
        XCTAssertEqual(Vigil.run(["drift", "1", "2", "--db", f.db, "--fail-on-regression", "--format", "json",
                                  "--out", "\(f.dir)/drift.json"]), 0)
        let drift = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(f.dir)/drift.json"))) as? [String: Any]
        XCTAssertEqual((drift?["fixed"] as? [Any])?.count, 1, "\(drift ?? [:])")
        XCTAssertEqual(Vigil.run(["drift", "2", "1", "--db", f.db, "--fail-on-regression", "--out", "\(f.dir)/drift.txt"]), 3)
    }

    /// Errors come back as exit status 1 instead of ending the process, and nothing is stored.
    func testErrorsBecomeStatusOneInProcess() throws {
        let f = try CommandFixture()
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet", "--profile", "nope"]), 1)
        XCTAssertEqual(Vigil.run(["scan", "\(f.dir)/missing.xml", "--db", f.db, "--quiet"]), 1)
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", "\(f.dir)/no-such-root", "--db", f.db, "--quiet"]), 1)
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet", "--jobs", "0"]), 1)
        XCTAssertEqual(Vigil.run(["scan", "--no-such-option"]), 1, "a usage error is 1, not the parser's 64")
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--out", "\(f.dir)/r.json"]), 1,
                       "no scan was stored")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(f.dir)/r.json"))
        XCTAssertEqual(Vigil.run(["drift", "--db", f.db]), 1)
        // Several mistakes at once: 1, before the scan; the database is not even made.
        let fresh = f.dir + "/fresh/vigil.db"
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", fresh, "--quiet", "--fail-on", "severe",
                                  "--report", "pdf:\(f.dir)/r.pdf"]), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh), "nothing was stored")
    }

    /// Every exit code the help documents is one a command gives, and no other: 0 pass, 1
    /// a mistake, 2 the gate fails, 3 drift finds a regression (in the test above), 4
    /// nothing was evaluated, which `--allow-empty` turns into 0.
    func testNothingEvaluatedIsExitCodeFourAndDocumented() throws {
        let f = try CommandFixture(extraRules: [("manual", "low", false)])
        // Only the rule without a check: nothing is evaluated.
        let manual = ["scan", f.content, "--root", f.root, "--db", f.db, "--quiet", "--rule", "xccdf_org.example_rule_manual"]
        XCTAssertEqual(Vigil.run(manual), 4)
        XCTAssertEqual(Vigil.run(manual + ["--allow-empty"]), 0)
        XCTAssertEqual(Vigil.run(["history", "--db", f.db, "--format", "json"]), 0, "empty scans are stored")
        let documented = ExitCodes.table.split(separator: "\n").compactMap { line in
            line.firstMatch(of: #/^  (\d)  /#).map { Int32($0.1)! }
        }
        // 5 is watch's discarded scan (WatchCommandTests.testSIGTERMDuringAScanKeepsOnlyWholeScans).
        XCTAssertEqual(documented, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet"]), 2)
        try f.setFlag(true)
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet"]), 0,
                       "the flag rule passes; the manual one is notchecked")
    }

    /// The summary counts results as the JSON report does, lists waived failures apart with
    /// their reasons, and ends with the gate's decision.
    func testTheSummaryShowsWaivedFailuresAndTheGate() throws {
        let f = try CommandFixture(extraRules: [("medium_flag", "medium", true), ("low_flag", "low", true)])
        try """
            waivers:
              - rule: flag
                reason: console server, ticket SEC-42
                owner: platform-team
                expires: 2099-12-31
              - rule: low_flag
                reason: lapsed
                owner: qa
                expires: 2001-01-01
            """.write(toFile: f.dir + "/waivers.yaml", atomically: true, encoding: .utf8)
        let waived = ["--waivers", f.dir + "/waivers.yaml"]
        let gated = try f.summary(waived + ["--fail-on", "medium"])
        XCTAssertTrue(gated.contains("fail: 3 (1 waived)"), gated)
        XCTAssertTrue(gated.contains("Waived failures:\n  Flag  [xccdf_org.example_rule_flag] fail, waived until 2099-12-31 by platform-team: console server, ticket SEC-42"), gated)
        XCTAssertTrue(gated.contains("Failed rules by severity:\n  medium (1):\n    medium_flag  [xccdf_org.example_rule_medium_flag]\n"
                                     + "  low (1):\n    low_flag  [xccdf_org.example_rule_low_flag] (waiver expired 2001-01-01)"), gated)
        XCTAssertFalse(gated.contains("high ("), "the waived high failure is not listed as failing: \(gated)")
        XCTAssertTrue(gated.hasSuffix("\ngate: fail (1 failure), 1 failure waived, 1 below --fail-on medium"), gated)
        XCTAssertTrue(try f.summary(waived + ["--fail-on", "high"]).hasSuffix("\ngate: pass, 1 failure waived, 2 below --fail-on high"))
        XCTAssertTrue(try f.summary(["--rule", "xccdf_org.example_rule_flag"] + waived).hasSuffix("\ngate: pass, 1 failure waived"))
        XCTAssertTrue(try f.summary([]).hasSuffix("\ngate: fail (3 failures)"))
        // The JSON report counts the same way.
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--no-store", "--quiet", "--report", "json:\(f.dir)/r.json"] + waived), 2)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: f.dir + "/r.json"))) as? [String: Any]
        XCTAssertEqual(json?["counts"] as? [String: Int], ["fail": 3, "waived": 1])
    }
}

/// A benchmark with one rule (the file /etc/flag exists), an offline root to scan, and a
/// database path, in a fresh temporary folder.
struct CommandFixture {
    let dir: String
    var content: String { dir + "/xccdf.xml" }
    var root: String { dir + "/root" }
    var db: String { dir + "/db/vigil.db" }

    /// - Parameter extraRules: more rules after the flag rule: (short id, severity, whether
    ///   it checks the flag file too; else it has no check and is notchecked).
    init(extraRules: [(id: String, severity: String, checked: Bool)] = []) throws {
        dir = NSTemporaryDirectory() + "vigil-cmd-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/root/etc", withIntermediateDirectories: true)
        let oval = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
          <definitions><definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
            <criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition></definitions>
          <tests><unix:file_test id="oval:x:tst:1" version="1" check="all" comment="the flag file">
            <unix:object object_ref="oval:x:obj:1"/></unix:file_test></tests>
          <objects><unix:file_object id="oval:x:obj:1" version="1"><unix:filepath>/etc/flag</unix:filepath></unix:file_object></objects>
        </oval_definitions>
        """
        let xccdf = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_cmd" resolved="1">
          <status>draft</status><title>Commands</title><version>1</version>
          <Rule id="xccdf_org.example_rule_flag" selected="true" severity="high"><title>Flag</title>
            <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:1"/></check></Rule>
          \(extraRules.map(Self.rule).joined(separator: "\n"))
        </Benchmark>
        """
        try oval.write(toFile: dir + "/oval.xml", atomically: true, encoding: .utf8)
        try xccdf.write(toFile: content, atomically: true, encoding: .utf8)
    }

    static func rule(_ r: (id: String, severity: String, checked: Bool)) -> String {
        let check = #"<check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:1"/></check>"#
        return #"<Rule id="xccdf_org.example_rule_\#(r.id)" selected="true" severity="\#(r.severity)"><title>\#(r.id)</title>\#(r.checked ? check : "")</Rule>"#
    }

    /// The terminal summary of a scan of this fixture with `arguments` (not stored), as
    /// `vigil scan` prints it, without colour.
    func summary(_ arguments: [String]) throws -> String {
        let scan = try Scan.parse([content, "--root", root, "--no-store"] + arguments)
        final class Box: @unchecked Sendable { var text = "" }
        let box = Box()
        _ = try scan.session.run { event in
            if case .scanned(let result, let benchmark, let report, let gate) = event {
                box.text = Summary.text(result, benchmark: benchmark, report: report, gate: gate, colour: false)
            }
        }
        return box.text
    }

    func setFlag(_ present: Bool) throws {
        if present {
            try "x".write(toFile: root + "/etc/flag", atomically: true, encoding: .utf8)
        } else {
            try? FileManager.default.removeItem(atPath: root + "/etc/flag")
        }
    }

    /// The results of every rule in a JSON report.
    func results(of path: String) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return (json?["rules"] as? [[String: Any]] ?? []).compactMap { $0["result"] as? String }
    }
}
