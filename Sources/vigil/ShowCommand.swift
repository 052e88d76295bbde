import ArgumentParser
import Foundation
import VigilCore
import VigilReports
import VigilStore

/// `vigil show SCAN`: the stored results of one scan. A scan of an image names the image
/// (`ImageFacts.line`) where a host scan names the host.
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the stored results of one scan.")

    @OptionGroup var store: StoreOptions

    @Argument(help: "The scan: its id, 'last', or the start of its UUID.")
    var scan: String = "last"

    @Flag(help: "List every rule, not only those that did not pass.")
    var all = false

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    struct Output: Encodable {
        let scan: StoredScan
        /// The policy the scan applied; absent for scans stored before it was recorded.
        let policy: ScanPolicy?
        let rules: [RuleRecord]
    }

    func run() throws {
        let db = try store.open()
        let found = try db.scan(scan)
        let rules = try db.results(of: found.id)
        let policy = try db.policy(of: found.id)
        if format == .json { try printJSON(Output(scan: found, policy: policy, rules: rules)); return }
        // Every line holds values from the scanned system: shown as TerminalText does.
        func print(_ line: String) { Swift.print(TerminalText.visible(line)) }
        print("Scan \(found.id)  \(found.uuid)")
        if let image = found.system?.image {
            print("\(ImageFacts.line(image))   Target: \(found.target)")
        } else {
            print("Host: \(found.hostName) (\(found.hostID))   Target: \(found.target)")
        }
        print("Content: \(found.contentPath)  sha256 \(found.contentSHA256.prefix(16))…")
        print("Benchmark: \(found.benchmarkID) \(found.benchmarkVersion)   Profile: \(found.profileLabel)")
        print("Started: \(shortDate(found.startedAt))   Took: \(String(format: "%.2f", found.finishedAt.timeIntervalSince(found.startedAt))) s   Vigil \(found.vigilVersion)")
        Show.policyLines(policy).forEach(print)
        print(XCCDFResult.listingOrder.filter { found.count($0) > 0 }.map { "\($0.rawValue): \(found.count($0))" }.joined(separator: "  "))
        if let score = found.score { print(String(format: "Score: %.2f / %.0f", score, found.scoreMax ?? 100)) }
        let shown = all ? rules : rules.filter { ![XCCDFResult.pass, .notselected, .notapplicable].contains($0.result) }
        for r in shown {
            let native = r.checkSystem == .native ? " (native)" : ""
            print("  \(r.result.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(r.severity.padding(toLength: 7, withPad: " ", startingAt: 0)) \(r.title)  [\(r.key)]\(native)")
            if let e = r.evidence, r.result != .pass { print("      \(e)") }
        }
    }
}

extension Show {
    /// The tailoring file and the values the profile or tailoring set, a line each.
    static func policyLines(_ policy: ScanPolicy?) -> [String] {
        guard let policy else { return ["Policy: not recorded (stored by an earlier Vigil)"] }
        var lines: [String] = []
        if let path = policy.tailoringPath {
            lines.append("Tailoring: \(path)  sha256 \(policy.tailoringSHA256.map { $0.prefix(16) + "…" } ?? "unknown (not readable after the scan)")")
        }
        let refined = policy.refinedValues.filter { policy.values[$0] != nil }
        if !refined.isEmpty {
            lines.append("Values set by the profile or tailoring (\(refined.count)):")
            for id in refined { lines.append("  \(ScanPolicy.shortName(id)) = \(policy.values[id]!)") }
        }
        return lines
    }
}
