import Foundation
import VigilCore

/// Everything a scan stores: what was scanned, with what, when, and each rule's result.
/// Plain data, filled in by the engine; the store keeps it as one unit. The metadata's
/// fields read as the record's own (`record.hostName`).
@dynamicMemberLookup
public struct ScanRecord: Sendable {
    public var metadata: ScanMetadata
    public var rules: [RuleRecord]
    /// The policy the scan applied; nil when it was not recorded.
    public var policy: ScanPolicy?

    public init(metadata: ScanMetadata, rules: [RuleRecord]) {
        self.metadata = metadata
        self.rules = rules
    }

    public init(uuid: String = UUID().uuidString.lowercased(), hostName: String, hostID: String, target: String,
                targetKind: String = ScanMetadata.hostKind, contentPath: String, contentSHA256: String,
                benchmarkID: String, benchmarkVersion: String, profileID: String, vigilVersion: String,
                startedAt: Date, finishedAt: Date, score: Double? = nil, scoreMax: Double? = nil,
                scoreSystem: String? = nil, rules: [RuleRecord]) {
        self.init(metadata: ScanMetadata(uuid: uuid, hostName: hostName, hostID: hostID, target: target,
                                         targetKind: targetKind, contentPath: contentPath, contentSHA256: contentSHA256,
                                         benchmarkID: benchmarkID, benchmarkVersion: benchmarkVersion,
                                         profileID: profileID, vigilVersion: vigilVersion, startedAt: startedAt,
                                         finishedAt: finishedAt, score: score, scoreMax: scoreMax, scoreSystem: scoreSystem),
                  rules: rules)
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<ScanMetadata, T>) -> T {
        get { metadata[keyPath: field] }
        set { metadata[keyPath: field] = newValue }
    }

    /// How many rules have each result (only results that occur).
    public var counts: [XCCDFResult: Int] {
        var counts: [XCCDFResult: Int] = [:]
        for r in rules { counts[r.result, default: 0] += 1 }
        return counts
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
    public var result: XCCDFResult
    public var references: [RuleReference]
    /// What was found, in a line or a few (the offending file or value), or why the
    /// rule could not be checked.
    public var evidence: String?
    /// The rule's description, rationale and fix text, as plain text.
    public var description: String
    public var rationale: String
    public var fixText: String
    /// The titles of the benchmark's Groups that hold the rule, outermost first (empty
    /// for a rule directly under the benchmark); the HTML report's tree view.
    public var groups: [String]
    /// How the rule is checked (SCAP-pure OVAL, Vigil-native, other), as the scan's
    /// content said; nil when unknown: a result stored before the store kept it
    /// (migration `v8-check-system`), whose reports leave the marking out.
    public var checkSystem: RuleCheckSystem?

    public init(ruleID: String, instance: String = "", title: String, severity: String, result: XCCDFResult,
                references: [RuleReference] = [], evidence: String? = nil,
                description: String = "", rationale: String = "", fixText: String = "", groups: [String] = [],
                checkSystem: RuleCheckSystem? = nil) {
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
        self.groups = groups
        self.checkSystem = checkSystem
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
