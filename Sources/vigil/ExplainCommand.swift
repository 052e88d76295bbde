import ArgumentParser
import Foundation
import VigilContent
import VigilEngine

/// `vigil explain RULE`: one rule, from its description to its fix.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one rule: description, rationale, references, check and remediation.")

    @Argument(help: "The rule: its full id or short id (accounts_password_minlen).")
    var rule: String

    @Option(help: ArgumentHelp("The content the rule is in.",
                               discussion: "Default: the content `vigil scan` uses on this host."))
    var content: String?

    @Option(help: "Profile whose values fill the fix scripts (id, short name or 'all'). Default: the benchmark's own values.")
    var profile: String?

    @Option(help: "An XCCDF 1.2 tailoring file.")
    var tailoring: String?

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = try ContentLookup.load(content, tailoring: tailoring)
        let id = try ContentLookup.ruleID(rule, in: loaded.content)
        let policy = try ContentLookup.policy(loaded.content, profile: profile ?? (content == nil ? loaded.defaultProfile : nil))
        let e = try RuleExplanation(rule: id, content: loaded.content, policy: policy)
        if format == .json { return try printJSON(e) }
        printLines(Self.text(e))
    }

    /// The explanation as sections of text.
    static func text(_ e: RuleExplanation) -> String {
        var out = "\(e.title)\n\n"
        out += "Rule:       \(e.id)\nShort id:   \(e.shortID)\nSeverity:   \(e.severity)\n"
        out += "Benchmark:  \(e.benchmark)\nContent:    \(e.content)\nValues of:  \(e.profile)\n"
        out += "Selected by: " + (e.selectedBy.isEmpty ? "no profile" : e.selectedBy.map { ItemNames.shortID($0, kind: "profile") }.joined(separator: ", ")) + "\n"
        out += section("Description", e.description) + section("Rationale", e.rationale)
        out += section("References", RuleCatalog.referenceLines(e.references, allOthers: true).joined(separator: "\n"))
        out += section("Check", e.checks.map(checkText).joined(separator: "\n\n"))
        var fixes = e.fixText.isEmpty ? "" : e.fixText + "\n"
        for fix in e.fixes {
            fixes += "\nFix script (\(fix.system)):\n"
            fixes += fix.script.map { indented($0) } ?? "  (cannot be written: \(fix.problem ?? ""))"
            fixes += "\n"
        }
        out += section("Remediation", fixes)
        return out
    }

    static func checkText(_ c: RuleExplanation.Check) -> String {
        var lines = ["System: \(c.system)" + (c.selector.isEmpty ? "" : ", selector \(c.selector)") + (c.negate ? ", negated" : "")]
        if let id = c.definitionID {
            let what = c.definitionTitle == nil ? "Check content" : "OVAL definition"
            lines.append("\(what) \(id) in \(c.href)" + (c.definitionClass.map { " (\($0))" } ?? ""))
            if let title = c.definitionTitle { lines.append("  \(title)") }
            if !c.criteria.isEmpty { lines.append("Criteria:"); lines += c.criteria.map { "  " + $0 } }
        } else if !c.href.isEmpty {
            lines.append("Content: \(c.href)")
        }
        return lines.joined(separator: "\n")
    }

    static func section(_ title: String, _ body: String) -> String {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\n\(title)\n" + (text.isEmpty ? "  (none)" : indented(text)) + "\n"
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
