import Foundation
import VigilStore

/// One scan ready to be reported in any format: its stored form and its rules, with
/// waivers applied.
public struct ReportData: Sendable {
    public var scan: StoredScan
    public var rules: [ReportRule]
    /// The Vigil that writes the report.
    public var generator: String
    /// When the report was made.
    public var generatedAt: Date
    /// The benchmark's title, when the content is at hand (stored scans keep its id only).
    public var benchmarkTitle: String?

    public init(scan: StoredScan, rules: [RuleRecord], waivers: WaiverList? = nil,
                generator: String, now: Date = Date()) {
        self.scan = scan
        self.generator = generator
        self.generatedAt = now
        self.rules = rules.map { record in
            let waiver = waivers?.waiver(for: record.ruleID)
            return ReportRule(record: record, waiver: waiver,
                              waived: waiver.map { !$0.isExpired(on: now) } ?? false && ReportRule.failing.contains(record.result))
        }
    }

    /// How many rules have each result, and how many failures are waived.
    public var counts: [String: Int] {
        var c: [String: Int] = [:]
        for r in rules { c[r.record.result, default: 0] += 1 }
        return c
    }

    public var waivedCount: Int { rules.filter(\.waived).count }
}

/// A rule's result as reports show it.
public struct ReportRule: Sendable {
    public var record: RuleRecord
    /// The waiver naming this rule, active or expired.
    public var waiver: Waiver?
    /// The rule failed (or is in error) and an unexpired waiver covers it.
    public var waived: Bool

    /// Results that fail a gate unless waived.
    static let failing: Set<String> = ["fail", "error", "unknown"]

    /// Whether this rule fails the CI gate at `threshold` (nil: any severity).
    public func failsGate(at threshold: Severity?) -> Bool {
        guard ReportRule.failing.contains(record.result), !waived else { return false }
        guard let threshold else { return true }
        return Severity(record.severity) >= threshold
    }
}

/// XCCDF severities, ordered: unknown < info < low < medium < high.
public enum Severity: Int, Comparable, Sendable, CaseIterable {
    case unknown, info, low, medium, high

    public init(_ text: String) {
        switch text.lowercased() {
        case "info": self = .info
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default: self = .unknown
        }
    }

    public init?(argument: String) {
        guard let s = Severity.allCases.first(where: { "\($0)" == argument.lowercased() }) else { return nil }
        self = s
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

/// The CI gate: exit code 2 when a rule fails at or above the threshold and is not waived.
public enum Gate {
    public static func exitCode(_ report: ReportData, failOn threshold: Severity?) -> Int32 {
        report.rules.contains { $0.failsGate(at: threshold) } ? 2 : 0
    }
}
