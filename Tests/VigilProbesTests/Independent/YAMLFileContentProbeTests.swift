import XCTest
import Foundation
import VigilContent
import VigilOVAL
import VigilXML
@testable import VigilProbes

/// Expected values were checked against `oscap oval collect` (OpenSCAP 1.3.7) on the
/// same file and paths (record fields are compared in any order: OpenSCAP lists them
/// in hash-table order).
final class YAMLFileContentProbeTests: XCTestCase {
    private var root = ""

    private let sample = """
        foo:
          - bar: &bar True
            first: First Bar
            second: 2
            arr: [1, 2, 3]
          - baz: False
            other_bar: *bar
            first: First Baz
            some.el/here: Delimiters...
            "bar's": 0
        scal: hello
        CamelKey: 1
        nums: [0x1F, 0o17, 1.5, .inf, -.Inf, .nan, ~, null, "quoted", '12', 1e3, +7, yes, no, on, 2147483648]
        nested:
          m:
            k: v
          list:
            - name: a
              v: 1
            - name: b
              v: 2
        empty:
        tagged: !!str 123
        tagbool: !!bool yes
        seqseq: [[1,2],[3]]

        """

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-yaml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/etc/app", withIntermediateDirectories: true)
        write("/etc/app/a.yaml", sample)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ path: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: root + path, contents: Data(text.utf8))
    }

    private func entity(_ name: String, _ value: String, _ op: OVALOperation = .equals) -> ResolvedEntity {
        ResolvedEntity(entity: OVALEntity(name: name, value: value, operation: op), values: [value])
    }

    private func collect(_ entities: [ResolvedEntity]) throws -> CollectedObject {
        let object = ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "yamlfilecontent_object", family: "independent",
                                                       entities: entities.map(\.entity)), entities: entities)
        return YAMLFileContentProbe().collect(object, context: ProbeContext(target: try RootTarget(root)))
    }

    private func query(_ path: String, file: String = "/etc/app/a.yaml") throws -> CollectedObject {
        try collect([entity("filepath", file), entity("yamlpath", path)])
    }

    /// Each `value` record as sorted `name=value` (with `:type` unless string).
    private func records(_ path: String) throws -> [[String]] {
        let r = try query(path)
        XCTAssertNotEqual(r.flag, .error, "\(path): \(r.messages)")
        return (r.items.first?.fields(named: "value") ?? []).map { value in
            value.record.map { f in f.datatype == .string ? "\(f.name)=\(f.value)" : "\(f.name)=\(f.value):\(f.datatype.rawValue)" }.sorted()
        }
    }

    func testItemFieldsAndScalar() throws {
        let r = try query(".scal")
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name), ["filepath", "path", "filename", "yamlpath", "value"])
        XCTAssertEqual(item.fields.prefix(4).map(\.value), ["/etc/app/a.yaml", "/etc/app", "a.yaml", ".scal"])
        XCTAssertEqual(item.fields.last?.datatype, .record)
        XCTAssertEqual(try records(".scal"), [["#=hello"]])
        XCTAssertEqual(try records("scal"), [["#=hello"]])
        XCTAssertEqual(try records("$.scal"), [["#=hello"]])
        XCTAssertEqual(try records("['scal']"), [["#=hello"]])
    }

    func testMapsBecomeRecords() throws {
        XCTAssertEqual(try records(".foo[0]"), [["arr=1:int", "arr=2:int", "arr=3:int", "bar=true:boolean", "first=First Bar", "second=2:int"]])
        XCTAssertEqual(try records(".nested.m"), [["k=v"]])
        XCTAssertEqual(try records(".nested.list"), [["name=a", "v=1:int"], ["name=b", "v=2:int"]])
        XCTAssertEqual(try records(".foo[0]['first','second']"), [["first=First Bar", "second=2:int"]])
        // An alias is skipped without counting, so keys and values swap afterwards (as in OpenSCAP).
        XCTAssertEqual(try records(".foo[1]"), [["^delimiters...=bar's", "^first ^baz=some.el/here", "baz=false:boolean", "other_bar=first"]])
        XCTAssertEqual(try records(".foo").count, 2)
    }

    func testSequences() throws {
        XCTAssertEqual(try records(".foo[:].first"), [["#=First Bar", "#=First Baz"]])
        XCTAssertEqual(try records(".nested.list[:].name"), [["#=a", "#=b"]])
        XCTAssertEqual(try records(".foo[0].arr"), [["#=1:int", "#=2:int", "#=3:int"]])
        XCTAssertEqual(try records(".seqseq"), [["#=1:int", "#=2:int"], ["#=3:int"]])
        XCTAssertEqual(try records("&bar"), [["#=true:boolean"]])
    }

    func testScalarTypes() throws {
        let nums = try XCTUnwrap(try query(".nums").items.first?.fields(named: "value").first?.record)
        XCTAssertEqual(nums.map(\.value), ["31", "15", "1.500000", "inf", "-inf", "nan", "(null)", "(null)", "quoted", "12",
                                           "1000.000000", "7", "yes", "no", "on", "-2147483648"])
        XCTAssertEqual(nums.map(\.datatype), [.int, .int, .float, .float, .float, .float, .string, .string, .string, .string,
                                              .float, .int, .string, .string, .string, .int])
        XCTAssertTrue(nums.allSatisfy { $0.name == "#" })
        XCTAssertEqual(try records(".CamelKey"), [["#=1:int"]])
        XCTAssertEqual(try records(".empty"), [["#=(null)"]])
        XCTAssertEqual(try records(".tagged"), [["#=123"]])
    }

    func testErrorsAndMissing() throws {
        let nested = try query(".nested")
        XCTAssertEqual(nested.flag, .error)
        XCTAssertEqual(nested.messages, ["YAML path '.nested' points to a multi-dimensional structure (map containing another map)"])
        XCTAssertEqual(try query(".*").flag, .error)
        let tagbool = try query(".tagbool")
        XCTAssertEqual(tagbool.flag, .error)
        XCTAssertEqual(tagbool.messages, ["Can't convert 'tag:yaml.org,2002:bool yes' to SEXP"])
        let badPath = try query("[")
        XCTAssertEqual(badPath.messages, ["Invalid YAML path '[': Segment index is invalid (unexpected end of string, missing ']')"])
        XCTAssertEqual(try query(".missing").flag, .doesNotExist)
        XCTAssertEqual(try query(".a", file: "/etc/app/none.yaml").flag, .doesNotExist)
        write("/etc/app/broken.yaml", "a: [1, 2\nb: {")
        let broken = try query(".a", file: "/etc/app/broken.yaml")
        XCTAssertEqual(broken.flag, .error)
        XCTAssertTrue(broken.messages.first?.hasPrefix("YAML parser error: ") == true)
        write("/etc/app/empty.yaml", "")
        XCTAssertEqual(try query(".a", file: "/etc/app/empty.yaml").flag, .doesNotExist)
    }

    func testAliasesAreNotExpanded() throws {
        // A billion-laughs style document stays cheap: aliases are events, never copies.
        var doc = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<30 { doc += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        write("/etc/app/bomb.yaml", doc)
        let r = try query(".a29", file: "/etc/app/bomb.yaml")
        XCTAssertEqual(r.flag, .doesNotExist)
        XCTAssertEqual(try query(".a0", file: "/etc/app/bomb.yaml").items.first?.fields(named: "value").first?.record.count, 10)
    }

    func testSeveralDocumentsAndContent() throws {
        write("/etc/app/multi.yaml", "a: 1\n---\na: 2\n")
        XCTAssertEqual(try query(".a", file: "/etc/app/multi.yaml").items.first?.fields(named: "value").first?.record.map(\.value), ["1", "2"])
        let content = try collect([entity("content", "k: [x, y]\n"), entity("yamlpath", ".k")])
        let item = try XCTUnwrap(content.items.first)
        XCTAssertEqual(item.fields.map(\.name), ["content", "yamlpath", "value"])
        XCTAssertEqual(item.fields(named: "value").first?.record.map(\.value), ["x", "y"])
    }

    func testPathAndFilenamePattern() throws {
        write("/etc/app/b.yml", "scal: other\n")
        let r = try collect([entity("path", "/etc/app"), entity("filename", "^[ab]\\.ya?ml$", .patternMatch), entity("yamlpath", ".scal")])
        let got = r.items.map { [$0.value("filename") ?? "", $0.fields(named: "value").first?.record.first?.value ?? ""] }
        XCTAssertEqual(got.sorted { $0[0] < $1[0] }, [["a.yaml", "hello"], ["b.yml", "other"]])
    }

    func testKeyEscaping() {
        XCTAssertEqual(YAMLScalar.escapeKey("CamelKey"), "^camel^key")
        XCTAssertEqual(YAMLScalar.escapeKey("a^b"), "a^^b")
        XCTAssertEqual(YAMLScalar.escapeKey("plain_key.1"), "plain_key.1")
        XCTAssertEqual(YAMLScalar.escapeKey("Ünïcode"), "Ünïcode")
    }

    /// A file that does not parse: oscap 1.3.7 flags the yamlfilecontent object `error`
    /// (tests on it are `error`), and a variable_object over a variable computed from it
    /// still has its one item, with no value, so a variable_test with a state is
    /// `unknown` and one without a state `true`. A variable over a missing file does not
    /// exist: its variable_object has no item (test `false`).
    func testVariableObjectOverAnUnparsableFile() throws {
        write("/etc/app/broken.json", "{\"authentication\": {\"anonymous\": [1, 2\n")
        let xml = """
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
              xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
            <tests>
              <ind:yamlfilecontent_test id="t:file" version="1" check="all" comment="c"><ind:object object_ref="o:broken"/></ind:yamlfilecontent_test>
              <ind:variable_test id="t:state" version="1" check="all" comment="c"><ind:object object_ref="o:var"/><ind:state state_ref="s:1"/></ind:variable_test>
              <ind:variable_test id="t:exists" version="1" check="all" comment="c"><ind:object object_ref="o:var"/></ind:variable_test>
              <ind:variable_test id="t:missing" version="1" check="all" comment="c"><ind:object object_ref="o:varmissing"/><ind:state state_ref="s:1"/></ind:variable_test>
            </tests>
            <objects>
              <ind:yamlfilecontent_object id="o:broken" version="1"><ind:filepath>/etc/app/broken.json</ind:filepath><ind:yamlpath>.authentication.anonymous</ind:yamlpath></ind:yamlfilecontent_object>
              <ind:yamlfilecontent_object id="o:missing" version="1"><ind:filepath>/etc/app/missing.json</ind:filepath><ind:yamlpath>.a</ind:yamlpath></ind:yamlfilecontent_object>
              <ind:variable_object id="o:var" version="1"><ind:var_ref>v:broken</ind:var_ref></ind:variable_object>
              <ind:variable_object id="o:varmissing" version="1"><ind:var_ref>v:missing</ind:var_ref></ind:variable_object>
            </objects>
            <states><ind:variable_state id="s:1" version="1"><ind:value>1</ind:value></ind:variable_state></states>
            <variables>
              <local_variable id="v:broken" version="1" datatype="string" comment="c"><object_component item_field="value" record_field="#" object_ref="o:broken"/></local_variable>
              <local_variable id="v:missing" version="1" datatype="string" comment="c"><object_component item_field="value" record_field="#" object_ref="o:missing"/></local_variable>
            </variables>
            </oval_definitions>
            """
        let doc = try OVALLoader.load(try XMLDocument.parse(string: xml, label: "yaml.xml").root!)
        let ev = OVALEvaluator(document: doc, collector: ProbeCollector(target: try RootTarget(root)))
        XCTAssertEqual(ev.evaluate(test: "t:file").result, .error)
        let state = ev.evaluate(test: "t:state")
        XCTAssertEqual(state.result, .unknown)
        XCTAssertEqual(state.items.count, 1)
        XCTAssertEqual(state.items.first?.fields.map(\.name), ["var_ref"])
        XCTAssertEqual(ev.evaluate(test: "t:exists").result, .true)
        XCTAssertEqual(ev.evaluate(test: "t:missing").result, .false)
    }
}
