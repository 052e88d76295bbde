import VigilOVAL
import VigilXML

/// Reads an `<oval_definitions>` element into an `OVALDocument`.
package enum OVALLoader {
    static let definitionsNS = "http://oval.mitre.org/XMLSchema/oval-definitions-5"

    /// Parses the OVAL definitions rooted at `root`.
    package static func load(_ root: XMLElement) throws -> OVALDocument {
        guard root.name == "oval_definitions" else {
            throw ContentError(root.location, "expected <oval_definitions>, found <\(root.name)>")
        }
        var doc = OVALDocument(source: root.document.path)
        for section in root.children {
            switch section.name {
            case "definitions":
                try add(section.children.lazy.filter { $0.name == "definition" }, read: definition, id: \.id, to: &doc.definitions)
            case "tests":
                try add(section.children, read: test, id: \.id, to: &doc.tests)
            case "objects":
                try add(section.children, read: object, id: \.id, to: &doc.objects)
            case "states":
                try add(section.children, read: state, id: \.id, to: &doc.states)
            case "variables":
                try add(section.children, read: variable, id: \.id, to: &doc.variables)
            default:
                continue
            }
        }
        return doc
    }

    /// Reads each element with `read` into `table`, by the id it reads (a later one with
    /// the same id replaces an earlier one).
    private static func add<Item>(_ elements: some Sequence<XMLElement>, read: (XMLElement) throws -> Item,
                                  id: KeyPath<Item, String>, to table: inout [String: Item]) throws {
        for el in elements {
            let item = try read(el)
            table[item[keyPath: id]] = item
        }
    }

    static func required(_ el: XMLElement, _ attr: String) throws -> String {
        guard let v = el.attribute(attr), !v.isEmpty else {
            throw ContentError(el.location, "<\(el.name)> has no \(attr) attribute")
        }
        return v
    }

    static func family(_ el: XMLElement) -> String {
        guard let ns = el.namespace, let hash = ns.lastIndex(of: "#") else { return "" }
        return String(ns[ns.index(after: hash)...])
    }

    static func enumValue<E: RawRepresentable>(_ el: XMLElement, _ attr: String, default def: E) throws -> E where E.RawValue == String {
        guard let raw = el.attribute(attr) else { return def }
        guard let v = E(rawValue: raw) else {
            throw ContentError(el.location, "invalid \(attr) '\(raw)' on <\(el.name) id=\"\(el.attribute("id") ?? "")\">")
        }
        return v
    }

    static func bool(_ el: XMLElement, _ attr: String) -> Bool? {
        guard let v = el.attribute(attr) else { return nil }
        return v == "true" || v == "1"
    }

    /// Refuses `el` when it is nested `depth` levels deep and that is beyond
    /// `ContentLimits.maxNestingDepth`: the recursive code that reads and evaluates such
    /// structures must not exhaust the stack. `owner` names the element that holds it.
    static func checkNesting(_ el: XMLElement, _ depth: Int, in owner: String) throws {
        guard depth > ContentLimits.maxNestingDepth else { return }
        throw ContentError(el.location, "<\(el.name)> nested more than \(ContentLimits.maxNestingDepth) levels deep in \(owner)")
    }

    // MARK: definitions

    static func definition(_ el: XMLElement) throws -> OVALDefinition {
        let id = try required(el, "id")
        let title = el.child("metadata")?.child("title")?.text ?? ""
        let crit = try el.child("criteria").map { try criteria($0, depth: 1, in: "definition \(id)") }
        return OVALDefinition(id: id, class: el.attribute("class") ?? "", title: title, criteria: crit, location: el.location)
    }

    static func criteria(_ el: XMLElement, depth: Int, in owner: String) throws -> OVALCriteria {
        try checkNesting(el, depth, in: owner)
        var children: [CriteriaNode] = []
        for c in el.children {
            switch c.name {
            case "criteria":
                children.append(.criteria(try criteria(c, depth: depth + 1, in: owner)))
            case "criterion":
                children.append(.criterion(testRef: try required(c, "test_ref"), negate: bool(c, "negate") ?? false,
                                           applicabilityCheck: bool(c, "applicability_check")))
            case "extend_definition":
                children.append(.extendDefinition(definitionRef: try required(c, "definition_ref"), negate: bool(c, "negate") ?? false,
                                                  applicabilityCheck: bool(c, "applicability_check")))
            default:
                continue
            }
        }
        return OVALCriteria(operator: try enumValue(el, "operator", default: .and), negate: bool(el, "negate") ?? false,
                            applicabilityCheck: bool(el, "applicability_check"), children: children)
    }

    // MARK: tests, objects, states

    static func test(_ el: XMLElement) throws -> OVALTest {
        let id = try required(el, "id")
        var objectRef: String?
        var stateRefs: [String] = []
        for c in el.children {
            if c.name == "object" { objectRef = try required(c, "object_ref") }
            if c.name == "state" { stateRefs.append(try required(c, "state_ref")) }
        }
        return OVALTest(id: id, type: el.name, family: family(el),
                        check: try enumValue(el, "check", default: .all),
                        checkExistence: try enumValue(el, "check_existence", default: .atLeastOneExists),
                        stateOperator: try enumValue(el, "state_operator", default: .and),
                        objectRef: objectRef, stateRefs: stateRefs, comment: el.attribute("comment") ?? "",
                        location: el.location)
    }

    static func object(_ el: XMLElement) throws -> OVALObject {
        let id = try required(el, "id")
        var obj = OVALObject(id: id, type: el.name, family: family(el), comment: el.attribute("comment") ?? "", location: el.location)
        for c in el.children {
            switch c.name {
            case "notes", "signature":
                continue
            case "behaviors":
                for a in c.attributes { obj.behaviors[a.name] = a.value }
            case "set":
                obj.set = try set(c, depth: 1, in: "object \(id)")
            case "filter":
                obj.filters.append(try filter(c))
            default:
                obj.entities.append(try entity(c, in: "object \(id)"))
            }
        }
        return obj
    }

    static func set(_ el: XMLElement, depth: Int, in owner: String) throws -> OVALSet {
        try checkNesting(el, depth, in: owner)
        var refs: [String] = []
        var subsets: [OVALSet] = []
        var filters: [OVALFilter] = []
        for c in el.children {
            switch c.name {
            case "object_reference": refs.append(c.text.trimmingWhitespace())
            case "set": subsets.append(try set(c, depth: depth + 1, in: owner))
            case "filter": filters.append(try filter(c))
            default: continue
            }
        }
        return OVALSet(operation: try enumValue(el, "set_operator", default: .union), objectRefs: refs, subsets: subsets, filters: filters)
    }

    static func filter(_ el: XMLElement) throws -> OVALFilter {
        OVALFilter(action: try enumValue(el, "action", default: .exclude), stateRef: el.text.trimmingWhitespace())
    }

    static func state(_ el: XMLElement) throws -> OVALState {
        let id = try required(el, "id")
        var st = OVALState(id: id, type: el.name, family: family(el), operator: try enumValue(el, "operator", default: .and), location: el.location)
        for c in el.children where c.name != "notes" && c.name != "signature" {
            st.entities.append(try entity(c, in: "state \(id)"))
        }
        return st
    }

    static func entity(_ el: XMLElement, depth: Int = 1, in owner: String) throws -> OVALEntity {
        try checkNesting(el, depth, in: owner)
        let datatype: OVALDatatype = try enumValue(el, "datatype", default: .string)
        var fields: [OVALEntity] = []
        if datatype == .record {
            for f in el.children where f.name == "field" {
                var e = try entity(f, depth: depth + 1, in: owner)
                e.name = try required(f, "name")
                fields.append(e)
            }
        }
        return OVALEntity(name: el.name, value: datatype == .record ? "" : el.text, datatype: datatype,
                          operation: try enumValue(el, "operation", default: .equals),
                          varRef: el.attribute("var_ref"),
                          varCheck: try enumValue(el, "var_check", default: .all),
                          entityCheck: try enumValue(el, "entity_check", default: .all),
                          checkExistence: try enumValue(el, "check_existence", default: .atLeastOneExists),
                          isNil: el.isNil, fields: fields, location: el.location)
    }

    // MARK: variables

    static func variable(_ el: XMLElement) throws -> OVALVariable {
        let id = try required(el, "id")
        let datatype: OVALDatatype = try enumValue(el, "datatype", default: .string)
        let kind: OVALVariable.Kind
        switch el.name {
        case "constant_variable":
            kind = .constant(el.children.filter { $0.name == "value" }.map { $0.text })
        case "external_variable":
            kind = .external
        case "local_variable":
            guard let comp = el.children.first(where: { $0.name != "notes" && $0.name != "signature" }) else {
                throw ContentError(el.location, "local_variable \(id) has no component")
            }
            kind = .local(try component(comp, depth: 1, in: "variable \(id)"))
        default:
            throw ContentError(el.location, "unknown variable type <\(el.name)>")
        }
        return OVALVariable(id: id, datatype: datatype, kind: kind, comment: el.attribute("comment") ?? "", location: el.location)
    }

    static func component(_ el: XMLElement, depth: Int, in owner: String) throws -> VariableComponent {
        try checkNesting(el, depth, in: owner)
        switch el.name {
        case "literal_component":
            return .literal(el.text, datatype: try enumValue(el, "datatype", default: .string))
        case "object_component":
            return .object(objectRef: try required(el, "object_ref"), itemField: try required(el, "item_field"),
                           recordField: el.attribute("record_field"))
        case "variable_component":
            return .variable(varRef: try required(el, "var_ref"))
        default:
            var attrs: [String: String] = [:]
            for a in el.attributes { attrs[a.name] = a.value }
            let args = try el.children.map { try component($0, depth: depth + 1, in: owner) }
            return .function(name: el.name, attributes: attrs, arguments: args)
        }
    }
}

extension String {
    /// The string without leading and trailing white space and newlines.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
