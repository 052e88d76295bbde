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

    @Argument(help: ArgumentHelp(
        "A SCAP source data stream, an XCCDF 1.2 benchmark, or a folder of Vigil YAML rules.",
        discussion: "Without it: the SCAP Security Guide data stream for the scanned system's OS when one is installed "
            + "(with its 'standard' profile), else Vigil's rules/linux-baseline; on a Kubernetes node (kubeadm, k3s, rke2) "
            + "also Vigil's rules/kubernetes, stored and reported apart (report files named with .kubernetes)."))
    var content: String?

    @Flag(help: "Without CONTENT on a Kubernetes node: do not also scan Vigil's rules/kubernetes.")
    var noKubernetes = false

    @Option(help: "Profile id or short name; 'all' evaluates every rule. Default: the benchmark's own selection.")
    var profile: String?

    @Option(name: .customLong("rule"), help: "Evaluate only this rule (full or short id), whatever the profile selects (repeatable).")
    var rules: [String] = []

    @Option(name: .customLong("skip-rule"), help: "Leave this rule (full or short id) out: it is notselected (repeatable).")
    var skipRules: [String] = []

    @Option(help: "An XCCDF 1.2 tailoring file.")
    var tailoring: String?

    @Option(help: "Scan the file system under DIR (a mounted image) instead of the live host.")
    var root: String?

    @Option(help: ArgumentHelp(
        "Scan a container or OS image, read from its layers (no root, no daemon, nothing unpacked).",
        discussion: "REF is oci:DIR[:TAG] (an OCI image layout), oci-archive:FILE[:TAG], docker-archive:FILE[:NAME[:TAG]] "
            + "(what docker save and podman save write) or rootfs:FILE.tar[.gz|.zst] (a root file-system tarball). "
            + "Scans of one image name form one series for history and drift.",
        valueName: "ref"))
    var image: String?

    @Option(help: ArgumentHelp("With --image: the platform to pick from a multi-platform image (default: this machine's).",
                               valueName: "os/arch[/variant]"))
    var platform: String?

    @Option(help: ArgumentHelp("With --image: the name its scans are kept under (default: the image's own repository name).",
                               valueName: "name"))
    var imageName: String?

    @Option(help: "Write XCCDF 1.2 results (the benchmark with a TestResult) to this file.")
    var results: String?

    @Option(help: "Rules evaluated at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress and no summary.")
    var quiet = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var journal: JournalOptions

    @Flag(help: "Do not store the scan.")
    var noStore = false

    @Option(name: .customLong("report"), help: ArgumentHelp(
        "Write a report (repeatable): FORMAT is one of \(ReportFormat.available.map(\.rawValue).joined(separator: ", ")); PATH '-' is standard output.",
        valueName: "format:path"))
    var reports: [String] = []

    @Option(help: "A YAML file of waived failures (rule, reason, owner, expires).")
    var waivers: String?

    @Option(help: ArgumentHelp("Only failures at or above this severity (info, low, medium, high) give exit code 2.", valueName: "severity"))
    var failOn: String?

    @Flag(help: "The JSON report lists the rules the profile does not select (left out by default).")
    var includeNotselected = false

    @Flag(help: "A scan that evaluates no rule (none selected, or every one notapplicable or notchecked) exits 0, not 4.")
    var allowEmpty = false

    @Option(help: "Terminal output: text (a summary) or json (the JSON report on standard output).")
    var format: OutputFormat = .text

    /// The session these options describe.
    var session: ScanSession {
        var options = ScanOptions(vigilVersion: Vigil.configuration.version)
        options.content = content
        options.profile = profile
        options.rules = rules
        options.skipRules = skipRules
        options.tailoring = tailoring
        options.kubernetes = !noKubernetes
        options.root = root
        options.image = image
        options.platform = platform
        options.imageName = imageName
        options.jobs = jobs
        options.waivers = waivers
        options.failOn = failOn
        options.allowEmpty = allowEmpty
        (options.store, options.forwardTo) = noStore ? (nil, nil) : store.scanTarget(journal: journal.journal)
        // --format json is the JSON report on standard output, written first.
        options.reports = (format == .json ? ["json:-"] : []) + reports
        options.results = results
        options.includeNotselected = includeNotselected
        return ScanSession(options)
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
            if allowEmpty {
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
