import VigilCrypto
import VigilXML

/// Reads an XCCDF 1.2 `<Benchmark>` element.
package enum XCCDFLoader {
    package static let namespace = "http://checklists.nist.gov/xccdf/1.2"

    package static func load(_ el: XMLElement) throws -> XCCDFBenchmark {
        guard el.name == "Benchmark" else {
            throw ContentError(el.location, "expected an XCCDF <Benchmark>, found <\(el.name)>")
        }
        guard el.namespace == namespace else {
            throw ContentError(el.location, "unsupported XCCDF namespace \(el.namespace ?? "(none)"); Vigil reads XCCDF 1.2")
        }
        var b = XCCDFBenchmark(id: try OVALLoader.required(el, "id"), version: el.child("version")?.text ?? "",
                               title: el.child("title")?.text ?? "", status: el.child("status")?.text ?? "",
                               platforms: el.children("platform").compactMap { $0.attribute("idref") },
                               profiles: [], values: [:], rules: [:], groups: [:], ruleOrder: [], topItems: [],
                               platformSpecification: [:])
        for c in el.children {
            switch c.name {
            case "platform-specification":
                for p in c.children where p.name == "platform" {
                    let platform = try CPELoader.platform(p)
                    b.platformSpecification[platform.id] = platform
                }
            case "Profile":
                b.profiles.append(try profile(c, fromTailoring: false))
            default:
                break
            }
        }
        try items(of: el, parent: nil, depth: 0, into: &b)
        return b
    }

    /// Reads the Values, Groups and Rules inside `el`, which is nested `depth` groups deep.
    static func items(of el: XMLElement, parent: String?, depth: Int, into b: inout XCCDFBenchmark) throws {
        for c in el.children {
            switch c.name {
            case "Value":
                let v = try value(c)
                b.values[v.id] = v
            case "Group":
                let id = try OVALLoader.required(c, "id")
                try OVALLoader.checkNesting(c, depth + 1, in: "Group \(id)")
                if b.groups[id] != nil { throw ContentError(c.location, "duplicate Group id \(id)") }
                b.groups[id] = XCCDFGroup(id: id, title: c.child("title")?.text ?? "", selected: bool(c, "selected") ?? true,
                                          platforms: c.children("platform").compactMap { $0.attribute("idref") }, parent: parent,
                                          weight: Double(c.attribute("weight") ?? "") ?? 1.0, children: [])
                addChild(id, to: parent, &b)
                try items(of: c, parent: id, depth: depth + 1, into: &b)
            case "Rule":
                let r = try rule(c, parent: parent)
                if b.rules[r.id] != nil { throw ContentError(c.location, "duplicate Rule id \(r.id)") }
                b.rules[r.id] = r
                b.ruleOrder.append(r.id)
                addChild(r.id, to: parent, &b)
            default:
                continue
            }
        }
    }

    static func addChild(_ id: String, to parent: String?, _ b: inout XCCDFBenchmark) {
        if let parent { b.groups[parent]?.children.append(id) } else { b.topItems.append(id) }
    }

    static func bool(_ el: XMLElement, _ attr: String) -> Bool? {
        guard let v = el.attribute(attr) else { return nil }
        return v == "true" || v == "1"
    }

    static func rule(_ el: XMLElement, parent: String?) throws -> XCCDFRule {
        let id = try OVALLoader.required(el, "id")
        var checks: [XCCDFCheck] = []
        var complex: XCCDFComplexCheck?
        for c in el.children {
            if c.name == "check" { checks.append(try check(c)) }
            if c.name == "complex-check" { complex = try complexCheck(c, depth: 1, in: "Rule \(id)") }
        }
        let fix = el.child("fixtext")?.text ?? ""
        return XCCDFRule(id: id, title: el.child("title")?.text ?? "",
                         severity: el.attribute("severity") ?? "unknown",
                         weight: Double(el.attribute("weight") ?? "") ?? 1.0,
                         role: el.attribute("role") ?? "full",
                         selected: bool(el, "selected") ?? true,
                         platforms: el.children("platform").compactMap { $0.attribute("idref") },
                         parent: parent, checks: checks,
                         requires: el.children("requires").map { ($0.attribute("idref") ?? "").split(separator: " ").map(String.init) },
                         conflicts: el.children("conflicts").compactMap { $0.attribute("idref") },
                         complexCheck: complex,
                         idents: el.children("ident").map { ($0.attribute("system") ?? "", $0.text) },
                         references: el.children("reference").map { ($0.attribute("href") ?? "", $0.text) },
                         description: el.child("description")?.text ?? "",
                         rationale: el.child("rationale")?.text ?? "",
                         fixText: fix, location: el.location, fix: fix.isEmpty ? script(el) : nil)
    }

    /// The rule's shell fix, else its first fix of any system. Only one is kept: reports
    /// show it when the rule has no `<fixtext>`.
    static func script(_ rule: XMLElement) -> XCCDFFix? {
        let fixes = rule.children("fix")
        guard let el = fixes.first(where: { $0.attribute("system") == "urn:xccdf:fix:script:sh" }) ?? fixes.first else { return nil }
        let parts = el.content.compactMap { c -> XCCDFFix.Part? in
            switch c {
            case .text(let t): return .text(t)
            case .element(let e): return e.name == "sub" ? e.attribute("idref").map { .value($0) } : .text(e.text)
            }
        }
        return XCCDFFix(system: el.attribute("system") ?? "", parts: parts)
    }

    static func check(_ el: XMLElement) throws -> XCCDFCheck {
        var c = XCCDFCheck(system: try OVALLoader.required(el, "system"), selector: el.attribute("selector") ?? "",
                   negate: bool(el, "negate") ?? false, multiCheck: bool(el, "multi-check") ?? false,
                   contentRefs: el.children("check-content-ref").map { ($0.attribute("href") ?? "", $0.attribute("name")) },
                   exports: el.children("check-export").map { ($0.attribute("value-id") ?? "", $0.attribute("export-name") ?? "") },
                   hasInlineContent: el.child("check-content") != nil)
        if c.system == NativeCheckSystem.uri {
            do { c.native = try NativeCheckContent.spec(el) } catch let e as ContentError { c.nativeProblem = e.description }
        }
        return c
    }

    static func complexCheck(_ el: XMLElement, depth: Int, in owner: String) throws -> XCCDFComplexCheck {
        try OVALLoader.checkNesting(el, depth, in: owner)
        var children: [XCCDFComplexCheck] = []
        for c in el.children {
            if c.name == "check" { children.append(.check(try check(c))) }
            if c.name == "complex-check" { children.append(try complexCheck(c, depth: depth + 1, in: owner)) }
        }
        return .complex(operator: el.attribute("operator") ?? "AND", negate: bool(el, "negate") ?? false, children: children)
    }

    static func value(_ el: XMLElement) throws -> XCCDFValue {
        var values: [String: String] = [:]
        for v in el.children("value") {
            values[v.attribute("selector") ?? ""] = v.text
        }
        return XCCDFValue(id: try OVALLoader.required(el, "id"), type: el.attribute("type") ?? "string",
                          operator: el.attribute("operator") ?? "equals", values: values)
    }

    static func profile(_ el: XMLElement, fromTailoring: Bool) throws -> XCCDFProfile {
        var p = XCCDFProfile(id: try OVALLoader.required(el, "id"), title: el.child("title")?.text ?? "",
                             description: el.child("description")?.text ?? "", extends: el.attribute("extends"),
                             selections: [], refineValues: [], setValues: [], refineRules: [], fromTailoring: fromTailoring)
        for c in el.children {
            switch c.name {
            case "select":
                p.selections.append((try OVALLoader.required(c, "idref"), bool(c, "selected") ?? true))
            case "refine-value":
                p.refineValues.append((try OVALLoader.required(c, "idref"), c.attribute("selector") ?? ""))
            case "set-value":
                p.setValues.append((try OVALLoader.required(c, "idref"), c.text))
            case "refine-rule":
                p.refineRules.append((try OVALLoader.required(c, "idref"), c.attribute("severity"),
                                      c.attribute("weight").flatMap(Double.init), c.attribute("role"), c.attribute("selector")))
            default:
                continue
            }
        }
        return p
    }
}

