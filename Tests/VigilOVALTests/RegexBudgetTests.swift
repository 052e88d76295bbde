import Foundation
import VigilContent
import VigilOVAL
import VigilProbes
import VigilXML
import XCTest

/// A regular expression that backtracks catastrophically over a long line stops at PCRE2's
/// step limit, and all matches of a scan stop when the scan's regex time budget is spent;
/// either way the rules using them are `error`, never "no match" (which could pass a rule
/// that wants nothing to match).
final class RegexBudgetTests: XCTestCase {
    static let pattern = "^(a|aa)+$"
    static let line = String(repeating: "a", count: 5_000) + "b"

    override func tearDown() {
        RegexBudget.scan.start()
        super.tearDown()
    }

    func testPatternMatchStateOverALongLineIsAnError() throws {
        let doc = try ovalDocument(
            tests: #"<ind:family_test id="tst:1" version="1" check="all"><ind:object object_ref="obj:1"/><ind:state state_ref="ste:1"/></ind:family_test>"#,
            objects: #"<ind:family_object id="obj:1" version="1"/>"#,
            states: #"<ind:family_state id="ste:1" version="1"><ind:family operation="pattern match">\#(Self.pattern)</ind:family></ind:family_state>"#)
        let ev = OVALEvaluator(document: doc, collector: TableCollector(["obj:1": .found([item([("family", Self.line)])])]))
        XCTAssertEqual(finishes { ev.evaluate(test: "tst:1").result }, .error)
    }

    func testRegexCaptureThatHitsTheLimitIsAnErrorNotAnEmptyCapture() throws {
        let doc = try ovalDocument(variables: """
            <local_variable id="var:1" version="1" datatype="string" comment="x">
              <regex_capture pattern="\(Self.pattern)"><literal_component>\(Self.line)</literal_component></regex_capture>
            </local_variable>
            """)
        let v = finishes { OVALEvaluator(document: doc, collector: TableCollector([:])).variable("var:1") }
        XCTAssertEqual(v?.flag, .error)
        XCTAssertEqual(v?.values, [])
        XCTAssertTrue(v?.message?.contains("regex_capture") ?? false, v?.message ?? "no message")
    }

    /// A collector that selects candidate names with the object's entity, as probes do.
    struct NameProbe: ObjectCollector {
        let candidates: [String]
        func collect(_ object: ResolvedObject) -> CollectedObject {
            guard let name = object.entity("name") else { return .error("no name") }
            return .found(candidates.filter { name.matches($0) }.map { item([("name", $0)]) })
        }
    }

    func testObjectEntityPatternThatHitsTheLimitMakesTheObjectAnError() throws {
        let doc = try ovalDocument(
            tests: #"<ind:environmentvariable_test id="tst:1" version="1" check="all" check_existence="none_exist"><ind:object object_ref="obj:1"/></ind:environmentvariable_test>"#,
            objects: #"<ind:environmentvariable_object id="obj:1" version="1"><ind:name operation="pattern match">\#(Self.pattern)</ind:name></ind:environmentvariable_object>"#)
        let ev = OVALEvaluator(document: doc, collector: NameProbe(candidates: ["aa", Self.line]))
        let outcome = finishes { ev.evaluate(test: "tst:1") }
        // "Nothing matched" would make this none_exist test true: a false pass.
        XCTAssertEqual(outcome?.result, .error)
        XCTAssertTrue(outcome?.message?.contains("match limit") ?? false, outcome?.message ?? "no message")
    }

    /// `NameProbe` that also applies the object's filters itself, as walking probes do.
    struct FilteringNameProbe: ObjectCollector {
        let candidates: [String]
        func collect(_ object: ResolvedObject) -> CollectedObject {
            guard let name = object.entity("name") else { return .error("no name") }
            return .found(candidates.filter { name.matches($0) }.map { item([("name", $0)]) }.filter { object.keeps($0) })
        }
    }

    /// A filter whose pattern hits the limit: the object is `error`, whether the filter
    /// includes or excludes, and whether the probe applies it or the evaluator does.
    func testFilterPatternThatHitsTheLimitMakesTheObjectAnError() throws {
        for action in ["include", "exclude"] { for probeFilters in [false, true] {
            let doc = try ovalDocument(
                tests: #"<ind:environmentvariable_test id="tst:1" version="1" check="all" check_existence="none_exist"><ind:object object_ref="obj:1"/></ind:environmentvariable_test>"#,
                objects: #"<ind:environmentvariable_object id="obj:1" version="1"><ind:name operation="pattern match">.*</ind:name><filter action="\#(action)">ste:1</filter></ind:environmentvariable_object>"#,
                states: #"<ind:environmentvariable_state id="ste:1" version="1"><ind:name operation="pattern match">\#(Self.pattern)</ind:name></ind:environmentvariable_state>"#)
            let candidates = action == "include" ? ["b", Self.line] : [Self.line]
            let probe: any ObjectCollector = probeFilters
                ? FilteringNameProbe(candidates: candidates) : NameProbe(candidates: candidates)
            let ev = OVALEvaluator(document: doc, collector: probe)
            let outcome = finishes { ev.evaluate(test: "tst:1") }
            // Dropping the item as "no match" would make this none_exist test true: a false pass.
            XCTAssertEqual(outcome?.result, .error, "\(action), filtered by the probe: \(probeFilters)")
            XCTAssertTrue(outcome?.message?.contains("limit") ?? false, outcome?.message ?? "no message")
        } }
    }

    func testTextfilecontentScanStopsWithAnErrorAtTheStepLimit() throws {
        let regex = try OVALRegex(Self.pattern, options: [.multiline], limits: .openSCAPFileContent)
        let started = Date()
        let scan = regex.openSCAPScan(in: Array((Self.line + "\n").utf8))
        XCTAssertTrue(scan.error?.isLimitExceeded ?? false, "\(String(describing: scan.error))")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
    }

    func testTextfilecontent54ProbeOverALongLineIsAnError() throws {
        let dir = try OscapOVAL.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("long.txt").path
        try (Self.line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let doc = try ovalDocument(
            tests: #"<ind:textfilecontent54_test id="tst:1" version="1" check="all" check_existence="none_exist"><ind:object object_ref="obj:1"/></ind:textfilecontent54_test>"#,
            objects: """
            <ind:textfilecontent54_object id="obj:1" version="1"><ind:filepath>\(file)</ind:filepath>
              <ind:pattern operation="pattern match">\(Self.pattern)</ind:pattern><ind:instance datatype="int">1</ind:instance>
            </ind:textfilecontent54_object>
            """)
        let ev = OVALEvaluator(document: doc, collector: ProbeCollector(target: Targets.host))
        XCTAssertEqual(finishes { ev.evaluate(test: "tst:1").result }, .error)
    }

    func testTheScanBudgetBoundsManyMatchesNearTheStepLimit() throws {
        let regex = try OVALRegex(Self.pattern)
        RegexBudget.scan.start(seconds: 0.5)
        let started = Date()
        var budgetErrors = 0
        for _ in 0..<1_000 {
            do { _ = try regex.match(Self.line) } catch let e as RegexError {
                if e.message.contains("time budget") { budgetErrors += 1 }
            }
            if budgetErrors > 0 { break }
        }
        XCTAssertEqual(budgetErrors, 1, "the budget never ran out")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        // Once spent, even a trivial match is refused, and a state using it is an error.
        XCTAssertThrowsError(try OVALRegex("a").match("a"))
        XCTAssertEqual(OVALCompare.compare("abc", .patternMatch, "^a", datatype: .string), .error)
        RegexBudget.scan.start()
        XCTAssertEqual(OVALCompare.compare("abc", .patternMatch, "^a", datatype: .string), .true)
    }
}
