import VigilXML

/// One `<fix>` of a rule, every system kept (shell, Ansible, Puppet, ...), its text split
/// around the places a value goes, as `oscap xccdf generate fix` reads it.
public struct RemediationFix: Sendable {
    /// A run of the script: text, a Value's chosen value, or something that cannot be
    /// resolved (the fix is then not written, as oscap skips it).
    public enum Part: Sendable, Equatable {
        case text(String)
        /// `<sub idref=>` naming an XCCDF Value: its value under the profile.
        case value(String)
        /// An element or reference that has no text: why, for the user.
        case unresolved(String)
    }
    /// The fix system, e.g. `urn:xccdf:fix:script:sh`.
    public var system: String
    /// `@platform`, empty when none.
    public var platform: String
    /// `@reboot`: whether applying it needs a reboot.
    public var reboot: Bool
    /// `@disruption`: low, medium, high or unknown.
    public var disruption: String
    public var parts: [Part]
    /// Where it was written, "file:line".
    public var location: String

    /// The script with each value filled in from `values`; nil, with the reason, when a
    /// part cannot be resolved (a `<sub>` naming nothing, an element oscap refuses too).
    public func text(values: [String: String]) -> (script: String?, problem: String?) {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .value(let id):
                guard let v = values[id] else { return (nil, "\(location): <sub idref=\"\(id)\"> names no value") }
                out += v
            case .unresolved(let why): return (nil, "\(location): \(why)")
            }
        }
        return (out, nil)
    }
}

extension SCAPContent {
    /// Every rule's `<fix>` elements in document order, by rule id, read from the
    /// benchmark's tree that a load with `ruleTexts` keeps (the model keeps one fix per
    /// rule, for reports). `<sub>` naming a Value with `use="title"` becomes the Value's
    /// title; one naming a `<plain-text>` becomes its text. Comments are dropped and CDATA
    /// kept, as oscap decodes fixes.
    public func remediationFixes() throws -> [String: [RemediationFix]] {
        let index = try ruleElements()
        var fixes: [String: [RemediationFix]] = [:]
        for (id, rule) in index.rules {
            fixes[id] = rule.children("fix").map { fix($0, plainTexts: index.plainTexts, valueTitles: index.valueTitles) }
        }
        return fixes
    }

    /// Rule `id`'s description, rationale and fix text as plain text, and its fixes, read
    /// from the benchmark's tree that a load with `ruleTexts` keeps. In the prose each
    /// `<sub>` is replaced as in fixes (a Value's entry in `values`; an unknown one stays
    /// "(idref)") and XHTML markup is reduced to its text (`<br/>` a line break). Nil when
    /// the content has no such rule.
    public func ruleText(_ id: String, values: [String: String]) throws -> RuleText? {
        let index = try ruleElements()
        guard let rule = index.rules[id] else { return nil }
        func prose(_ name: String) -> String {
            guard let el = rule.child(name) else { return "" }
            var out = ""
            index.appendProse(el, values: values, depth: 0, to: &out)
            return out
        }
        return RuleText(description: prose("description"), rationale: prose("rationale"), fixText: prose("fixtext"),
                        fixes: rule.children("fix").map { fix($0, plainTexts: index.plainTexts, valueTitles: index.valueTitles) })
    }

    /// The rules of the benchmark's kept tree; throws when the load did not keep it.
    private func ruleElements() throws -> RuleElements {
        guard let benchmarkTree else {
            throw ContentError(path, "the rules' texts were not kept when the content was loaded (load it with ruleTexts)")
        }
        return try RuleElements(benchmarkTree)
    }

    private func fix(_ el: XMLElement, plainTexts: [String: String], valueTitles: [String: String]) -> RemediationFix {
        let parts = el.content.map { c -> RemediationFix.Part in
            switch c {
            case .text(let t): return .text(t)
            case .element(let e):
                guard e.name == "sub", e.namespace == XCCDFLoader.namespace else {
                    return .unresolved("the fix holds a <\(e.name)> element, which is not text")
                }
                guard let idref = e.attribute("idref"), !idref.isEmpty else { return .unresolved("<sub> without idref") }
                if let title = valueTitles[idref] { return e.attribute("use") == "title" ? .text(title) : .value(idref) }
                if let text = plainTexts[idref] { return .text(text) }
                return .unresolved("<sub idref=\"\(idref)\"> names no Value or plain-text")
            }
        }
        return RemediationFix(system: el.attribute("system") ?? "", platform: el.attribute("platform") ?? "",
                              reboot: XCCDFLoader.bool(el, "reboot") ?? false,
                              disruption: el.attribute("disruption") ?? "unknown", parts: parts, location: el.location)
    }
}

/// A rule's prose with values filled in, and its fixes (`SCAPContent.ruleText`).
public struct RuleText: Sendable {
    public var description: String
    public var rationale: String
    public var fixText: String
    public var fixes: [RemediationFix]
}

/// A benchmark element's rules by id, with what `<sub>` may name: plain-texts and the
/// titles of Values.
struct RuleElements {
    var rules: [String: XMLElement] = [:]
    var plainTexts: [String: String] = [:]
    var valueTitles: [String: String] = [:]

    /// Deepest XHTML nesting read in prose; below it an element counts as its text.
    static let maxProseDepth = 32

    init(_ root: XMLElement) throws {
        for p in root.children("plain-text") { if let id = p.attribute("id") { plainTexts[id] = p.text } }
        // Depth-first without recursion: Group nesting was bounded when the content loaded.
        var pending = [root]
        while let el = pending.popLast() {
            for c in el.children {
                switch c.name {
                case "Group": pending.append(c)
                case "Rule": if let id = c.attribute("id") { rules[id] = c }
                case "Value": if let id = c.attribute("id") { valueTitles[id] = c.child("title")?.text ?? "" }
                default: continue
                }
            }
        }
    }

    /// The text of `el`, `<sub>` replaced by values, titles or plain-texts (an unknown one
    /// stays as "(idref)"), `<br/>` a line break, other markup its text.
    func appendProse(_ el: XMLElement, values: [String: String], depth: Int, to out: inout String) {
        guard depth < Self.maxProseDepth else { out += el.text; return }
        for c in el.content {
            switch c {
            case .text(let t): out += t
            case .element(let e) where e.name == "sub":
                let idref = e.attribute("idref") ?? ""
                if valueTitles[idref] != nil {
                    out += e.attribute("use") == "title" ? valueTitles[idref] ?? "" : values[idref] ?? "(\(idref))"
                } else {
                    out += plainTexts[idref] ?? "(\(idref))"
                }
            case .element(let e) where e.name == "br": out += "\n"
            case .element(let e): appendProse(e, values: values, depth: depth + 1, to: &out)
            }
        }
    }
}
