import Foundation

/// Everything a scan stores: what was scanned, with what, when, and each rule's result.
/// Plain data, filled in by the engine; the store keeps it as one unit.
public struct ScanRecord: Sendable {
    public var uuid: String
    public var hostName: String
    /// A stable identifier of the scanned system (its machine id when it has one).
    public var hostID: String
    /// "live host" or the root path of an offline scan.
    public var target: String
    public var contentPath: String
    public var contentSHA256: String
    public var benchmarkID: String
    public var benchmarkVersion: String
    /// The profile id; empty for the benchmark's defaults, "(all)" for every rule.
    public var profileID: String
    public var vigilVersion: String
    public var startedAt: Date
    public var finishedAt: Date
    public var score: Double?
    public var scoreMax: Double?
    public var scoreSystem: String?
    public var rules: [RuleRecord]

    public init(uuid: String = UUID().uuidString.lowercased(), hostName: String, hostID: String, target: String,
                contentPath: String, contentSHA256: String, benchmarkID: String, benchmarkVersion: String,
                profileID: String, vigilVersion: String, startedAt: Date, finishedAt: Date,
                score: Double? = nil, scoreMax: Double? = nil, scoreSystem: String? = nil, rules: [RuleRecord]) {
        self.uuid = uuid
        self.hostName = hostName
        self.hostID = hostID
        self.target = target
        self.contentPath = contentPath
        self.contentSHA256 = contentSHA256
        self.benchmarkID = benchmarkID
        self.benchmarkVersion = benchmarkVersion
        self.profileID = profileID
        self.vigilVersion = vigilVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.score = score
        self.scoreMax = scoreMax
        self.scoreSystem = scoreSystem
        self.rules = rules
    }
}

/// One rule's stored result.
public struct RuleRecord: Sendable, Equatable, Codable {
    public var ruleID: String
    /// Which instance of the rule, for a `multi-check` rule that has one result per
    /// definition (the definition id); empty otherwise.
    public var instance: String
    public var title: String
    public var severity: String
    /// The XCCDF result: pass, fail, error, unknown, notapplicable, notchecked,
    /// notselected, informational or fixed.
    public var result: String
    public var references: [RuleReference]
    /// What was found, in a line or a few (the offending file or value), or why the
    /// rule could not be checked.
    public var evidence: String?
    /// The rule's description, rationale and fix text, as plain text.
    public var description: String
    public var rationale: String
    public var fixText: String

    public init(ruleID: String, instance: String = "", title: String, severity: String, result: String,
                references: [RuleReference] = [], evidence: String? = nil,
                description: String = "", rationale: String = "", fixText: String = "") {
        self.ruleID = ruleID
        self.instance = instance
        self.title = title
        self.severity = severity
        self.result = result
        self.references = references
        self.evidence = evidence
        self.description = description
        self.rationale = rationale
        self.fixText = fixText
    }

    /// The rule and instance, as drift matches results of two scans.
    public var key: String { instance.isEmpty ? ruleID : ruleID + "/" + instance }
}

/// A reference of a rule to an outside catalogue, as the content gives it.
public struct RuleReference: Sendable, Equatable, Codable {
    /// What catalogue it is: nist-800-53, stig, cci, cis, cce, or other.
    public var kind: String
    /// The reference's href or ident system, as written in the content.
    public var system: String
    public var id: String

    public init(kind: String, system: String, id: String) {
        self.kind = kind
        self.system = system
        self.id = id
    }
}
