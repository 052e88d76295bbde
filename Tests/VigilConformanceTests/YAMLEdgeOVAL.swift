import Foundation
import VigilOVAL
import VigilXML

/// Builds the OVAL definitions and the XCCDF benchmark of `YAMLEdgeDifferentialTests`:
/// per object one definition that its items exist and one that some item's value (or
/// first subexpression) is `1`, `true`, `false` or `6443`.
struct OVALText {
    private var definitions = "", tests = "", objects = "", states = "", rules = ""
    private var objectCount = 0, definitionCount = 0
    /// The XCCDF rule id of each definition, by its title (`FILEPATH YAMLPATH exists|value`,
    /// `FILEPATH ~ PATTERN exists|value`).
    private(set) var ruleByTitle: [String: String] = [:]

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private mutating func define(_ title: String, test: String) {
        definitionCount += 1
        let n = definitionCount
        ruleByTitle[title] = "xccdf_org.example_rule_r\(n)"
        tests += test.replacingOccurrences(of: "TEST_ID", with: "oval:x:tst:\(n)")
        definitions += """
            <definition id="oval:x:def:\(n)" version="1" class="compliance"><metadata><title>\(Self.escaped(title))</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:\(n)"/></criteria></definition>\n
            """
        rules += """
            <Rule id="xccdf_org.example_rule_r\(n)" selected="true" severity="medium"><title>\(Self.escaped(title))</title><check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="edge-oval.xml" name="oval:x:def:\(n)"/></check></Rule>\n
            """
    }

    /// A `yamlfilecontent_object` and its two definitions.
    mutating func yaml(filepath: String, yamlpath: String) {
        objectCount += 1
        let o = "oval:x:obj:\(objectCount)", title = "\(filepath) \(yamlpath)"
        objects += """
            <ind:yamlfilecontent_object id="\(o)" version="1" comment="\(Self.escaped(title))"><ind:filepath>\(filepath)</ind:filepath><ind:yamlpath>\(Self.escaped(yamlpath))</ind:yamlpath></ind:yamlfilecontent_object>\n
            """
        define("\(title) exists", test: """
            <ind:yamlfilecontent_test id="TEST_ID" version="1" check="all" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="\(o)"/></ind:yamlfilecontent_test>\n
            """)
        define("\(title) value", test: """
            <ind:yamlfilecontent_test id="TEST_ID" version="1" check="at least one" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="\(o)"/><ind:state state_ref="oval:x:ste:1"/></ind:yamlfilecontent_test>\n
            """)
    }

    /// A `yamlfilecontent_object` over the files below `path` (any depth, following
    /// links to directories) whose name matches `filename`, and its two definitions.
    mutating func yamlWalk(path: String, filename: String, yamlpath: String) {
        objectCount += 1
        let o = "oval:x:obj:\(objectCount)", title = "\(path) walk \(filename) \(yamlpath)"
        objects += """
            <ind:yamlfilecontent_object id="\(o)" version="1" comment="\(Self.escaped(title))"><ind:behaviors max_depth="-1" recurse="symlinks and directories" recurse_direction="down"/><ind:path>\(path)</ind:path><ind:filename operation="pattern match">\(Self.escaped(filename))</ind:filename><ind:yamlpath>\(Self.escaped(yamlpath))</ind:yamlpath></ind:yamlfilecontent_object>\n
            """
        define("\(title) exists", test: """
            <ind:yamlfilecontent_test id="TEST_ID" version="1" check="all" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="\(o)"/></ind:yamlfilecontent_test>\n
            """)
        define("\(title) value", test: """
            <ind:yamlfilecontent_test id="TEST_ID" version="1" check="at least one" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="\(o)"/><ind:state state_ref="oval:x:ste:1"/></ind:yamlfilecontent_test>\n
            """)
    }

    /// A `textfilecontent54_object` (every match of `pattern`) and its two definitions.
    mutating func text(filepath: String, pattern: String) {
        objectCount += 1
        let o = "oval:x:obj:\(objectCount)", title = "\(filepath) ~ \(pattern)"
        objects += """
            <ind:textfilecontent54_object id="\(o)" version="1" comment="\(Self.escaped(title))"><ind:filepath>\(filepath)</ind:filepath><ind:pattern operation="pattern match">\(Self.escaped(pattern))</ind:pattern><ind:instance datatype="int" operation="greater than or equal">1</ind:instance></ind:textfilecontent54_object>\n
            """
        define("\(title) exists", test: """
            <ind:textfilecontent54_test id="TEST_ID" version="1" check="all" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="\(o)"/></ind:textfilecontent54_test>\n
            """)
        define("\(title) value", test: """
            <ind:textfilecontent54_test id="TEST_ID" version="1" check="at least one" check_existence="at_least_one_exists" comment="c"><ind:object object_ref="\(o)"/><ind:state state_ref="oval:x:ste:2"/></ind:textfilecontent54_test>\n
            """)
    }

