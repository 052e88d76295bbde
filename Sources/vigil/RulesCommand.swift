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
        var out = ""
        for e in entries {
            out += "\(e.shortID) (\(e.severity)): \(e.title)\n  \(e.id)\n"
            for line in RuleCatalog.referenceLines(e.references) { out += "  \(line)\n" }
        }
        let label = ContentLookup.profileLabel(policy, in: loaded.content.benchmark)
        out += "\(entries.count) rule\(entries.count == 1 ? "" : "s") selected by \(label)"
            + (search.map { " matching '\($0)'" } ?? "") + "\n"
        printLines(out)
    }
}

/// Prints multi-line text from the content line by line, each line as `TerminalText`
/// shows it (tabs become four spaces first, so scripts keep their indentation).
func printLines(_ text: String) {
    var out = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        out += TerminalText.visible(line.replacingOccurrences(of: "\t", with: "    ")) + "\n"
    }
    if text.hasSuffix("\n") { out.removeLast() }
    FileHandle.standardOutput.write(Data(out.utf8))
}
