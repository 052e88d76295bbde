import ArgumentParser
import Foundation
import VigilCore

/// The `vigil` command: a thin front end over VigilEngine.
@main
struct Vigil: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Compliance scanner for SCAP content (XCCDF 1.2, OVAL 5.11, SCAP 1.3 data streams).",
        discussion: """
        Exit codes: 0 every evaluated rule passed; 1 the scan could not run (bad arguments, \
        unreadable or invalid content, a database that cannot be used, a report that cannot \
        be written, a malformed waiver file); 2 some rule is fail, error or unknown (with \
        --fail-on, at or above that severity; waived failures never count); 3 \
        `drift --fail-on-regression` found a rule that newly fails.
        """,
        version: VigilVersion.current,
        subcommands: [Scan.self, Build.self, Info.self, History.self, Show.self, Drift.self, Prune.self, Report.self]
    )

    /// Runs the command. A usage error (unknown option, missing or invalid argument)
    /// exits 1, the documented code for "the command could not run", not the argument
    /// parser's 64; `--help` and `--version` still exit 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(1)
            }
            exit(withError: error)
        }
    }
}

/// Prints a one-line warning; the command goes on.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("vigil: warning: \(TerminalText.visible(message))\n".utf8))
}

/// Prints a one-line error (see `printError(_:)`) and exits with code 1 (the command could not run).
func fail(_ message: String) -> Never {
    printError(message)
    Foundation.exit(1)
}

/// Prints a one-line error; values in it (paths, ids) are shown as `TerminalText` does.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("vigil: error: \(TerminalText.visible(message))\n".utf8))
}
