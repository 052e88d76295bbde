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
    /// Every rule's `<fix>` elements in document order, by rule id, read again from the
    /// content file (the loaded model keeps one fix per rule, for reports). `<sub>` naming
    /// a Value with `use="title"` becomes the Value's title; one naming a `<plain-text>`
    /// becomes its text. Comments are dropped and CDATA kept, as oscap decodes fixes.
    public func remediationFixes() throws -> [String: [RemediationFix]] {
        let root = try benchmarkElement()
        var plainTexts: [String: String] = [:]
        for p in root.children("plain-text") { if let id = p.attribute("id") { plainTexts[id] = p.text } }
        var valueTitles: [String: String] = [:]
        var rules: [XMLElement] = []
        // Depth-first without recursion: Group nesting was bounded when the content loaded.
        var pending = [root]
        while let el = pending.popLast() {
            for c in el.children {
                switch c.name {
                case "Group": pending.append(c)
                case "Rule": rules.append(c)
                case "Value": if let id = c.attribute("id") { valueTitles[id] = c.child("title")?.text ?? "" }
                default: continue
                }
            }
        }
        var fixes: [String: [RemediationFix]] = [:]
        for rule in rules {
            guard let id = rule.attribute("id") else { continue }
            fixes[id] = rule.children("fix").map { fix($0, plainTexts: plainTexts, valueTitles: valueTitles) }
        }
        return fixes
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
