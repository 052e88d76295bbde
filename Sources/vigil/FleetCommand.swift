import ArgumentParser
import Foundation
import VigilReports
import VigilStore

/// `vigil fleet`: the latest scan of every host, benchmark and profile.
struct Fleet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Per host, the latest scan of each benchmark and profile: age, score, failures by severity, regressions.",
        discussion: "Reads the database --db names (PostgreSQL or SQLite). --host matches the host name or id, ignoring case: as a glob when it holds * or ?, else as a substring.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Only this benchmark (its id, or the part after _benchmark_).")
    var benchmark: String?

    @Option(help: "Only this profile (its id, or the part after _profile_).")
    var profile: String?

    @Option(help: "Only hosts whose name or id matches: a glob with * or ?, else a substring (ignoring case).")
    var host: String?

    @Option(help: "Only hosts whose newest scan is older than this: a number with s, m, h, d or w (e.g. 2d).")
    var stale: String?

    @Option(help: "text, json or html.")
    var format: FleetFormat = .text

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    func validate() throws {
        if let stale, Prune.seconds(stale) == nil {
            throw ValidationError("--stale '\(stale)' is not a duration like 30d, 12h or 2w")
        }
    }

    func run() throws {
        let series = try store.open().fleet(FleetFilter(benchmark: benchmark, profile: profile, host: host))
        let report = FleetReport(series, staleAfter: stale.flatMap(Prune.seconds))
        let text: String
        switch format {
        case .text: text = Fleet.table(report)
        case .json: text = try jsonText(report.entries)
        case .html: text = report.html()
        }
        if let out {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw CommandError("cannot write \(out): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// The text table: one line per series.
    static func table(_ report: FleetReport) -> String {
        guard !report.entries.isEmpty else { return "No stored scans match.\n" }
        let widths = [20, 24, 16, 19, 5, 6, 5, 5, 4, 4, 4, 4, 6]
        var out = row(["HOST", "BENCHMARK", "PROFILE", "LAST SCAN", "AGE", "SCORE", "PASS", "FAIL", "HIGH", "MED", "LOW", "NEW", "TARGET"], widths) + "\n"
        for e in report.entries {
            let short = StoredScan.shortName
            let cells = [e.host, short(e.benchmark, "_benchmark_"), e.profile.isEmpty ? "(default)" : short(e.profile, "_profile_"),
                         shortDate(e.lastScan), FleetReport.age(e.ageSeconds), e.score.map { String(format: "%.2f", $0) } ?? "-",
                         "\(e.pass)", "\(e.fail)", "\(e.failuresBySeverity["high"] ?? 0)", "\(e.failuresBySeverity["medium"] ?? 0)",
                         "\(e.failuresBySeverity["low"] ?? 0)", "\(e.regressions.count)", e.targetKind]
            out += TerminalText.visible(row(cells, widths)) + "\n"
        }
        let hosts = Set(report.entries.map(\.hostID)).count
        return out + "\(hosts) host\(hosts == 1 ? "" : "s"), \(report.entries.count) series.\n"
    }
}

/// `vigil fleet --format`.
enum FleetFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, html
}

extension StoredScan {
    /// An id's part after `marker` (`_profile_`), or the id itself.
    static func shortName(_ id: String, _ marker: String) -> String {
        guard let r = id.range(of: marker) else { return id }
        return String(id[r.upperBound...])
    }
}