/// Reads CPE dictionaries and CPE applicability-language platforms.
package enum CPELoader {
    package static func dictionary(_ el: XMLElement) -> CPEDictionary {
        var d = CPEDictionary()
        for item in el.children where item.name == "cpe-item" {
            guard let name = item.attribute("name"), let check = item.child("check") else { continue }
            d.checks[name] = (check.attribute("system") ?? "", check.attribute("href") ?? "", check.text.trimmingWhitespace())
        }
        return d
    }

    package static func platform(_ el: XMLElement) throws -> CPEPlatform {
        guard let test = el.child("logical-test") else {
            throw ContentError(el.location, "platform \(el.attribute("id") ?? "") has no logical-test")
        }
        let id = try OVALLoader.required(el, "id")
        return CPEPlatform(id: id, test: try logicalTest(test, depth: 1, in: "platform \(id)"))
    }

    static func logicalTest(_ el: XMLElement, depth: Int, in owner: String) throws -> CPELogicalTest {
        try OVALLoader.checkNesting(el, depth, in: owner)
        var children: [CPELogicalTest] = []
        for c in el.children {
            switch c.name {
            case "logical-test": children.append(try logicalTest(c, depth: depth + 1, in: owner))
            case "fact-ref": children.append(.factRef(try OVALLoader.required(c, "name")))
            case "check-fact-ref":
                children.append(.checkFactRef(system: c.attribute("system") ?? "", href: c.attribute("href") ?? "",
                                              idref: try OVALLoader.required(c, "id-ref")))
            default: continue
            }
        }
        let negate = XCCDFLoader.bool(el, "negate") ?? false
        return .logical(operator: el.attribute("operator") ?? "AND", negate: negate, children: children)
    }
}
