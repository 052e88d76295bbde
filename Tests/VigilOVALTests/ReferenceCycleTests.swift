import Foundation
import VigilOVAL
import XCTest

/// Content whose references loop back (a definition extending itself, a variable_object
/// whose variable reads that object) evaluates to `error` with a message that names the
/// cycle, without overflowing the stack or waiting on itself.
final class ReferenceCycleTests: XCTestCase {
    func testDefinitionsExtendingThemselvesAreErrorsWithTheCycleInTheMessage() throws {
        let doc = try ovalDocument(definitions: """
            <definition id="def:1" version="1" class="compliance"><criteria>
              <extend_definition definition_ref="def:1"/></criteria></definition>
            <definition id="def:2" version="1" class="compliance"><criteria><criteria operator="OR">
              <extend_definition definition_ref="def:3"/></criteria></criteria></definition>
            <definition id="def:3" version="1" class="compliance"><criteria>
              <extend_definition definition_ref="def:2" negate="true"/></criteria></definition>
            <definition id="def:4" version="1" class="compliance"><criteria>
              <criterion test_ref="tst:1"/><extend_definition definition_ref="def:3"/></criteria></definition>
            """,
            tests: #"<ind:family_test id="tst:1" version="1" check="all"><ind:object object_ref="obj:1"/></ind:family_test>"#,
            objects: #"<ind:family_object id="obj:1" version="1"/>"#)
        let ev = OVALEvaluator(document: doc, collector: TableCollector(["obj:1": .found([item([("family", "unix")])])]))
        let results = finishes { ["def:1", "def:2", "def:3", "def:4"].map { ev.evaluate(definition: $0) } }
        XCTAssertEqual(results, [.error, .error, .error, .error])
        XCTAssertEqual(ev.message(definition: "def:1"), "definition def:1 refers to itself: definition def:1 → definition def:1")
        XCTAssertEqual(ev.message(definition: "def:2"),
                       "definition def:2 refers to itself: definition def:2 → definition def:3 → definition def:2")
        // def:4 is not on the cycle but extends it: the message is the cycle's.
        XCTAssertEqual(ev.message(definition: "def:4"),
                       "definition def:3 refers to itself: definition def:3 → definition def:2 → definition def:3")
    }

    func testMessageOfADefinitionIsTheFirstFailingTestMessageThroughExtendedDefinitions() throws {
        let doc = try ovalDocument(definitions: """
            <definition id="def:1" version="1" class="compliance"><criteria>
              <criterion test_ref="tst:1"/><extend_definition definition_ref="def:2"/></criteria></definition>
            <definition id="def:2" version="1" class="compliance"><criteria><criterion test_ref="tst:2"/></criteria></definition>
            """,
            tests: """
            <ind:family_test id="tst:1" version="1" check="all"><ind:object object_ref="obj:1"/></ind:family_test>
            <ind:family_test id="tst:2" version="1" check="all"><ind:object object_ref="obj:2"/></ind:family_test>
            """,
            objects: #"<ind:family_object id="obj:1" version="1"/><ind:family_object id="obj:2" version="2"/>"#)
        let ev = OVALEvaluator(document: doc, collector: TableCollector(["obj:1": .found([item([("family", "unix")])]),
                                                                       "obj:2": .error("probe broke")]))
        XCTAssertEqual(ev.evaluate(definition: "def:1"), .error)
        XCTAssertEqual(ev.message(definition: "def:1"), "probe broke")
    }

    /// variable_object obj:1 reads variable var:1, which is computed from obj:1's items.
    func testVariableObjectReadingItsOwnVariableIsAnErrorNotADeadlock() throws {
        for varRef in [
            "<ind:var_ref>var:1</ind:var_ref>",
            #"<ind:var_ref operation="pattern match">^var:</ind:var_ref>"#,
            #"<ind:var_ref var_ref="names"/>"#,
        ] {
            let doc = try ovalDocument(
                definitions: #"<definition id="def:1" version="1" class="compliance"><criteria><criterion test_ref="tst:1"/></criteria></definition>"#,
                tests: #"<ind:variable_test id="tst:1" version="1" check="all"><ind:object object_ref="obj:1"/></ind:variable_test>"#,
                objects: #"<ind:variable_object id="obj:1" version="1">\#(varRef)</ind:variable_object>"#,
                variables: """
                <local_variable id="var:1" version="1" datatype="string" comment="x">
                  <concat><object_component object_ref="obj:1" item_field="value"/><literal_component>x</literal_component></concat>
                </local_variable>
                <constant_variable id="names" version="1" datatype="string" comment="x"><value>var:1</value></constant_variable>
                """)
            let ev = OVALEvaluator(document: doc, collector: TableCollector([:]))
            let outcome = finishes { ev.evaluate(test: "tst:1") }
            XCTAssertEqual(outcome?.result, .error, varRef)
            XCTAssertEqual(outcome?.message, "object obj:1 refers to itself: object obj:1 → variable var:1 → object obj:1", varRef)
            XCTAssertEqual(ev.variable("var:1").flag, .error, varRef)
        }
    }

    func testVariableObjectReadingAnotherVariableStillWorks() throws {
        let doc = try ovalDocument(
            tests: #"<ind:variable_test id="tst:1" version="1" check="all"><ind:object object_ref="obj:1"/><ind:state state_ref="ste:1"/></ind:variable_test>"#,
            objects: #"<ind:variable_object id="obj:1" version="1"><ind:var_ref operation="pattern match">^var:2$</ind:var_ref></ind:variable_object>"#,
            states: #"<ind:variable_state id="ste:1" version="1"><ind:value>ab</ind:value></ind:variable_state>"#,
            variables: """
            <local_variable id="var:1" version="1" datatype="string" comment="x">
              <object_component object_ref="obj:1" item_field="value"/></local_variable>
            <local_variable id="var:2" version="1" datatype="string" comment="x">
              <concat><literal_component>a</literal_component><literal_component>b</literal_component></concat></local_variable>
            """)
        let ev = OVALEvaluator(document: doc, collector: TableCollector([:]))
        XCTAssertEqual(finishes { ev.evaluate(test: "tst:1").result }, .true)
        XCTAssertEqual(ev.variable("var:1").values.map(\.text), ["ab"])
    }
}
