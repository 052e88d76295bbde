import Foundation
import VigilContent
import VigilCore
import VigilEngine
import VigilReports

/// The short terminal summary of a scan. Values from the content and the scanned system
/// are shown as `TerminalText` does.
enum Summary {
    /// Colour only on a terminal, and not when NO_COLOR is set or TERM is dumb.
    static func colour(on fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isatty(fd) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    static let resultColour: [XCCDFResult: Int] = [.pass: 32, .fixed: 32, .fail: 31, .error: 33, .unknown: 33]

    /// The summary of a scan whose gate is decided. Results are counted as the JSON report
    /// counts them (a waived failure is still `fail`, and is counted again as waived); the
    /// failures and errors listed are those the waivers do not cover, the waived ones are
    /// listed apart with their reasons, and the last line is the gate's decision. A scanned
    /// image has a line of its own (`ImageFacts.line`) under the target.
    /// - Parameter colour: whether to colour results (see `colour(on:)`).
    static func text(_ r: ScanResult, benchmark b: XCCDFBenchmark, report: ReportData, gate: Gate, colour: Bool) -> String {
        let paint = Paint(on: colour)
        let v = TerminalText.visible
        var lines: [String] = []
        lines.append("\(v(b.title)) (\(v(b.id)) \(v(b.version)))")
        lines.append("Profile: \(r.profileID.map(v) ?? "(default selection)")   Target: \(v(r.target))")
        if let image = report.image { lines.append(v(ImageFacts.line(image))) }
        lines.append(countLine(report, paint))
        lines += ruleLists(report, paint)
        if let s = r.scores.first {
            lines.append(String(format: "Score: %.2f / %.0f", s.value, s.maximum))
        }
        lines.append(String(format: "Time: %.2f s", r.endTime.timeIntervalSince(r.startTime)))
        lines.append(gateLine(gate, paint))
        return lines.joined(separator: "\n")
    }

    /// "pass: 10  fail: 3 (2 waived)  notapplicable: 4": every result that occurs but
    /// notselected, with the waived failures of each.
    static func countLine(_ report: ReportData, _ paint: Paint) -> String {
        let counts = report.counts
        var waived: [XCCDFResult: Int] = [:]
        for rule in report.rules where rule.waived { waived[rule.record.result, default: 0] += 1 }
        let order = XCCDFResult.listingOrder.filter { $0 != .notselected }
        guard order.contains(where: { (counts[$0] ?? 0) > 0 }) else { return "no rule selected" }
        return order.filter { (counts[$0] ?? 0) > 0 }.map { result in
            let text = "\(result.rawValue): \(counts[result]!)" + (waived[result].map { " (\($0) waived)" } ?? "")
            return resultColour[result].map { paint(text, $0) } ?? text
        }.joined(separator: "  ")
    }

    /// Failures by severity and rules in error, leaving out waived ones, then the waived
    /// failures with their reasons.
    static func ruleLists(_ report: ReportData, _ paint: Paint) -> [String] {
        let v = TerminalText.visible
        func name(_ rule: ReportRule) -> String {
            let record = rule.record
            let title = record.title.isEmpty ? record.ruleID : record.title
            let native = record.checkSystem == .native ? " (native)" : ""
            return "\(v(title))  [\(v(record.ruleID))\(record.instance.isEmpty ? "" : " " + v(record.instance))]\(native)"
        }
        var lines: [String] = []
        let failed = report.rules.filter { $0.record.result == .fail && !$0.waived }
        if !failed.isEmpty {
            lines.append("Failed rules by severity:")
            for sev in ["high", "medium", "low", "info", "unknown"] {
                let rules = failed.filter { Severity($0.record.severity) == Severity(sev) }
                guard !rules.isEmpty else { continue }
                lines.append("  " + (sev == "high" ? paint("\(sev) (\(rules.count)):", 31) : "\(sev) (\(rules.count)):"))
                for rule in rules { lines.append("    \(name(rule))\(expiry(rule))") }
            }
        }
        let errors = report.rules.filter { $0.record.result == .error && !$0.waived }
        if !errors.isEmpty {
            lines.append("Rules in error:")
            for rule in errors { lines.append("  \(v(rule.record.ruleID)): \(v(rule.record.evidence ?? "evaluation error"))") }
        }
        let waived = report.rules.filter(\.waived)
        if !waived.isEmpty {
            lines.append("Waived failures:")
            for rule in waived {
                guard let w = rule.waiver else { continue }
                lines.append("  \(name(rule)) \(rule.record.result.rawValue), waived until \(v(w.expires)) by \(v(w.owner)): \(v(w.reason))")
            }
        }
        return lines
    }

    /// " (waiver expired 2001-01-01)" for a failure whose waiver no longer counts.
    static func expiry(_ rule: ReportRule) -> String {
        guard let w = rule.waiver, !rule.waived else { return "" }
        return " (waiver expired \(TerminalText.visible(w.expires)))"
    }

    /// The gate's decision in one line: "gate: fail (3 failures), 2 failures waived, 1 below
    /// --fail-on medium", "gate: pass, 2 failures waived", "gate: nothing evaluated (exit code 4)".
    static func gateLine(_ gate: Gate, _ paint: Paint) -> String {
        func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var line: String
        if gate.failingCount > 0 {
            let names: [(XCCDFResult, String, String)] = [(.fail, "failure", "failures"), (.error, "error", "errors"), (.unknown, "unknown", "unknown")]
            let parts = names.compactMap { result, one, many in gate.failing[result].map { count($0, one, many) } }
            line = "gate: " + paint("fail", 31) + " (\(parts.joined(separator: ", ")))"
        } else if gate.isEmpty {
            line = gate.allowEmpty ? "gate: " + paint("pass", 32) + " (nothing evaluated, allowed by --allow-empty)"
                : "gate: " + paint("nothing evaluated", 33) + " (exit code 4)"
        } else {
            line = "gate: " + paint("pass", 32)
        }
        if gate.waived > 0 { line += ", " + count(gate.waived, "failure", "failures") + " waived" }
        if gate.belowThreshold > 0, let threshold = gate.threshold { line += ", \(gate.belowThreshold) below --fail-on \(threshold)" }
        return line
    }

    /// Text in an ANSI colour (31 red, 32 green, 33 yellow) when colour is on.
    struct Paint {
        let on: Bool
        func callAsFunction(_ text: String, _ code: Int) -> String {
            on ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
        }
    }
}

/// A one-line progress display on a terminal: rules done / total and the current rule.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()

    func update(_ done: Int, _ total: Int, _ rule: String) {
        lock.lock()
        defer { lock.unlock() }
        let name = rule.replacingOccurrences(of: "xccdf_org.ssgproject.content_rule_", with: "")
        let line = "\r[\(done)/\(total)] \(TerminalText.visible(String(name.prefix(60))))"
        FileHandle.standardError.write(Data((line + String(repeating: " ", count: max(0, 70 - line.count))).utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: 80) + "\r").utf8))
    }
}
