import Foundation
import VigilOVAL
import XCTest

/// Chains of references 10,000 long (definitions extending definitions, variables reading
/// variables, objects reading variables computed from objects) are refused beyond
/// `ContentLimits.maxReferenceDepth` with a message, instead of overflowing the stack;
/// chains at the limit evaluate normally on a worker thread, as the scanner runs them.
final class DeepReferenceTests: XCTestCase {
    let limit = ContentLimits.maxReferenceDepth

    /// def:0 extends def:1 ... extends def:(n-1), which holds a criterion.
    func definitionChain(_ n: Int) throws -> OVALEvaluator {
        var defs = ""
        for i in 0..<n {
            let inner = i == n - 1 ? #"<criterion test_ref="tst:1"/>"# : #"<extend_definition definition_ref="def:\#(i + 1)"/>"#
            defs += #"<definition id="def:\#(i)" version="1" class="compliance"><criteria>\#(inner)</criteria></definition>"#
        }
        let doc = try ovalDocument(definitions: defs,
            tests: #"<ind:family_test id="tst:1" version="1" check="all"><ind:object object_ref="obj:1"/></ind:family_test>"#,
            objects: #"<ind:family_object id="obj:1" version="1"/>"#)
        return OVALEvaluator(document: doc, collector: TableCollector(["obj:1": .found([item([("family", "unix")])])]))
    }

    func testDefinitionChains() throws {
        let deep = try definitionChain(10_000)
        XCTAssertEqual(finishes { deep.evaluate(definition: "def:0") }, .error)
        XCTAssertEqual(deep.message(definition: "def:0"),
                       "definition def:0 nests references 9999 levels deep, more than the limit of \(limit)")
        XCTAssertEqual(finishes { deep.evaluate(definition: "def:9990") }, .true)
        let atLimit = try definitionChain(limit)
        XCTAssertEqual(finishes { atLimit.evaluate(definition: "def:0") }, .true)
    }

    /// var:0 reads var:1 ... var:(n-1), a constant.
    func variableChain(_ n: Int) throws -> OVALEvaluator {
        var vars = ""
        for i in 0..<(n - 1) {
            vars += #"<local_variable id="var:\#(i)" version="1" datatype="string" comment="x"><variable_component var_ref="var:\#(i + 1)"/></local_variable>"#
        }
        vars += #"<constant_variable id="var:\#(n - 1)" version="1" datatype="string" comment="x"><value>v</value></constant_variable>"#
        return OVALEvaluator(document: try ovalDocument(variables: vars), collector: TableCollector([:]))
    }

    func testVariableChains() throws {
        let deep = try variableChain(10_000)
        let v = finishes { deep.variable("var:0") }
        XCTAssertEqual(v?.flag, .error)
        XCTAssertEqual(v?.message, "variable var:0 nests references 9999 levels deep, more than the limit of \(limit)")
        let atLimit = try variableChain(limit + 1)
        XCTAssertEqual(finishes { atLimit.variable("var:0").values.map(\.text) }, ["v"])
    }

    /// obj:0's entity reads var:0, the items of obj:1 ... obj:(n-1) has a literal entity.
    func objectChain(_ n: Int) throws -> OVALEvaluator {
        var objects = "", vars = ""
        for i in 0..<n {
            let name = i == n - 1 ? "<ind:name>x</ind:name>" : #"<ind:name var_ref="var:\#(i)"/>"#
            objects += #"<ind:environmentvariable_object id="obj:\#(i)" version="1">\#(name)</ind:environmentvariable_object>"#
            if i < n - 1 {
                vars += #"<local_variable id="var:\#(i)" version="1" datatype="string" comment="x"><object_component object_ref="obj:\#(i + 1)" item_field="name"/></local_variable>"#
            }
        }
        var table: [String: CollectedObject] = [:]
        for i in 0..<n { table["obj:\(i)"] = .found([item([("name", "x")])]) }
        return OVALEvaluator(document: try ovalDocument(objects: objects, variables: vars), collector: TableCollector(table))
    }

    func testObjectVariableChains() throws {
        let deep = try objectChain(5_000)
        let collected = finishes { deep.collect(object: "obj:0") }
        XCTAssertEqual(collected?.flag, .error)
        XCTAssertEqual(collected?.messages, ["object obj:0 nests references 9998 levels deep, more than the limit of \(limit)"])
        let atLimit = try objectChain(limit / 2 + 1)
        XCTAssertEqual(finishes { atLimit.collect(object: "obj:0").flag }, .complete)
    }
}
