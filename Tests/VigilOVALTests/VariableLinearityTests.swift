import Foundation
import VigilOVAL
import VigilProbes
import XCTest

/// Comparing items with a variable of many values is linear: on a root whose /etc/passwd
/// holds n accounts and whose /srv/allowed.txt names all but every tenth of them, a state,
/// a filter and an object entity compare every account with the variable of allowed names
/// (an object component over the file's lines). The evaluator's count of comparisons grows
/// by about 4 when n does, not 16 as comparing every item with every value did.
final class VariableLinearityTests: XCTestCase {
    private var root: URL!

    override func setUpWithError() throws {
        root = try OscapOVAL.tempDir()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("srv"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    static let definitions = """
    <definition id="oval:t:def:1" version="1" class="compliance"><metadata><title>state</title><description>x</description></metadata>
      <criteria><criterion test_ref="oval:t:tst:1"/></criteria></definition>
    <definition id="oval:t:def:2" version="1" class="compliance"><metadata><title>filter</title><description>x</description></metadata>
      <criteria><criterion test_ref="oval:t:tst:2"/></criteria></definition>
    <definition id="oval:t:def:3" version="1" class="compliance"><metadata><title>object</title><description>x</description></metadata>
      <criteria><criterion test_ref="oval:t:tst:3"/></criteria></definition>
    """
    static let tests = """
    <unix:password_test id="oval:t:tst:1" version="1" check="all" check_existence="at_least_one_exists">
      <unix:object object_ref="oval:t:obj:1"/><unix:state state_ref="oval:t:ste:1"/></unix:password_test>
    <unix:password_test id="oval:t:tst:2" version="1" check="all" check_existence="none_exist">
      <unix:object object_ref="oval:t:obj:2"/></unix:password_test>
    <unix:password_test id="oval:t:tst:3" version="1" check="all" check_existence="at_least_one_exists">
      <unix:object object_ref="oval:t:obj:3"/></unix:password_test>
    """
    static let objects = """
    <ind:textfilecontent54_object id="oval:t:obj:9" version="1">
      <ind:filepath>/srv/allowed.txt</ind:filepath><ind:pattern operation="pattern match">^(\\S+)$</ind:pattern>
      <ind:instance datatype="int" operation="greater than or equal">1</ind:instance></ind:textfilecontent54_object>
    <unix:password_object id="oval:t:obj:1" version="1"><unix:username operation="pattern match">^svc-</unix:username></unix:password_object>
    <unix:password_object id="oval:t:obj:2" version="1"><unix:username operation="pattern match">^svc-</unix:username>
      <filter action="exclude">oval:t:ste:1</filter></unix:password_object>
    <unix:password_object id="oval:t:obj:3" version="1">
      <unix:username var_ref="oval:t:var:1" var_check="at least one"/></unix:password_object>
    """
    static let states = """
    <unix:password_state id="oval:t:ste:1" version="1">
      <unix:username var_ref="oval:t:var:1" var_check="at least one"/></unix:password_state>
    """
    static let variables = """
    <local_variable id="oval:t:var:1" version="1" datatype="string" comment="allowed accounts">
      <object_component object_ref="oval:t:obj:9" item_field="subexpression"/></local_variable>
    """

    /// Evaluates the three definitions on a root of `n` accounts; checks each verdict and
    /// item count, and returns the comparisons the evaluator counted.
    private func comparisons(accounts n: Int) throws -> Int {
        let names = (1...n).map { String(format: "svc-%05d", $0) }
        let passwd = names.enumerated().map { "\($1):x:\(2000 + $0):\(2000 + $0)::/home/\($1):/bin/sh\n" }.joined()
        try passwd.write(to: root.appendingPathComponent("etc/passwd"), atomically: true, encoding: .utf8)
        let allowed = names.enumerated().filter { $0.offset % 10 != 0 }.map(\.element)
        try allowed.map { $0 + "\n" }.joined().write(to: root.appendingPathComponent("srv/allowed.txt"), atomically: true, encoding: .utf8)

        let doc = try ovalDocument(definitions: Self.definitions, tests: Self.tests, objects: Self.objects,
                                   states: Self.states, variables: Self.variables)
        let ev = OVALEvaluator(document: doc, collector: ProbeCollector(target: try Targets.root(root.path)))
        XCTAssertEqual(ev.variable("oval:t:var:1").values.count, allowed.count)
        // Every tenth account is not allowed: the state fails, the filter keeps those.
        XCTAssertEqual(ev.evaluate(definition: "oval:t:def:1"), .false)
        XCTAssertEqual(ev.evaluate(test: "oval:t:tst:1").itemResults.filter { $0 == .false }.count, n - allowed.count)
        XCTAssertEqual(ev.evaluate(definition: "oval:t:def:2"), .false)
        XCTAssertEqual(ev.collect(object: "oval:t:obj:2").items.compactMap { $0.value("username") },
                       names.enumerated().filter { $0.offset % 10 == 0 }.map(\.element))
        XCTAssertEqual(ev.evaluate(definition: "oval:t:def:3"), .true)
        XCTAssertEqual(ev.collect(object: "oval:t:obj:3").items.compactMap { $0.value("username") }, allowed)
        return ev.comparisons.value
    }

    func testComparingManyItemsWithAVariableOfManyValuesIsLinear() throws {
        let small = try comparisons(accounts: 300)
        let large = try comparisons(accounts: 1_200)
        XCTAssertGreaterThanOrEqual(small, 300, "every account is compared at least once")
        // Item by value this was about n² (90,000 and 1,440,000 per use): 16 times.
        XCTAssertLessThanOrEqual(Double(large) / Double(small), 4.5, "\(small) then \(large) comparisons")
        XCTAssertLessThanOrEqual(large, 10 * 1_200, "\(large) comparisons for 1,200 accounts")
    }
}
