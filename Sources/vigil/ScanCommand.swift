import ArgumentParser
import Foundation
import VigilEngine
import VigilReports

/// `vigil scan`: evaluate content against this machine or an offline root.
struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate SCAP content against this machine, a root file system or an image.",
        discussion: """
        Every argument is checked before any rule runs (report formats and the folders \
        their files go to, --fail-on, the waiver file, the content and tailoring, profile, \
        rules, --jobs, the database): a mistake exits 1 at once and nothing is stored.

        \(ExitCodes.table)
        """)

    @OptionGroup var selection: ScanSelectionOptions

    @Flag(help: "No progress and no summary.")
    var quiet = false

    @Option(help: "Terminal output: text (a summary) or json (the JSON report on standard output).")
    var format: OutputFormat = .text

    /// The session these options describe.
    var session: ScanSession {
        // --format json is the JSON report on standard output, written first.
        ScanSession(selection.scanOptions(firstReports: format == .json ? ["json:-"] : []))
    }

    func run() throws {
        let session = self.session
        // Standard output carries at most one report, and then only that report: the
        // summary and other notes go to standard error.
        let toStderr = session.writesToStandardOutput
        let notes = toStderr ? FileHandle.standardError : FileHandle.standardOutput
        let colour = Summary.colour(on: toStderr ? STDERR_FILENO : STDOUT_FILENO)
        let chatty = !quiet && format == .text
        let progress = (!quiet && isatty(STDERR_FILENO) == 1) ? ProgressLine() : nil
        let summaries = SummaryCount()
        let outcome = try session.run { event in
            switch event {
            case .defaultContent(let chosen, let profile):
                guard !quiet else { return }
                let line = "vigil: scanning with \(chosen.reason): \(chosen.path)\(profile.map { ", profile \($0)" } ?? "")"
                FileHandle.standardError.write(Data((TerminalText.visible(line) + "\n").utf8))
            case .progress(let done, let total, let rule):
                progress?.update(done, total, rule)
            case .scanned(let result, let benchmark, let report, let gate):
                progress?.finish()
                guard chatty else { return }
                // A blank line between the summaries of a run's scans (the Kubernetes one after the OS's).
                let gap = summaries.next() > 0 ? "\n" : ""
                notes.write(Data((gap + Summary.text(result, benchmark: benchmark, report: report, gate: gate, colour: colour) + "\n").utf8))
            case .stored(let id, let path):
                if chatty { notes.write(Data("Stored as scan \(id) in \(TerminalText.visible(path))\n".utf8)) }
            case .warning(let message):
                warn(message)
            case .note(let message):
                if !quiet { FileHandle.standardError.write(Data(("vigil: " + TerminalText.visible(message) + "\n").utf8)) }
            }
        }
        for problem in outcome.all.flatMap(\.problems) { printError(problem) }
        for empty in outcome.all.compactMap(\.nothingEvaluated) {
            if selection.allowEmpty {
                warn(empty + " (--allow-empty: the gate passes)")
            } else {
                printError(empty + (outcome.exitCode == 4 ? "; exit code 4 (--allow-empty accepts a scan that evaluates nothing)" : ""))
            }
        }
        throw ExitCode(outcome.exitCode)
    }
}

/// How many summaries a run has printed (events come on the calling thread; the lock keeps
/// the closure `Sendable`).
final class SummaryCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// The count before this call.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count - 1
    }
}
