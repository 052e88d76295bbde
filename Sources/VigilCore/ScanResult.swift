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

    public init(ruleID: String, result: XCCDFResult, severity: String, weight: Double, role: String,
                check: (system: String, href: String, name: String?)?, message: String? = nil,
                evidence: String? = nil, instance: String? = nil, time: Date) {
        self.ruleID = ruleID
        self.result = result
        self.severity = severity
        self.weight = weight
        self.role = role
        self.check = check
        self.message = message
        self.evidence = evidence
        self.instance = instance
        self.time = time
    }
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

    public init(benchmarkID: String, benchmarkVersion: String, profileID: String?, contentPath: String, target: String,
                startTime: Date, endTime: Date, ruleResults: [RuleResult], setValues: [(id: String, value: String)],
                values: [String: String] = [:], scores: [Score]) {
        self.benchmarkID = benchmarkID
        self.benchmarkVersion = benchmarkVersion
        self.profileID = profileID
        self.contentPath = contentPath
        self.target = target
        self.startTime = startTime
        self.endTime = endTime
        self.ruleResults = ruleResults
        self.setValues = setValues
        self.values = values
        self.scores = scores
    }

    /// How many rules have each result.
    public var counts: [XCCDFResult: Int] {
        var c: [XCCDFResult: Int] = [:]
        for r in ruleResults { c[r.result, default: 0] += 1 }
        return c
    }

    /// The exit code oscap would give: 2 when a rule is fail, error or unknown, else 0.
    public var exitCode: Int32 {
        ruleResults.contains { $0.result.isFailing } ? 2 : 0
    }
}

/// An XCCDF score under one scoring model.
public struct Score: Sendable {
    public var system: String
    public var value: Double
    public var maximum: Double

    public init(system: String, value: Double, maximum: Double) {
        self.system = system
        self.value = value
        self.maximum = maximum
    }
}
