import ArgumentParser
import Foundation
import VigilEngine

/// `vigil rules CONTENT`: the rules a profile selects, with ids, severity, title and references.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the rules a profile selects: id, short id, severity, title and references (CCE, STIG, NIST, ...).")

    @Argument(help: "A SCAP source data stream, an XCCDF 1.2 benchmark, or a folder of Vigil YAML rules.")
    var content: String

    @Option(help: "Profile id or short name; 'all' lists every rule. Default: the benchmark's own selection.")
    var profile: String?

    @Option(help: "An XCCDF 1.2 tailoring file.")
    var tailoring: String?

    @Option(help: "Only rules whose id, title or a reference id holds this text (case-insensitive).")
    var search: String?

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = try ContentLookup.load(content, tailoring: tailoring)
        let policy = try ContentLookup.policy(loaded.content, profile: profile)
        let entries = RuleCatalog.entries(loaded.content.benchmark, policy: policy, search: search)
        if format == .json { return try printJSON(entries) }
        // Ids, titles and references come from the content: shown as TerminalText does.
        let v = TerminalText.visible
        var out = ""
        for e in entries {
            out += "\(v(e.shortID)) (\(v(e.severity))): \(v(e.title))\n  \(v(e.id))\n"
            for line in RuleCatalog.referenceLines(e.references) { out += "  \(v(line))\n" }
        }
        let label = ContentLookup.profileLabel(policy, in: loaded.content.benchmark)
        out += v("\(entries.count) rule\(entries.count == 1 ? "" : "s") selected by \(label)"
            + (search.map { " matching '\($0)'" } ?? "")) + "\n"
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// Multi-line text from the content (prose, scripts) made safe for a terminal line by
/// line, as `TerminalText` shows each (tabs become four spaces first, so scripts keep
/// their indentation); the line breaks stay.
func visibleLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { TerminalText.visible($0.replacingOccurrences(of: "\t", with: "    ")) }
        .joined(separator: "\n")
}
