import Foundation
import VigilContent
import VigilCore
import VigilEngine

/// The short terminal summary of a scan. Values from the content and the scanned system
/// are shown as `TerminalText` does.
enum Summary {
    /// Colour only on a terminal, and not when NO_COLOR is set or TERM is dumb.
    static func colour(on fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        return isatty(fd) == 1 && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    static let resultColour: [XCCDFResult: Int] = [.pass: 32, .fixed: 32, .fail: 31, .error: 33, .unknown: 33]

    /// - Parameter colour: whether to colour results (see `colour(on:)`).
    static func text(_ r: ScanResult, benchmark b: XCCDFBenchmark, colour: Bool) -> String {
        /// `text` in an ANSI colour (31 red, 32 green, 33 yellow) when colour is on.
        func paint(_ text: String, _ code: Int) -> String {
            colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
        }
        let v = TerminalText.visible
        let c = r.counts
        var lines: [String] = []
        lines.append("\(v(b.title)) (\(v(b.id)) \(v(b.version)))")
        lines.append("Profile: \(r.profileID.map(v) ?? "(default selection)")   Target: \(v(r.target))")
        let order = XCCDFResult.listingOrder.filter { $0 != .notselected }
        lines.append(order.filter { (c[$0] ?? 0) > 0 }.map { result in
            let text = "\(result.rawValue): \(c[result]!)"
            return resultColour[result].map { paint(text, $0) } ?? text
        }.joined(separator: "  "))
        let failed = r.ruleResults.filter { $0.result == .fail }
        if !failed.isEmpty {
            lines.append("Failed rules by severity:")
            for sev in ["high", "medium", "low", "info", "unknown"] {
                let rules = failed.filter { $0.severity == sev }
                guard !rules.isEmpty else { continue }
                lines.append("  " + (sev == "high" ? paint("\(sev) (\(rules.count)):", 31) : "\(sev) (\(rules.count)):"))
                for rr in rules { lines.append("    \(v(b.rules[rr.ruleID]?.title ?? rr.ruleID))  [\(v(rr.ruleID))]") }
            }
        }
        let errors = r.ruleResults.filter { $0.result == .error }
        if !errors.isEmpty {
            lines.append("Rules in error:")
            for rr in errors { lines.append("  \(v(rr.ruleID)): \(v(rr.message ?? "evaluation error"))") }
        }
        if let s = r.scores.first {
            lines.append(String(format: "Score: %.2f / %.0f", s.value, s.maximum))
        }
        lines.append(String(format: "Time: %.2f s", r.endTime.timeIntervalSince(r.startTime)))
        return lines.joined(separator: "\n")
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