    /// Writes `edge-oval.xml` and `edge-xccdf.xml` into `dir`; returns the benchmark's path.
    func write(in dir: URL) throws -> String {
        let pattern = "^(1|true|false|6443)$"
        let states = """
            <ind:yamlfilecontent_state id="oval:x:ste:1" version="1"><ind:value datatype="record"><field name="#" operation="pattern match">\(pattern)</field></ind:value></ind:yamlfilecontent_state>
            <ind:textfilecontent54_state id="oval:x:ste:2" version="1"><ind:subexpression operation="pattern match">\(pattern)</ind:subexpression></ind:textfilecontent54_state>
            """
        let oval = """
            <?xml version="1.0" encoding="UTF-8"?>
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
              <generator><oval:schema_version>5.11.3</oval:schema_version><oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
              <definitions>\(definitions)</definitions><tests>\(tests)</tests><objects>\(objects)</objects><states>\(states)</states>
            </oval_definitions>
            """
        try oval.write(to: dir.appendingPathComponent("edge-oval.xml"), atomically: true, encoding: .utf8)
        let xccdf = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_edge" resolved="1" xml:lang="en">
              <status>draft</status><title>YAML edge cases</title><version>1</version>
            \(rules)</Benchmark>
            """
        let path = dir.appendingPathComponent("edge-xccdf.xml").path
        try xccdf.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// What oscap collected for each object, from `oscap oval eval --results`, in a form
/// Vigil's `CollectedObject` converts to for comparison.
enum OscapCollected {
    /// An object's flag and its items, each item as its sorted fields
    /// (`name:datatype=value`, a record as `name{fields}`).
    struct Object: Equatable, CustomStringConvertible {
        var flag: String
        var items: [[String]]

        var description: String { "\(flag) \(items)" }

        init(flag: String, items: [[String]]) {
            self.flag = flag
            self.items = items.sorted { $0.lexicographicallyPrecedes($1) }
        }

        init(_ collected: CollectedObject) {
            self.init(flag: collected.flag.rawValue, items: collected.items.map { item in
                item.fields.map(Self.field).sorted()
            })
        }

        static func field(_ f: OVALItemField) -> String {
            if f.datatype == .record { return "\(f.name){\(f.record.map(field).sorted().joined(separator: ", "))}" }
            return "\(f.name):\(f.datatype.rawValue)=\(xmlVisible(f.value))"
        }

        /// `value` as oscap's results file shows it: characters XML 1.0 cannot hold (C0
        /// controls but tab and line ends) are left out there, though oscap matched them.
        static func xmlVisible(_ value: String) -> String {
            var out = String.UnicodeScalarView()
            out.append(contentsOf: value.unicodeScalars.filter { $0.value >= 0x20 || [0x09, 0x0A, 0x0D].contains($0.value) })
            return String(out)
        }
    }

    /// Every collected object of the results file, by id.
    static func load(_ path: String) throws -> [String: Object] {
        let root = try XMLDocument.parse(file: path).root!
        guard let system = root.child("results")?.child("system")?.child("oval_system_characteristics") else { return [:] }
        var items: [String: [String]] = [:]
        for item in system.child("system_data")?.children ?? [] {
            guard let id = item.attribute("id") else { continue }
            items[id] = item.children.map(field).sorted()
        }
        var objects: [String: Object] = [:]
        for object in system.child("collected_objects")?.children("object") ?? [] {
            guard let id = object.attribute("id") else { continue }
            let refs = object.children("reference").compactMap { $0.attribute("item_ref") }
            // oscap's walk can reach one file twice through a link cycle and then reports
            // the same item twice; Vigil reports each item once (`OVALItem.unique`).
            var seen = Set<[String]>()
            let unique = refs.compactMap { items[$0] }.filter { seen.insert($0).inserted }
            objects[id] = Object(flag: object.attribute("flag") ?? "", items: unique)
        }
        return objects
    }

    private static func field(_ e: XMLElement) -> String {
        let name = e.name == "field" ? e.attribute("name") ?? "" : e.name
        let datatype = e.attribute("datatype") ?? "string"
        if datatype == "record" { return "\(name){\(e.children.map(field).sorted().joined(separator: ", "))}" }
        return "\(name):\(datatype)=\(e.text)"
    }
}
