import ArgumentParser
import Foundation
import VigilCore
import VigilReports
import VigilStore

/// `vigil drift [FROM] [TO]`: what changed between two stored scans.
struct Drift: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what changed between two stored scans.",
        discussion: """
        With no scans named, compares the latest scan with the scan before it of the same \
        host, benchmark and profile; with one, compares that scan with the one before it. \
        Two scans named must be of the same host, benchmark and profile (--force compares \
        them all the same). A rule whose result changed because the policy did (a value \
        its check uses, or its selection, changed with the tailoring, profile or content) \
        is listed under "Policy changes", not as fixed or newly failing. \
        Exit codes: 0 done; 1 the scans cannot be read or are not comparable; 3 with \
        --fail-on-regression when a rule newly fails on the host.
        """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "The earlier scan (id, 'last', or UUID prefix).")
    var from: String?

    @Argument(help: "The later scan (default: the latest).")
    var to: String?

    @Option(help: "text, json or html.")
    var format: DriftFormat = .text

    @Option(help: "Write the drift report to this file instead of standard output.")
    var out: String?

    enum DriftFormat: String, ExpressibleByArgument, CaseIterable { case text, json, html }

    @Flag(help: "Exit with code 3 when a rule fails now that did not fail before.")
    var failOnRegression = false

    @Flag(help: "Compare scans of different hosts, benchmarks or profiles.")
    var force = false

    func run() throws {
        let db = try store.open()
        // One scan named: it is the later one.
        let report = to == nil && from != nil ? try db.drift(to: from, force: force)
            : try db.drift(from: from, to: to, force: force)
        switch format {
        case .text: try emit(Drift.text(report) + "\n")
        case .json: try emit(try jsonText(report))
        case .html:
            let series = try db.history(host: report.to.hostID, limit: 500).filter {
                $0.benchmarkID == report.to.benchmarkID && $0.profileID == report.to.profileID
            }
            try emit(try DriftHTML.html(report, trend: series))
        }
        if failOnRegression && report.hasRegression { throw ExitCode(3) }
    }

    /// Writes the report to `--out` (atomically) or standard output.
    func emit(_ text: String) throws {
        do {
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } else {
                try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
            }
        } catch {
            throw CommandError("cannot write the drift report to \(out ?? "standard output"): \(SystemErrorText.cause(of: error))")
        }
    }

    static func text(_ d: DriftReport) -> String {
        var lines: [String] = []
        lines.append("Drift of \(d.to.hostName), \(d.to.benchmarkID), profile \(d.to.profileLabel)")
        lines.append("  from scan \(d.from.id)  \(shortDate(d.from.startedAt))  score \(d.from.scoreText)")
        var score = d.to.scoreText
        if let change = d.scoreChange { score += String(format: " (%+.2f)", change) }
        lines.append("  to   scan \(d.to.id)  \(shortDate(d.to.startedAt))  score \(score)")
        lines += policyLines(d.policy, from: d.from, to: d.to)
        func section(_ title: String, _ changes: [DriftReport.Change], showResults: Bool) {
            lines.append("\(title) (\(changes.count))\(changes.isEmpty ? "" : ":")")
            for c in changes {
                let results = showResults ? "  \(c.from?.rawValue ?? "-") → \(c.to?.rawValue ?? "-")" : ""
                lines.append("  \(c.severity.padding(toLength: 7, withPad: " ", startingAt: 0)) \(c.title)  [\(c.instance.isEmpty ? c.ruleID : c.ruleID + "/" + c.instance)]\(c.checkSystem == .native ? " (native)" : "")\(results)")
                for v in c.valueChanges { lines.append("          \(v.text)") }
                if let why = c.policyReason, c.valueChanges.isEmpty { lines.append("          \(why)") }
                if let e = c.evidence, c.to == .fail { lines.append("          \(e)") }
            }
        }
        if d.policy.changed || !d.policyChanges.isEmpty { section("Policy changes", d.policyChanges, showResults: true) }
        section("Newly failing", d.newlyFailing, showResults: true)
        section("Fixed", d.fixed, showResults: false)
        section("Other changes", d.changed, showResults: true)
        section("Added to the benchmark", d.added, showResults: true)
        section("Removed from the benchmark", d.removed, showResults: true)
        // Each line holds values from the scanned system: shown as TerminalText does.
        return lines.map(TerminalText.visible).joined(separator: "\n")
    }

    /// What of the policy changed between the scans, a line each; none when nothing did.
    static func policyLines(_ p: PolicyDifference, from: StoredScan, to: StoredScan) -> [String] {
        var lines: [String] = []
        if p.profileChanged { lines.append("  profile changed: \(from.profileLabel) -> \(to.profileLabel)") }
        if p.tailoringChanged {
            func file(_ path: String?, _ sha: String?) -> String {
                guard let path else { return "(none)" }
                return "\(path) (sha256 \(sha.map { $0.prefix(12) + "…" } ?? "unknown"))"
            }
            lines.append("  tailoring changed: \(file(p.fromTailoring, p.fromTailoringSHA256)) -> \(file(p.toTailoring, p.toTailoringSHA256))")
        }
        if p.contentChanged {
            lines.append("  content changed: \(from.contentPath) \(from.benchmarkVersion) -> \(to.contentPath) \(to.benchmarkVersion)")
        }
        if !p.values.isEmpty {
            lines.append("  values changed: " + p.values.map(\.text).joined(separator: "; "))
        }
        if !p.recorded {
            lines.append("  (the policy of scan \(from.id) or \(to.id) was not recorded: value changes cannot be told apart)")
        }
        return lines
    }
}
