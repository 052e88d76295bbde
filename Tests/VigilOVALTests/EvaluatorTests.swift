import VigilOVAL
import XCTest

final class EvaluatorTests: XCTestCase {
    /// One family_test-like test per (check_existence, state) combination on object obj:1.
    func evaluateTest(items: CollectedObject, check: String = "all", existence: String = "at_least_one_exists",
                      state: String? = "<ind:family>unix</ind:family>", stateOperator: String = "AND") throws -> OVALResult {
        let stateRef = state == nil ? "" : #"<ind:state state_ref="ste:1"/>"#
        let doc = try ovalDocument(
            tests: """
            <ind:family_test id="tst:1" version="1" check="\(check)" check_existence="\(existence)" state_operator="\(stateOperator)">
              <ind:object object_ref="obj:1"/>\(stateRef)</ind:family_test>
            """,
            objects: #"<ind:family_object id="obj:1" version="1"/>"#,
            states: state.map { #"<ind:family_state id="ste:1" version="1">\#($0)</ind:family_state>"# } ?? "")
        return OVALEvaluator(document: doc, collector: TableCollector(["obj:1": items])).evaluate(test: "tst:1").result
    }

    func testExistenceWithoutStates() throws {
        let one = CollectedObject.found([item([("family", "unix")])])
        XCTAssertEqual(try evaluateTest(items: one, state: nil), .true)
        XCTAssertEqual(try evaluateTest(items: .found([]), state: nil), .false)
        XCTAssertEqual(try evaluateTest(items: .found([]), existence: "none_exist", state: nil), .true)
        XCTAssertEqual(try evaluateTest(items: one, existence: "none_exist", state: nil), .false)
        XCTAssertEqual(try evaluateTest(items: .found([]), existence: "any_exist", state: nil), .true)
        let two = CollectedObject.found([item([("family", "unix")]), item([("family", "windows")])])
        XCTAssertEqual(try evaluateTest(items: two, existence: "only_one_exists", state: nil), .false)
    }

    func testObjectFlagsDecideBeforeStates() throws {
        XCTAssertEqual(try evaluateTest(items: .error("boom")), .error)
        XCTAssertEqual(try evaluateTest(items: .error("boom"), existence: "any_exist", state: nil), .true)
        XCTAssertEqual(try evaluateTest(items: .notCollected("offline")), .unknown)
        XCTAssertEqual(try evaluateTest(items: CollectedObject(flag: .notApplicable)), .notApplicable)
    }

    func testCheckCombinesItemResults() throws {
        let items = CollectedObject.found([item([("family", "unix")]), item([("family", "windows")])])
        XCTAssertEqual(try evaluateTest(items: items, check: "all"), .false)
        XCTAssertEqual(try evaluateTest(items: items, check: "at least one"), .true)
        XCTAssertEqual(try evaluateTest(items: items, check: "only one"), .true)
        XCTAssertEqual(try evaluateTest(items: items, check: "none satisfy"), .false)
        let none = CollectedObject.found([item([("family", "macos")])])
        XCTAssertEqual(try evaluateTest(items: none, check: "none satisfy"), .true)
    }

    func testStateEntityMissingFromItemIsUnknown() throws {
        let items = CollectedObject.found([item([("other", "x")])])
        XCTAssertEqual(try evaluateTest(items: items), .unknown)
    }

    func testItemFieldThatDoesNotExistFollowsTheEntityCheckExistence() throws {
        let it = OVALItem(fields: [OVALItemField("family", "", status: .doesNotExist)])
        // OpenSCAP: with the default at_least_one_exists, no existing field means unknown...
        XCTAssertEqual(try evaluateTest(items: .found([it])), .unknown)
        // ...and when the state allows none to exist, the missing field compares false.
        XCTAssertEqual(try evaluateTest(items: .found([it]), state: #"<ind:family check_existence="none_exist">unix</ind:family>"#), .false)
    }

    func testCriteriaOperatorsAndNegation() throws {
        // tst:t is true (an item exists), tst:f is false (none exist).
        let doc = try ovalDocument(
            definitions: """
            <definition id="def:and" version="1" class="compliance"><criteria operator="AND">
              <criterion test_ref="tst:t"/><criterion test_ref="tst:f"/></criteria></definition>
            <definition id="def:or" version="1" class="compliance"><criteria operator="OR">
              <criterion test_ref="tst:t"/><criterion test_ref="tst:f"/></criteria></definition>
            <definition id="def:xor" version="1" class="compliance"><criteria operator="XOR">
              <criterion test_ref="tst:t"/><criterion test_ref="tst:t"/></criteria></definition>
            <definition id="def:one" version="1" class="compliance"><criteria operator="ONE">
              <criterion test_ref="tst:t"/><criterion test_ref="tst:f"/></criteria></definition>
            <definition id="def:neg" version="1" class="compliance"><criteria negate="true">
              <criterion test_ref="tst:f" negate="true"/><extend_definition definition_ref="def:or" negate="true"/></criteria></definition>
            """,
            tests: """
            <ind:family_test id="tst:t" version="1" check="all"><ind:object object_ref="obj:t"/></ind:family_test>
            <ind:family_test id="tst:f" version="1" check="all"><ind:object object_ref="obj:f"/></ind:family_test>
            """,
            objects: #"<ind:family_object id="obj:t" version="1"/><ind:family_object id="obj:f" version="1"/>"#)
        let collector = TableCollector(["obj:t": .found([item([("family", "unix")])]), "obj:f": .found([])])
        let ev = OVALEvaluator(document: doc, collector: collector)
        XCTAssertEqual(ev.evaluate(definition: "def:and"), .false)
        XCTAssertEqual(ev.evaluate(definition: "def:or"), .true)
        XCTAssertEqual(ev.evaluate(definition: "def:xor"), .false)
        XCTAssertEqual(ev.evaluate(definition: "def:one"), .true)
        // NOT( NOT false AND NOT true ) = NOT(true AND false) = true
        XCTAssertEqual(ev.evaluate(definition: "def:neg"), .true)
        XCTAssertEqual(ev.evaluate(definition: "def:missing"), .error)
        // Each object is collected once however many tests use it.
        XCTAssertEqual(collector.calls.filter { $0 == "obj:t" }.count, 1)
    }

    func testVariableFunctions() throws {
        let doc = try ovalDocument(
            objects: #"<ind:family_object id="obj:1" version="1"/>"#,
            variables: """
            <constant_variable id="var:c" version="1" datatype="string" comment="c"><value>a</value><value>b</value></constant_variable>
            <local_variable id="var:concat" version="1" datatype="string" comment="x"><concat>
              <literal_component>/etc/</literal_component><variable_component var_ref="var:c"/></concat></local_variable>
            <local_variable id="var:count" version="1" datatype="int" comment="x"><count><object_component object_ref="obj:1" item_field="family"/></count></local_variable>
            <local_variable id="var:sub" version="1" datatype="string" comment="x"><substring substring_start="2" substring_length="3"><literal_component>abcdef</literal_component></substring></local_variable>
            <local_variable id="var:arith" version="1" datatype="int" comment="x"><arithmetic arithmetic_operation="multiply"><literal_component datatype="int">6</literal_component><literal_component datatype="int">7</literal_component></arithmetic></local_variable>
            <local_variable id="var:split" version="1" datatype="string" comment="x"><split delimiter=","><literal_component>x,y,,z</literal_component></split></local_variable>
            <local_variable id="var:begin" version="1" datatype="string" comment="x"><begin character="/"><literal_component>etc</literal_component></begin></local_variable>
            <local_variable id="var:end" version="1" datatype="string" comment="x"><end character="/"><literal_component>etc/</literal_component></end></local_variable>
            <local_variable id="var:esc" version="1" datatype="string" comment="x"><escape_regex><literal_component>a.b*c</literal_component></escape_regex></local_variable>
            <local_variable id="var:glob" version="1" datatype="string" comment="x"><glob_to_regex><literal_component>/etc/*.conf</literal_component></glob_to_regex></local_variable>
            <local_variable id="var:unique" version="1" datatype="string" comment="x"><unique><literal_component>q</literal_component><literal_component>q</literal_component></unique></local_variable>
            <local_variable id="var:self" version="1" datatype="string" comment="x"><concat><variable_component var_ref="var:self"/></concat></local_variable>
            <external_variable id="var:ext" version="1" datatype="int" comment="x"/>
            <external_variable id="var:noext" version="1" datatype="int" comment="x"/>
            """)
        let items = CollectedObject.found([item([("family", "unix")]), item([("family", "linux")]), item([("family", "bsd")])])
        let ev = OVALEvaluator(document: doc, collector: TableCollector(["obj:1": items]), externals: ["var:ext": ["42"]])
        func texts(_ id: String) -> [String] { ev.variable(id).values.map(\.text) }
        XCTAssertEqual(texts("var:concat"), ["/etc/a", "/etc/b"])
        XCTAssertEqual(texts("var:count"), ["3"])
        XCTAssertEqual(ev.variable("var:count").values.first?.datatype, .int)
        XCTAssertEqual(texts("var:sub"), ["bcd"])
        XCTAssertEqual(texts("var:arith"), ["42"])
        XCTAssertEqual(texts("var:split"), ["x", "y", "", "z"])
        XCTAssertEqual(texts("var:begin"), ["/etc"])
        XCTAssertEqual(texts("var:end"), ["etc/"])
        XCTAssertEqual(texts("var:esc"), [#"a\.b\*c"#])
        XCTAssertEqual(texts("var:glob"), [#"^/etc/(?=[^.])[^/]*\.conf$"#])
        XCTAssertEqual(texts("var:unique"), ["q"])
        XCTAssertEqual(texts("var:ext"), ["42"])
        XCTAssertEqual(ev.variable("var:noext").flag, .doesNotExist)
        XCTAssertEqual(ev.variable("var:self").flag, .error, "a self-referencing variable must fail, not hang")
    }

    func testObjectWithEmptyVariableHasNoItemsAndIsNotCollected() throws {
        let doc = try ovalDocument(
            objects: #"<unix:file_object id="obj:1" version="1"><unix:filepath var_ref="var:ext"/></unix:file_object>"#,
            variables: #"<external_variable id="var:ext" version="1" datatype="string" comment="x"/>"#)
        let collector = TableCollector([:])
        let ev = OVALEvaluator(document: doc, collector: collector)
        XCTAssertEqual(ev.collect(object: "obj:1").flag, .doesNotExist)
        XCTAssertTrue(collector.calls.isEmpty)
        let ev2 = OVALEvaluator(document: doc, collector: collector, externals: ["var:ext": ["/a", "/b"]])
        _ = ev2.collect(object: "obj:1")
        XCTAssertEqual(collector.lastEntities["obj:1"]?.first?.values, ["/a", "/b"])
    }

    func testFiltersAndSets() throws {
        let doc = try ovalDocument(
            objects: """
            <ind:family_object id="obj:a" version="1"/>
            <ind:family_object id="obj:b" version="1"/>
            <ind:family_object id="obj:filtered" version="1"><filter action="exclude">ste:unix</filter></ind:family_object>
            <ind:family_object id="obj:kept" version="1"><filter action="include">ste:unix</filter></ind:family_object>
            <ind:family_object id="obj:union" version="1"><set><object_reference>obj:a</object_reference><object_reference>obj:b</object_reference></set></ind:family_object>
            <ind:family_object id="obj:complement" version="1"><set set_operator="COMPLEMENT"><object_reference>obj:a</object_reference><object_reference>obj:b</object_reference></set></ind:family_object>
            <ind:family_object id="obj:intersection" version="1"><set set_operator="INTERSECTION"><object_reference>obj:a</object_reference><object_reference>obj:b</object_reference></set></ind:family_object>
            """,
            states: #"<ind:family_state id="ste:unix" version="1"><ind:family>unix</ind:family></ind:family_state>"#)
        let unix = item([("family", "unix")]), linux = item([("family", "linux")]), bsd = item([("family", "bsd")])
        let collector = TableCollector([
            "obj:a": .found([unix, linux]), "obj:b": .found([linux, bsd]),
            "obj:filtered": .found([unix, linux]), "obj:kept": .found([unix, linux]),
        ])
        let ev = OVALEvaluator(document: doc, collector: collector)
        func fams(_ id: String) -> [String] { ev.collect(object: id).items.compactMap { $0.value("family") } }
        XCTAssertEqual(fams("obj:filtered"), ["linux"])
        // The probe is handed the filters too, so that it can drop items while collecting.
        let handed = try XCTUnwrap(collector.lastObjects["obj:filtered"])
        XCTAssertFalse(handed.keeps(unix))
        XCTAssertTrue(handed.keeps(linux))
        XCTAssertEqual(fams("obj:kept"), ["unix"])
        XCTAssertEqual(Set(fams("obj:union")), ["unix", "linux", "bsd"])
        XCTAssertEqual(fams("obj:complement"), ["unix"])
        XCTAssertEqual(fams("obj:intersection"), ["linux"])
    }

    func testStateWithVariableUsesVarCheck() throws {
        let doc = try ovalDocument(
            tests: """
            <ind:family_test id="tst:all" version="1" check="all"><ind:object object_ref="obj:1"/><ind:state state_ref="ste:all"/></ind:family_test>
            <ind:family_test id="tst:one" version="1" check="all"><ind:object object_ref="obj:1"/><ind:state state_ref="ste:one"/></ind:family_test>
            """,
            objects: #"<ind:family_object id="obj:1" version="1"/>"#,
            states: """
            <ind:family_state id="ste:all" version="1"><ind:family var_ref="var:c" var_check="all"/></ind:family_state>
            <ind:family_state id="ste:one" version="1"><ind:family var_ref="var:c" var_check="at least one"/></ind:family_state>
            """,
            variables: #"<constant_variable id="var:c" version="1" datatype="string" comment="c"><value>unix</value><value>linux</value></constant_variable>"#)
        let ev = OVALEvaluator(document: doc, collector: TableCollector(["obj:1": .found([item([("family", "unix")])])]))
        XCTAssertEqual(ev.evaluate(test: "tst:all").result, .false)
        XCTAssertEqual(ev.evaluate(test: "tst:one").result, .true)
    }
}
