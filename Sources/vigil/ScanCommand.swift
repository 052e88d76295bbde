import ArgumentParser
import Foundation
import VigilContent
import VigilEngine
import VigilProbes
import VigilReports
import VigilStore

/// `vigil scan`: evaluate content against this machine or an offline root.
struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Evaluate SCAP content against this machine or a root file system.")

    @Argument(help: ArgumentHelp(
        "A SCAP source data stream, an XCCDF 1.2 benchmark, or a folder of Vigil YAML rules.",
        discussion: "Without it: the SCAP Security Guide data stream for the scanned system's OS when one is installed "
            + "(with its 'standard' profile), else Vigil's rules/linux-baseline."))
    var content: String?

    @Option(help: "Profile id or short name; 'all' evaluates every rule. Default: the benchmark's own selection.")
    var profile: String?

    @Option(name: .customLong("rule"), help: "Evaluate only this rule, whatever the profile selects (repeatable).")
    var rules: [String] = []

    @Option(help: "An XCCDF 1.2 tailoring file.")
    var tailoring: String?

    @Option(help: "Scan the file system under DIR (a mounted image) instead of the live host.")
    var root: String?

    @Option(help: "Write XCCDF 1.2 results (the benchmark with a TestResult) to this file.")
    var results: String?

    @Option(help: "Rules evaluated at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "No progress and no summary.")
    var quiet = false

    @OptionGroup var store: StoreOptions

    @Flag(help: "Do not store the scan.")
    var noStore = false

    @Option(name: .customLong("report"), help: ArgumentHelp(
        "Write a report (repeatable): FORMAT is one of \(ReportFormat.available.map(\.rawValue).joined(separator: ", ")); PATH '-' is standard output.",
        valueName: "format:path"))
    var reports: [String] = []

    @Option(help: "A YAML file of waived failures (rule, reason, owner, expires).")
    var waivers: String?

    @Option(help: ArgumentHelp("Only failures at or above this severity (low, medium, high) give exit code 2.", valueName: "severity"))
    var failOn: String?

    @Option(help: "Terminal output: text (a summary) or json (the JSON report on standard output).")
    var format: OutputFormat = .text

    func run() throws {
        let target: Target
        if let root {
            do { target = try Target(root: root) } catch { fail("--root \(error)") }
        } else {
            target = .host
        }
        var content = self.content ?? ""
        var profile = self.profile
        if self.content == nil {
            guard let chosen = DefaultContent.choose(target: target, baseline: DefaultContent.baselineFolder()) else {
                fail("no content given, and neither the SCAP Security Guide for this OS nor Vigil's rules/linux-baseline was found; "
                     + "name the content to scan (or set VIGIL_BASELINE)")
            }
            content = chosen.path
            if profile == nil { profile = chosen.profile }
            if !quiet {
                FileHandle.standardError.write(Data(TerminalText.visible("vigil: scanning with \(chosen.reason): \(chosen.path)\(profile.map { ", profile \($0)" } ?? "")").utf8) + Data("\n".utf8))
            }
        }
        let loaded: SCAPContent
        do { loaded = try SCAPContent.load(path: content, tailoring: tailoring) } catch { fail("\(error)") }
        let b = loaded.benchmark
        var profileObj: XCCDFProfile?
        var selectAll = false
        if let name = profile {
            if name == "all" || name == Policy.all {
                selectAll = true
            } else {
                switch b.profile(named: name) {
                case .found(let p): profileObj = p
                case .ambiguous(let ids): fail("profile '\(name)' is ambiguous: \(ids.joined(separator: ", "))")
                case .unknown:
                    fail("unknown profile '\(name)'; profiles in \(content): \(b.profiles.map(\.id).joined(separator: ", "))")
                }
            }
        }
        for r in rules where b.rules[r] == nil { fail("no rule '\(r)' in \(content)") }
        guard jobs >= 1 else { fail("--jobs must be at least 1") }
        let policy: Policy
        do { policy = try Policy(benchmark: b, profile: profileObj, selectAll: selectAll) } catch { fail("\(error)") }
        // Open the database first: a bad one fails the command before the scan runs.
        let db = noStore ? nil : store.open()
        let scanner = Scanner(content: loaded, policy: policy, target: target, jobs: jobs,
                              onlyRules: rules.isEmpty ? nil : Set(rules))
        let progress = (!quiet && isatty(STDERR_FILENO) == 1) ? ProgressLine() : nil
        var callback: (@Sendable (Int, Int, String) -> Void)?
        if let progress {
            callback = { done, total, id in progress.update(done, total, id) }
        }
        let result = scanner.run(progress: callback)
        progress?.finish()
        var problems: [String] = []
        var requests = reports.compactMap { text -> ReportRequest? in
            do { return try ReportRequest(parsing: text) } catch { problems.append("\(error)"); return nil }
        }
        // --results FILE is --report xccdf:FILE, as oscap spells it.
        if let results, let request = try? ReportRequest(format: "xccdf", path: results) { requests.append(request) }
        // Standard output carries at most one report, and then only that report: the
        // summary and other notes go to standard error.
        let stdoutReports = requests.filter { $0.path == "-" }.count + (format == .json ? 1 : 0)
        if stdoutReports > 1 {
            problems.append("only one report can go to standard output ('-'; --format json is one); the others were not written")
            var kept = format == .json
            requests.removeAll { request in
                guard request.path == "-" else { return false }
                defer { kept = true }
                return kept
            }
        }
        let notes = stdoutReports > 0 ? FileHandle.standardError : FileHandle.standardOutput
        let noteColour = Summary.colour(on: stdoutReports > 0 ? STDERR_FILENO : STDOUT_FILENO)
        func note(_ line: String) { notes.write(Data((line + "\n").utf8)) }
        var threshold: Severity?
        if let failOn {
            threshold = Severity(argument: failOn)
            if threshold == nil { problems.append("--fail-on '\(failOn)' is not a severity (info, low, medium, high)") }
        }
        var waiverList: WaiverList?
        if let waivers {
            do { waiverList = try WaiverList.load(waivers) } catch { problems.append("\(error)") }
        }
        if !quiet && format == .text { note(Summary.text(result, benchmark: b, colour: noteColour)) }
        let record: ScanRecord
        do {
            record = result.record(content: loaded, host: HostIdentity.of(target),
                                   contentSHA256: try loaded.sha256(),
                                   vigilVersion: Vigil.configuration.version)
        } catch { fail("cannot read \(content) again: \(error)") }
        var stored = StoredScan(unstored: record)
        if let db {
            // The scan is stored before any report is written: a report problem loses
            // nothing. A scan that cannot be stored is still reported, then exits 1.
            do {
                let id = try db.save(record)
                stored = try db.scan(String(id))
                if !quiet && format == .text { note("Stored as scan \(id) in \(TerminalText.visible(db.path))") }
            } catch {
                problems.insert("the scan was not stored: \(error); its reports were written all the same", at: 0)
            }
        }
        var data = ReportData(scan: stored, rules: record.rules, waivers: waiverList, generator: Vigil.configuration.version)
        data.benchmarkTitle = b.title
        for w in waiverList?.unmatched(record.rules.map(\.ruleID)) ?? [] {
            warn("\(w.location): waiver for rule '\(w.rule)', which \(b.id) does not have")
        }
        for r in data.rules where r.waiver.map({ $0.isExpired(on: data.generatedAt) }) ?? false {
            warn("\(r.waiver!.location): the waiver for \(r.record.ruleID) expired on \(r.waiver!.expires); it no longer counts")
        }
        if format == .json {
            do { try ReportPipeline.write(ReportRequest(format: "json", path: "-"), data) } catch { problems.append("\(error)") }
        }
        // The XCCDF TestResult's target is the scanning host, as oscap writes it.
        data.scap = SCAPSource(content: loaded, result: result, testResultTarget: HostIdentity.scanningHostName())
        for request in requests {
            do { try ReportPipeline.write(request, data) } catch { problems.append("\(error)") }
        }
        if !problems.isEmpty {
            for p in problems { printError(p) }
            throw ExitCode(1)
        }
        throw ExitCode(waivers == nil && threshold == nil ? result.exitCode : Gate.exitCode(data, failOn: threshold))
    }
}
