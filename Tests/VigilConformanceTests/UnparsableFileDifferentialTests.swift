import Foundation
import XCTest

/// YAML and JSON files that do not parse, against oscap 1.3.7: the yamlfilecontent object
/// is an error (its tests are `error`); a variable computed from it cannot be computed,
/// and a variable_object over that variable still has its one item, with no value, so a
/// variable_test with a state is `unknown` and one without a state `true`.
final class UnparsableFileDifferentialTests: XCTestCase {
    static let files: [String: String] = [
        "etc/app/broken.yaml": "a: [1, 2\nb: {\n",
        "etc/app/broken.json": "{\"authentication\": {\"anonymous\": {\"enabled\": tru\n",
        "etc/app/tabs.yaml": "a:\n\t- 1\n",
        "etc/app/good.yaml": "a: 1\nauthentication:\n  anonymous:\n    enabled: false\n",
        "etc/app/good.json": "{\"a\": 1, \"authentication\": {\"anonymous\": {\"enabled\": false}}}\n",
    ]

    /// The OVAL document and XCCDF benchmark: for each file, a yamlfilecontent test with
    /// and without a state, a variable_test over a variable of its values (with and without
    /// a state); plus a missing file and a path+filename walk over every file.
    static func content(in dir: URL, prefix: String) throws -> String {
        var definitions = "", tests = "", objects = "", states = "", variables = ""
        var rules = ""
        var n = 0
        func add(_ title: String, test: String) {
            n += 1
            definitions += """
                <definition id="oval:x:def:\(n)" version="1" class="compliance"><metadata><title>\(title)</title><description>d</description></metadata><criteria><criterion test_ref="\(test)"/></criteria></definition>\n
                """
            rules += """
                <Rule id="xccdf_org.example_rule_r\(n)" selected="true" severity="medium"><title>\(title)</title><check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="yaml-oval.xml" name="oval:x:def:\(n)"/></check></Rule>\n
                """
        }
        states += """
            <ind:yamlfilecontent_state id="oval:x:ste:1" version="1"><ind:value datatype="record"><field name="#" datatype="int">1</field></ind:value></ind:yamlfilecontent_state>
            <ind:variable_state id="oval:x:ste:2" version="1"><ind:value>1</ind:value></ind:variable_state>\n
            """
        let targets = files.keys.sorted() + ["etc/app/missing.yaml"]
        for (i, file) in targets.enumerated() {
            let path = prefix + "/" + file
            objects += """
                <ind:yamlfilecontent_object id="oval:x:obj:\(1 + i)" version="1"><ind:filepath>\(path)</ind:filepath><ind:yamlpath>.a</ind:yamlpath></ind:yamlfilecontent_object>
                <ind:variable_object id="oval:x:obj:\(101 + i)" version="1"><ind:var_ref>oval:x:var:\(1 + i)</ind:var_ref></ind:variable_object>\n
                """
            variables += """
                <local_variable id="oval:x:var:\(1 + i)" version="1" datatype="string" comment="c"><object_component item_field="value" record_field="#" object_ref="oval:x:obj:\(1 + i)"/></local_variable>\n
                """
            tests += """
                <ind:yamlfilecontent_test id="oval:x:tst:\(10 * i + 11)" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:\(1 + i)"/><ind:state state_ref="oval:x:ste:1"/></ind:yamlfilecontent_test>
                <ind:yamlfilecontent_test id="oval:x:tst:\(10 * i + 12)" version="1" check="all" check_existence="none_exist" comment="c"><ind:object object_ref="oval:x:obj:\(1 + i)"/></ind:yamlfilecontent_test>
                <ind:variable_test id="oval:x:tst:\(10 * i + 13)" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:\(101 + i)"/><ind:state state_ref="oval:x:ste:2"/></ind:variable_test>
                <ind:variable_test id="oval:x:tst:\(10 * i + 14)" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:\(101 + i)"/></ind:variable_test>\n
                """
            for (k, kind) in ["state", "none exist", "variable state", "variable exists"].enumerated() {
                add("\(file) \(kind)", test: "oval:x:tst:\(10 * i + 11 + k)")
            }
        }
        objects += """
            <ind:yamlfilecontent_object id="oval:x:obj:999" version="1"><ind:path>\(prefix)/etc/app</ind:path><ind:filename operation="pattern match">\\.(yaml|json)$</ind:filename><ind:yamlpath>.authentication.anonymous.enabled</ind:yamlpath></ind:yamlfilecontent_object>\n
            """
        tests += """
            <ind:yamlfilecontent_test id="oval:x:tst:999" version="1" check="all" check_existence="any_exist" comment="c"><ind:object object_ref="oval:x:obj:999"/></ind:yamlfilecontent_test>\n
            """
        add("walk", test: "oval:x:tst:999")
        let oval = """
            <?xml version="1.0" encoding="UTF-8"?>
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
              <generator><oval:schema_version>5.11.3</oval:schema_version><oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
              <definitions>\(definitions)</definitions><tests>\(tests)</tests><objects>\(objects)</objects><states>\(states)</states><variables>\(variables)</variables>
            </oval_definitions>
            """
        try oval.write(to: dir.appendingPathComponent("yaml-oval.xml"), atomically: true, encoding: .utf8)
        let xccdf = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_yaml" resolved="1" xml:lang="en">
              <status>draft</status><title>unparsable files</title><version>1</version>
            \(rules)</Benchmark>
            """
        let path = dir.appendingPathComponent("yaml-xccdf.xml").path
        try xccdf.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func writeFiles(under root: URL) throws {
        for (file, text) in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    func testUnparsableYAMLAndJSONAgreeWithOscapLiveAndOffline() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let files = work.appendingPathComponent("files")
        try Self.writeFiles(under: files)
        for (name, prefix, root) in [("live", files.path, nil), ("root", "", files.path)] as [(String, String, String?)] {
            let dir = work.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let content = try Self.content(in: dir, prefix: prefix)
            let run = try DifferentialRun.run(t, content: content, root: root, work: dir, name: "yaml-\(name)")
            print("[differential] unparsable YAML/JSON (\(name)): \(run.summary)")
            XCTAssertEqual(run.status, 0, "vigil and oscap differ (\(name)):\n\(run.output)")
            let counts = try DifferentialRun.counts(in: run.reference)
            XCTAssertGreaterThan(counts["unknown"] ?? 0, 0, "\(name): \(counts)")
            XCTAssertGreaterThan(counts["error"] ?? 0, 0, "\(name): \(counts)")
            XCTAssertGreaterThan(counts["pass"] ?? 0, 0, "\(name): \(counts)")
        }
    }
}
