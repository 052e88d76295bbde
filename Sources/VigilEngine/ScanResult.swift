import Foundation

/// The outcome of one rule.
public struct RuleResult: Sendable {
    public var ruleID: String
    public var result: XCCDFResult
    public var severity: String
    public var weight: Double
    public var role: String
    /// The check that decided the result: system, href and definition name.
    public var check: (system: String, href: String, name: String?)?
    /// Why the result is what it is, when that is worth saying (errors, notchecked).
    public var message: String?
    /// What the check found that made the rule fail (the offending items), when known.
    public var evidence: String?
    /// For a `multi-check` rule, which of its definitions this result is for.
    public var instance: String?
    public var time: Date
}

/// Everything one scan produced.
public struct ScanResult: Sendable {
    public var benchmarkID: String
    public var benchmarkVersion: String
    public var profileID: String?
    public var contentPath: String
    public var target: String
    public var startTime: Date
    public var endTime: Date
    /// In benchmark order; rules not evaluated are `notselected`. A `multi-check` rule
    /// has one result per definition it ran.
    public var ruleResults: [RuleResult]
    /// Values the profile changed, as written to results (`set-value`).
    public var setValues: [(id: String, value: String)]
    /// Every value as the scan used it (profile choices and defaults), by id.
    public var values: [String: String] = [:]
    public var scores: [Score]

    /// How many rules have each result.
    public var counts: [XCCDFResult: Int] {
        var c: [XCCDFResult: Int] = [:]
        for r in ruleResults { c[r.result, default: 0] += 1 }
        return c
    }

    /// The exit code oscap would give: 2 when a rule is fail, error or unknown, else 0.
    public var exitCode: Int32 {
        ruleResults.contains { [.fail, .error, .unknown].contains($0.result) } ? 2 : 0
    }
}
