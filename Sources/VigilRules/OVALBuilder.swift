import VigilXML

/// OVAL criteria: tests combined with AND, OR and negation.
indirect enum Criteria {
    case test(String)
    case and([Criteria])
    case or([Criteria])
    case not(Criteria)

    /// As an element inside a `<definition>` (always a `<criteria>` at the top).
    func xml(top: Bool = true) -> String {
        switch self {
        case .test(let id) where top: return "<criteria operator=\"AND\">\(Criteria.test(id).xml(top: false))</criteria>"
        case .test(let id): return "<criterion test_ref=\"\(id)\"/>"
        case .and(let items): return "<criteria operator=\"AND\">\(items.map { $0.xml(top: false) }.joined())</criteria>"
        case .or(let items): return "<criteria operator=\"OR\">\(items.map { $0.xml(top: false) }.joined())</criteria>"
        case .not(let inner):
            switch inner {
            case .test(let id): return top ? "<criteria operator=\"AND\"><criterion negate=\"true\" test_ref=\"\(id)\"/></criteria>"
                                           : "<criterion negate=\"true\" test_ref=\"\(id)\"/>"
            case .and(let items): return "<criteria operator=\"AND\" negate=\"true\">\(items.map { $0.xml(top: false) }.joined())</criteria>"
            case .or(let items): return "<criteria operator=\"OR\" negate=\"true\">\(items.map { $0.xml(top: false) }.joined())</criteria>"
            case .not(let twice): return twice.xml(top: top)
            }
        }
    }
}

/// Collects the OVAL definitions, tests, objects, states and variables of one document,
/// numbering ids in the benchmark's OVAL namespace (`oval:<namespace>:tst:7`). Identical
/// generated elements are written once and shared.
final class OVALBuilder {
    let namespace: String
    private(set) var definitions: [String] = []
    private(set) var tests: [String] = []
    private(set) var objects: [String] = []
    private(set) var states: [String] = []
    private(set) var variables: [String] = []
    private var counters: [String: Int] = [:]
    private var shared: [String: String] = [:]
    /// Ids written by hand in raw OVAL, so that generated ones never collide.
    private(set) var rawIDs: [String: String] = [:]

    init(namespace: String) { self.namespace = namespace }

    func nextID(_ kind: String) -> String {
        let n = (counters[kind] ?? 0) + 1
        counters[kind] = n
        return "oval:\(namespace):\(kind):\(n)"
    }

    /// Adds an element whose text is `body(id)`; an identical element is only added once.
    private func add(_ kind: String, to list: ReferenceWritableKeyPath<OVALBuilder, [String]>, key: String, _ body: (String) -> String) -> String {
        if let id = shared[kind + "\u{0}" + key] { return id }
        let id = nextID(kind)
        self[keyPath: list].append(body(id))
        shared[kind + "\u{0}" + key] = id
        return id
    }

    /// An object: `type` like `ind:textfilecontent54_object`, `inner` its entities.
    func object(_ type: String, _ inner: String) -> String {
        add("obj", to: \.objects, key: type + inner) { "<\(type) id=\"\($0)\" version=\"1\">\(inner)</\(type)>" }
    }

    func state(_ type: String, _ inner: String) -> String {
        add("ste", to: \.states, key: type + inner) { "<\(type) id=\"\($0)\" version=\"1\">\(inner)</\(type)>" }
    }

    /// A test of `object` against `states` (none: existence decides).
    func test(_ type: String, comment: String, object: String, states: [String] = [], check: String = "all",
              existence: String = "at_least_one_exists") -> String {
        let prefix = type.split(separator: ":").first.map(String.init) ?? ""
        let inner = "<\(prefix):object object_ref=\"\(object)\"/>" + states.map { "<\(prefix):state state_ref=\"\($0)\"/>" }.joined()
        let attrs = "check=\"\(check)\" check_existence=\"\(existence)\" comment=\"\(xmlEscape(comment))\""
        return add("tst", to: \.tests, key: type + attrs + inner) { "<\(type) id=\"\($0)\" version=\"1\" \(attrs)>\(inner)</\(type)>" }
    }

    /// The union of objects of one type, as nested `<set>`s (a set holds at most two).
    func union(_ type: String, _ members: [String]) -> String {
        var level = members
        while level.count > 1 {
            var next: [String] = []
            var i = 0
            while i < level.count {
                if i + 1 < level.count {
                    next.append(object(type, "<set><object_reference>\(level[i])</object_reference><object_reference>\(level[i + 1])</object_reference></set>"))
                } else {
                    next.append(level[i])
                }
                i += 2
            }
            level = next
        }
        return level[0]
    }

    /// The external variable an XCCDF value is exported to.
    func external(value: String, datatype: String) -> String {
        add("var", to: \.variables, key: value) {
            "<external_variable id=\"\($0)\" version=\"1\" datatype=\"\(datatype)\" comment=\"\(xmlEscape("XCCDF value " + value))\"/>"
        }
    }

    /// A local variable whose value `inner` computes (an `object_component`, a function).
    func localVariable(datatype: String, comment: String, _ inner: String) -> String {
        add("var", to: \.variables, key: "\u{0}local \(datatype) \(inner)") {
            "<local_variable id=\"\($0)\" version=\"1\" datatype=\"\(datatype)\" comment=\"\(xmlEscape(comment))\">\(inner)</local_variable>"
        }
    }

    func definition(id: String, cls: String = "compliance", title: String, description: String, criteria: Criteria) {
        definitions.append("""
            <definition class="\(cls)" id="\(id)" version="1"><metadata><title>\(xmlEscape(title))</title>\
            <description>\(xmlEscape(description))</description></metadata>\(criteria.xml())</definition>
            """)
    }

    /// Elements written by hand (`check: oval`), already serialized, by section.
    func addRaw(section: String, xml: String, id: String, location: String) throws {
        if let first = rawIDs[id] { throw RuleError(file: location, line: nil, "OVAL id \(id) is also defined at \(first)") }
        rawIDs[id] = location
        switch section {
        case "tests": tests.append(xml)
        case "objects": objects.append(xml)
        case "states": states.append(xml)
        case "variables": variables.append(xml)
        default: throw RuleError(file: location, line: nil, "<\(section)> is not an OVAL section")
        }
    }

    static let namespaces = """
        xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" \
        xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent" \
        xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix" \
        xmlns:linux="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux"
        """

    /// The `<oval_definitions>` document.
    func document(timestamp: String) -> String {
        func section(_ name: String, _ items: [String]) -> String {
            items.isEmpty ? "" : "<\(name)>\n" + items.joined(separator: "\n") + "\n</\(name)>\n"
        }
        return """
            <oval_definitions \(OVALBuilder.namespaces)>
            <generator><oval:product_name>Vigil</oval:product_name><oval:schema_version>5.11</oval:schema_version>\
            <oval:timestamp>\(timestamp)</oval:timestamp></generator>
            \(section("definitions", definitions))\(section("tests", tests))\(section("objects", objects))\
            \(section("states", states))\(section("variables", variables))</oval_definitions>
            """
    }
}
