import Foundation
import VigilContent
import VigilOVAL
import VigilXML
import XCTest

/// Content nested far deeper than any real benchmark (10,000 levels) is refused at load
/// time with an error naming the file, line and id, instead of overflowing the stack;
/// content at the limit still loads.
final class NestingLimitTests: XCTestCase {
    static let deep = 10_000
    let limit = ContentLimits.maxNestingDepth

    /// `open` repeated `depth` times, then `inner`, then `close` as many times.
    func nested(_ depth: Int, _ open: String, _ inner: String, _ close: String) -> String {
        String(repeating: open, count: depth) + inner + String(repeating: close, count: depth)
    }

    func loadOVAL(definitions: String = "", objects: String = "", states: String = "", variables: String = "") throws -> OVALDocument {
        let xml = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
        <definitions>\(definitions)</definitions><objects>\(objects)</objects>
        <states>\(states)</states><variables>\(variables)</variables></oval_definitions>
        """
        let doc = try XMLDocument.parse(string: xml, label: "deep.xml")
        return try OVALLoader.load(doc.root!)
    }

    func loadBenchmark(_ inside: String) throws -> XCCDFBenchmark {
        let xml = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" xmlns:cpe-lang="http://cpe.mitre.org/language/2.0"
          id="xccdf_org.example_benchmark_deep"><status>draft</status><title>Deep</title><version>1</version>
        \(inside)</Benchmark>
        """
        let doc = try XMLDocument.parse(string: xml, label: "deep-xccdf.xml")
        return try XCCDFLoader.load(doc.root!)
    }

    /// Asserts that `load` throws a ContentError naming the file, `owner` and the limit.
    func assertRefused(_ owner: String, file: StaticString = #filePath, line: UInt = #line, _ load: () throws -> Void) {
        XCTAssertThrowsError(try load(), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(error is ContentError, text, file: file, line: line)
            XCTAssertTrue(text.contains(owner), "no \(owner) in: \(text)", file: file, line: line)
            XCTAssertTrue(text.contains("nested more than \(limit) levels deep"), text, file: file, line: line)
            XCTAssertTrue(text.hasPrefix("deep"), "no file in: \(text)", file: file, line: line)
        }
    }

    func criteria(_ depth: Int) -> String {
        #"<definition id="oval:x:def:1" version="1" class="compliance">"#
            + nested(depth, "<criteria>", #"<criterion test_ref="oval:x:tst:1"/>"#, "</criteria>") + "</definition>"
    }

    func testOVALCriteria() throws {
        assertRefused("definition oval:x:def:1") { _ = try loadOVAL(definitions: criteria(Self.deep)) }
        XCTAssertNotNil(try loadOVAL(definitions: criteria(limit)).definitions["oval:x:def:1"])
    }

    func set(_ depth: Int) -> String {
        #"<ind:file_object id="oval:x:obj:1" version="1">"#
            + nested(depth, "<set>", "<object_reference>oval:x:obj:2</object_reference>", "</set>") + "</ind:file_object>"
    }

    func testOVALSets() throws {
        assertRefused("object oval:x:obj:1") { _ = try loadOVAL(objects: set(Self.deep)) }
        XCTAssertNotNil(try loadOVAL(objects: set(limit)).objects["oval:x:obj:1"])
    }

    /// `depth` components in all: nested concats around a literal.
    func functions(_ depth: Int) -> String {
        #"<local_variable id="oval:x:var:1" version="1" datatype="string" comment="x">"#
            + nested(depth - 1, "<concat>", "<literal_component>a</literal_component>", "</concat>") + "</local_variable>"
    }

    func testOVALVariableFunctions() throws {
        assertRefused("variable oval:x:var:1") { _ = try loadOVAL(variables: functions(Self.deep)) }
        XCTAssertNotNil(try loadOVAL(variables: functions(limit)).variables["oval:x:var:1"])
    }

    func recordFields(_ depth: Int) -> String {
        // A record entity whose field is a record ..., `depth` entities in all.
        #"<ind:textfilecontent54_state id="oval:x:ste:1" version="1"><ind:r datatype="record">"#
            + nested(depth - 1, #"<field name="f" datatype="record">"#, "", "</field>")
            + "</ind:r></ind:textfilecontent54_state>"
    }

    func testOVALRecordFields() throws {
        assertRefused("state oval:x:ste:1") { _ = try loadOVAL(states: recordFields(Self.deep)) }
        XCTAssertNotNil(try loadOVAL(states: recordFields(limit)).states["oval:x:ste:1"])
    }

    func groups(_ depth: Int) -> String {
        var xml = ""
        for i in 0..<depth { xml += #"<Group id="xccdf_org.example_group_\#(i)"><title>g</title>"# }
        xml += #"<Rule id="xccdf_org.example_rule_deep"><title>r</title></Rule>"#
        return xml + String(repeating: "</Group>", count: depth)
    }

    func testXCCDFGroups() throws {
        assertRefused("Group xccdf_org.example_group_\(limit)") { _ = try loadBenchmark(groups(Self.deep)) }
        XCTAssertNotNil(try loadBenchmark(groups(limit)).rules["xccdf_org.example_rule_deep"])
    }

    func complexChecks(_ depth: Int) -> String {
        #"<Rule id="xccdf_org.example_rule_deep"><title>r</title>"#
            + nested(depth, #"<complex-check operator="AND">"#,
                     #"<check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="o.xml" name="oval:x:def:1"/></check>"#,
                     "</complex-check>") + "</Rule>"
    }

    func testXCCDFComplexChecks() throws {
        assertRefused("Rule xccdf_org.example_rule_deep") { _ = try loadBenchmark(complexChecks(Self.deep)) }
        XCTAssertNotNil(try loadBenchmark(complexChecks(limit)).rules["xccdf_org.example_rule_deep"]?.complexCheck)
    }

    func platform(_ depth: Int) -> String {
        #"<cpe-lang:platform-specification><cpe-lang:platform id="deep">"#
            + nested(depth, #"<cpe-lang:logical-test operator="AND" negate="false">"#,
                     #"<cpe-lang:fact-ref name="cpe:/o:example:os"/>"#, "</cpe-lang:logical-test>")
            + "</cpe-lang:platform></cpe-lang:platform-specification>"
    }

    func testCPELogicalTests() throws {
        assertRefused("platform deep") { _ = try loadBenchmark(platform(Self.deep)) }
        XCTAssertNotNil(try loadBenchmark(platform(limit)).platformSpecification["deep"])
    }
}
