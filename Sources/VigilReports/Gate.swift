import VigilCore

/// The CI gate's decision on one scan, from its report data (waivers applied) and the
/// `--fail-on` threshold: exit code 2 when a failing result (fail, error, unknown) at or
/// above the threshold is not waived; 4 when no rule was evaluated at all (every rule
/// not selected, not applicable or not checked), unless an empty scan is allowed; else 0.
/// The counts say why, for the terminal's "gate:" line.
public struct Gate: Sendable, Equatable {
    /// Exit code of a gate that passes.
    public static let passCode: Int32 = 0
    /// Exit code of a gate that fails.
    public static let failCode: Int32 = 2
    /// Exit code of a scan that evaluated no rule (unless `allowEmpty`).
    public static let nothingEvaluatedCode: Int32 = 4

    /// Results that are the verdict of a check (`notselected`, `notapplicable` and
    /// `notchecked` are not: no check decided them).
    public static let evaluatedResults: Set<XCCDFResult> = [.pass, .fail, .error, .unknown, .informational, .fixed]

    /// Only failures at or above this severity fail the gate; nil: any severity.
    public let threshold: Severity?
    /// Whether a scan that evaluated nothing passes.
    public let allowEmpty: Bool
    /// Results that fail the gate (failing, not waived, at or above the threshold), by result.
    public let failing: [XCCDFResult: Int]
    /// Failing results an unexpired waiver covers.
    public let waived: Int
    /// Failing results, not waived, below the threshold.
    public let belowThreshold: Int
    /// Results decided by a check (see `evaluatedResults`).
    public let evaluated: Int

    public init(_ report: ReportData, failOn threshold: Severity?, allowEmpty: Bool = false) {
        self.threshold = threshold
        self.allowEmpty = allowEmpty
        var failing: [XCCDFResult: Int] = [:]
        var waived = 0, below = 0, evaluated = 0
        for rule in report.rules {
            let result = rule.record.result
            if Self.evaluatedResults.contains(result) { evaluated += 1 }
            if rule.failsGate(at: threshold) {
                failing[result, default: 0] += 1
            } else if rule.waived {
                waived += 1
            } else if result.isFailing {
                below += 1
            }
        }
        self.failing = failing
        self.waived = waived
        self.belowThreshold = below
        self.evaluated = evaluated
    }

    /// How many results fail the gate.
    public var failingCount: Int { failing.values.reduce(0, +) }

    /// No rule was evaluated.
    public var isEmpty: Bool { evaluated == 0 }

    /// 2 when a result fails the gate, else 4 when nothing was evaluated and that is not
    /// allowed, else 0.
    public var exitCode: Int32 {
        if failingCount > 0 { return Self.failCode }
        if isEmpty && !allowEmpty { return Self.nothingEvaluatedCode }
        return Self.passCode
    }
}
