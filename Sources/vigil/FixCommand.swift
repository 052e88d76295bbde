import ArgumentParser
import Foundation
import VigilEngine

/// `vigil fix SCAN|CONTENT --format bash|ansible`: the remediation scripts the content
/// carries, for the rules that failed in a stored scan or every rule a profile selects.
struct Fix: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the content's remediation (bash or Ansible) for a scan's failed rules or a profile's rules.",
        discussion: """
        SCAN (a scan number, 'last', or the start of its UUID) gives the fixes of the rules that \
        failed in that scan, with the values of the profile it used; its content must be unchanged. \
        CONTENT (a path that exists) gives the fixes of every rule the profile selects, as \
        `oscap xccdf generate fix --profile P CONTENT` does. Rules without a fix of that kind are \
        marked missing in the script.
        """)

    @Argument(help: "A stored scan (number, 'last', UUID prefix) or content (a data stream, benchmark or rule folder).")
    var source: String = "last"

    @Option(help: "Script kind: bash or ansible.")
    var format: FixFormatArgument

    @Option(help: "With CONTENT: profile id or short name ('all': every rule). Default: the benchmark's own selection.")
    var profile: String?

    @Option(help: "An XCCDF 1.2 tailoring file (with a scan: the one it used).")
    var tailoring: String?

    @Option(help: "The output file ('-': standard output).")
    var out: String = "-"

    @OptionGroup var store: StoreOptions

    func run() throws {
        let plan: RemediationPlan
        if FileManager.default.fileExists(atPath: source) {
            let loaded = try ContentLookup.load(source, tailoring: tailoring)
            plan = try RemediationPlan.profile(loaded.content, profile: profile)
        } else {
            if profile != nil { throw CommandError("--profile goes with CONTENT; a scan's fixes use the profile it was made with") }
            plan = try RemediationPlan.scan(source, in: try store.open(), tailoring: tailoring)
        }
        let script = try plan.script(format.value, generator: Vigil.configuration.version)
        for problem in script.problems { warn("fix not written for \(problem)") }
        let text = Data(script.text.utf8)
        if out == "-" {
            FileHandle.standardOutput.write(text)
        } else {
            do { try text.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw CommandError("cannot write \(out): \(error.localizedDescription)")
            }
        }
        let written = script.rulesWithScript.count
        let note = "vigil: \(written) of \(script.entries.count) rules have a \(format.value.rawValue) fix"
            + (out == "-" ? "" : "; written to \(out)")
        FileHandle.standardError.write(Data((TerminalText.visible(note) + "\n").utf8))
    }
}

/// `--format` of `vigil fix`.
struct FixFormatArgument: ExpressibleByArgument {
    let value: FixFormat
    init?(argument: String) {
        guard let f = FixFormat(rawValue: argument) else { return nil }
        value = f
    }
    static var allValueStrings: [String] { FixFormat.allCases.map(\.rawValue) }
}
