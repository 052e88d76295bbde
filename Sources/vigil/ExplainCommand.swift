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
        FileHandle.standardOutput.write(Data(Self.text(e).utf8))
    }

    /// The explanation as sections of text. Everything from the content is shown as
    /// `TerminalText` shows it: one-line fields whole, prose and scripts line by line.
    static func text(_ e: RuleExplanation) -> String {
        let v = TerminalText.visible
        var out = "\(v(e.title))\n\n"
        out += "Rule:       \(v(e.id))\nShort id:   \(v(e.shortID))\nSeverity:   \(v(e.severity))\n"
        out += "Benchmark:  \(v(e.benchmark))\nContent:    \(v(e.content))\nValues of:  \(v(e.profile))\n"
        let profiles = e.selectedBy.map { v(ItemNames.shortID($0, kind: "profile")) }
        out += "Selected by: " + (profiles.isEmpty ? "no profile" : profiles.joined(separator: ", ")) + "\n"
        out += section("Description", visibleLines(e.description)) + section("Rationale", visibleLines(e.rationale))
        out += section("References", RuleCatalog.referenceLines(e.references, allOthers: true).map(v).joined(separator: "\n"))
        out += section("Check", e.checks.map(checkText).joined(separator: "\n\n"))
        var fixes = e.fixText.isEmpty ? "" : visibleLines(e.fixText) + "\n"
        for fix in e.fixes {
            fixes += "\nFix script (\(v(fix.system))):\n"
            fixes += fix.script.map { indented(visibleLines($0)) } ?? "  (cannot be written: \(v(fix.problem ?? "")))"
            fixes += "\n"
        }
        out += section("Remediation", fixes)
        return out
    }

    static func checkText(_ c: RuleExplanation.Check) -> String {
        let lines = checkLines(c).map(TerminalText.visible)
        return lines.joined(separator: "\n")
    }

    static func checkLines(_ c: RuleExplanation.Check) -> [String] {
        var lines = ["System: \(c.system)" + (c.selector.isEmpty ? "" : ", selector \(c.selector)") + (c.negate ? ", negated" : "")]
        if let id = c.definitionID {
            let what = c.definitionTitle == nil ? "Check content" : "OVAL definition"
            lines.append("\(what) \(id) in \(c.href)" + (c.definitionClass.map { " (\($0))" } ?? ""))
            if let title = c.definitionTitle { lines.append("  \(title)") }
            if !c.criteria.isEmpty { lines.append("Criteria:"); lines += c.criteria.map { "  " + $0 } }
        } else if let native = c.native {
            lines.append("Vigil-native check (other SCAP tools evaluate the OVAL check after it, if any):")
            lines += native.map { "  " + $0 }
        } else if !c.href.isEmpty {
            lines.append("Content: \(c.href)")
        }
        return lines
    }

    static func section(_ title: String, _ body: String) -> String {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\n\(title)\n" + (text.isEmpty ? "  (none)" : indented(text)) + "\n"
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
