import ArgumentParser
import CVigilSystem
import Foundation
import VigilCore
import VigilEngine

/// The `vigil` command: a thin front end over VigilEngine.
@main
struct Vigil: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Compliance scanner for SCAP content (XCCDF 1.2, OVAL 5.11, SCAP 1.3 data streams).",
        discussion: ExitCodes.table,
        version: VigilVersion.current,
        subcommands: [Scan.self, Watch.self, Build.self, Info.self, History.self, Show.self, Drift.self, Prune.self, Report.self, Rules.self, Explain.self, Fix.self,
                      Fleet.self, Sync.self, Db.self]
    )

    /// Runs the command and exits with its status (see `status(for:)`).
    static func main() {
        limitMallocArenas()
        Foundation.exit(run(Array(CommandLine.arguments.dropFirst())))
    }

    /// At most two malloc arenas (glibc makes up to eight per core): the file walk's
    /// threads then reuse the memory the content's XML tree freed instead of each growing
    /// an arena of its own, which cut a whole-file-system scan's peak memory by a fifth
    /// at no measurable cost in time (benchmarks/README.md). `MALLOC_ARENA_MAX` overrides.
    static func limitMallocArenas() {
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        _ = vigil_limit_malloc_arenas(2)
    }

    /// Runs one command line in this process and returns its exit status: what `main`
    /// does, without exiting, so that tests can run commands in-process.
    static func run(_ arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            return status(for: error)
        }
    }

    /// The one place errors become messages and exit codes. `ExitCode` is a command's
    /// own answer and prints nothing; `--help` and `--version` print to standard output
    /// and exit 0; a usage error (unknown option, missing or invalid argument) prints the
    /// parser's message and exits 1, the documented code for "the command could not run",
    /// not the parser's 64; any other error is one line on standard error and exit 1.
    static func status(for error: any Error) -> Int32 {
        if let code = error as? ExitCode { return code.rawValue }
        let code = exitCode(for: error)
        if code == .success {
            FileHandle.standardOutput.write(Data((fullMessage(for: error) + "\n").utf8))
            return 0
        }
        if code == .validationFailure {
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            return 1
        }
        if let error = error as? ScanSessionError {
            error.messages.forEach(printError)
            return 1
        }
        printError("\(error)")
        return 1
    }
}

/// The exit codes of every command, as `vigil --help`, `vigil scan --help` and README.md
/// list them; no command exits with any other.
enum ExitCodes {
    static let table = """
    Exit codes:
      0  success; for scan: the gate passed (some rule was evaluated, none fails it).
      1  the command could not run: a usage error, a bad argument, unreadable or \
    invalid content, an unusable database (nothing is stored); or, after a scan, the \
    scan could not be stored or a report could not be written.
      2  scan: the gate failed: a rule is fail, error or unknown and not waived (with \
    --fail-on: at or above that severity).
      3  drift --fail-on-regression: a rule newly fails.
      4  scan: nothing was evaluated: no rule is selected (no --profile for content \
    that selects none by default), or every selected rule is notapplicable or \
    notchecked (content for another system); --allow-empty makes this 0.
      5  watch: stopped by a second signal or past --stop-timeout; the scan in \
    progress was discarded whole (nothing of it stored).
    """
}

/// An error of a command: one line for the user; the command exits 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Prints a one-line warning; the command goes on.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("vigil: warning: \(TerminalText.visible(message))\n".utf8))
}

/// Prints a one-line error; values in it (paths, ids) are shown as `TerminalText` does.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("vigil: error: \(TerminalText.visible(message))\n".utf8))
}
