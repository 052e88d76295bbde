import Foundation
import VigilContent
import VigilCrypto
import VigilOVAL
import VigilStore

/// Everything `vigil explain` says about one rule: what it asks, why, where it comes
/// from, how it is checked (down to the OVAL definition's criteria) and how to fix it
/// (the fix text and every fix script, with the profile's values filled in).
public struct RuleExplanation: Sendable, Codable {
    /// One `<check>` of the rule, with the OVAL definition it names when the content has it.
    public struct Check: Sendable, Codable {
        public var system: String
        public var selector: String
        public var negate: Bool
        public var href: String
        public var definitionID: String?
        public var definitionTitle: String?
        public var definitionClass: String?
        /// The definition's criteria, one line per node, indented by depth.
        public var criteria: [String]
        /// A Vigil-native check: its kind, then one `name: values` line per parameter
        /// (the problem, when it cannot be read).
        public var native: [String]? = nil
    }

    /// One `<fix>` of the rule.
    public struct Fix: Sendable, Codable {
        public var system: String
        /// The script, values filled in; nil when it cannot be resolved (`problem` says why).
        public var script: String?
        public var problem: String?
    }

    public var id: String
    public var shortID: String
    public var title: String
    public var severity: String
    public var benchmark: String
    public var content: String
    /// The profile whose values and severity are shown.
    public var profile: String
    /// The benchmark's profiles that select the rule (ids).
    public var selectedBy: [String]
    public var description: String
    public var rationale: String
    public var references: [RuleReference]
    public var checks: [Check]
    public var fixText: String
    public var fixes: [Fix]

    /// Criteria lines shown at most; deeper or longer criteria end in "...".
    public static let maxCriteriaLines = 40
    /// Criteria nesting shown at most.
    public static let maxCriteriaDepth = 8

    /// Explains rule `id` of `content` under `policy`.
    public init(rule id: String, content: SCAPContent, policy: Policy) throws {
        let b = content.benchmark
        guard let rule = b.rules[id] else { throw EngineError("no rule \(id) in \(content.path)") }
        self.id = id
        shortID = ItemNames.shortID(id)
        title = rule.title
        severity = RuleCatalog.severity(rule, policy)
        benchmark = "\(b.id), version \(b.version)"
        self.content = content.path
        profile = ContentLookup.profileLabel(policy, in: b)
        selectedBy = b.profiles.filter { p in
            (try? Policy(benchmark: b, profile: p).selected.contains(id)) ?? false
        }.map(\.id)
        let text: RuleText?
        do { text = try content.ruleText(id, values: policy.values) } catch { throw EngineError("cannot read the texts of rule \(id) of \(content.path): \(error)") }
        description = Self.prose(text?.description ?? rule.description)
        rationale = Self.prose(text?.rationale ?? rule.rationale)
        references = RuleReferences.of(rule)
        checks = Self.leafChecks(rule).map { Self.summary($0, content: content) }
        fixText = Self.prose(text?.fixText ?? rule.fixText)
        fixes = (text?.fixes ?? []).map { fix in
            let (script, problem) = fix.text(values: policy.values)
            return Fix(system: fix.system, script: script.map(FixScript.trimmed), problem: problem)
        }
    }

    /// The rule's checks, those inside a complex-check included, in document order.
    static func leafChecks(_ rule: XCCDFRule) -> [XCCDFCheck] {
        guard let complex = rule.complexCheck else { return rule.checks }
        var out: [XCCDFCheck] = []
        var pending = [complex]
        while let node = pending.popLast() {
            switch node {
            case .check(let c): out.append(c)
            case .complex(_, _, let children): pending.append(contentsOf: children.reversed())
            }
        }
        return out
    }

    static func summary(_ check: XCCDFCheck, content: SCAPContent) -> Check {
        let ref = check.contentRefs.first
        var summary = Check(system: check.system, selector: check.selector, negate: check.negate, href: ref?.href ?? "",
                            definitionID: ref?.name, criteria: [])
        if check.system == NativeCheckSystem.uri {
            summary.native = check.native.map { spec in
                ["kind \(spec.kind)"] + spec.parameters.map { "\($0.name): \($0.values.joined(separator: ", "))" }
            } ?? ["unreadable: \(check.nativeProblem ?? "no check content")"]
        }
        guard let ref, let name = ref.name, let doc = content.checkDocuments[ref.href],
              let definition = doc.definitions[name] else { return summary }
        summary.definitionTitle = definition.title
        summary.definitionClass = definition.class
        if let criteria = definition.criteria {
            var lines: [String] = []
            criteriaLines(.criteria(criteria), doc: doc, depth: 0, into: &lines)
            summary.criteria = lines
        }
        return summary
    }

    /// One line per criteria node: the operator of a criteria, the test (type and comment)
    /// of a criterion, the title of an extended definition. Past `maxCriteriaLines` lines
    /// or `maxCriteriaDepth` levels, the rest is one "..." line.
    static func criteriaLines(_ node: CriteriaNode, doc: OVALDocument, depth: Int, into lines: inout [String]) {
        let more = "..."
        guard lines.last != more else { return }
        guard lines.count < maxCriteriaLines, depth < maxCriteriaDepth else { lines.append(more); return }
        let indent = String(repeating: "  ", count: depth)
        switch node {
        case .criteria(let c):
            lines.append(indent + (c.negate ? "NOT " : "") + c.operator.rawValue)
            for child in c.children { criteriaLines(child, doc: doc, depth: depth + 1, into: &lines) }
        case .criterion(let ref, let negate, _):
            let test = doc.tests[ref]
            let comment = test.map { $0.comment.isEmpty ? "" : ": \($0.comment)" } ?? ""
            lines.append(indent + (negate ? "NOT " : "") + "test \(ref)" + (test.map { " (\($0.type))" } ?? "") + comment)
        case .extendDefinition(let ref, let negate, _):
            let title = doc.definitions[ref].map { ": \($0.title)" } ?? ""
            lines.append(indent + (negate ? "NOT " : "") + "definition \(ref)" + title)
        }
    }

    /// XCCDF prose as plain text: the lines of its paragraphs without their indentation.
    static func prose(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return FixScript.trimmed(lines.joined(separator: "\n"))
    }
}
