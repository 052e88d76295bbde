import Foundation
import VigilCore
import VigilStore

/// The JSON report: a documented, versioned format (`reports/vigil-report.schema.json`).
/// Field names are stable; a change that removes or renames one raises the major version.
public struct JSONReport: Codable, Sendable {
    public static let schemaVersion = "1.3"

    /// The program that wrote the report.
    public struct Tool: Codable, Sendable {
        public var name: String
        public var version: String
    }

    /// What was scanned, with what and when.
    public struct Scan: Codable, Sendable {
        public var id: Int64
        public var uuid: String
        public var host: String
        public var hostID: String
        public var target: String
        /// What kind of target was scanned: "host", "root" or "image".
        public var targetKind: String
        public var content: String
        public var contentSHA256: String
        public var benchmark: String
        public var benchmarkVersion: String
        public var profile: String
        public var startedAt: Date
        public var finishedAt: Date
        /// The Vigil that ran the scan.
        public var vigilVersion: String
        /// The scanned system (OS, kernel, addresses, user) and the policy's titles; the
        /// image, if any, is the report's `image`.
        public var system: SystemIdentity
    }

    /// What was scanned, whatever its kind: `kind` "host", "root" or "image", and the
    /// reference (the root path, or the image reference as given). Since 1.3.
    public struct Target: Codable, Sendable {
        public var kind: String
        public var reference: String
    }

    /// The scan's score under its first scoring model.
    public struct Score: Codable, Sendable {
        public var value: Double
        public var maximum: Double
        public var system: String
    }

    /// One rule's result, waiver, references, evidence and texts.
    public struct Rule: Codable, Sendable {
        public var id: String
        public var instance: String?
        public var title: String
        public var severity: String
        public var result: String
        public var waived: Bool
        public var waiver: Waiver?
        public var waiverExpired: Bool?
        public var references: [RuleReference]
        public var evidence: String?
        /// How the rule is checked (`RuleCheckSystem`): "oval" (SCAP-pure), "native" (a
        /// Vigil-native check decided) or "other", as stored with the result; nil when
        /// unknown (a result stored before the store kept it).
        public var checkSystem: String?
        public var description: String
        public var rationale: String
        public var remediation: String
    }

    public var schemaVersion: String
    public var tool: Tool
    public var generatedAt: Date
    public var scan: Scan
    public var target: Target
    /// The scanned image (reference, name, tag, digests, OS, architecture, layers); absent
    /// for a host or a root directory. Since 1.3.
    public var image: ImageIdentity?
    /// Rules per result: pass, fail, error, unknown, notapplicable, notchecked,
    /// notselected, informational, fixed (only those that occur), and waived failures.
    public var counts: [String: Int]
    public var score: Score?
    /// Whether `rules` lists the rules the profile does not select (`notselected`); by
    /// default they are left out, and `counts` still counts them.
    public var includesNotselected: Bool
    public var rules: [Rule]

    public init(_ data: ReportData) {
        let s = data.scan
        schemaVersion = Self.schemaVersion
        tool = Tool(name: "vigil", version: data.generator)
        generatedAt = data.generatedAt
        scan = Scan(id: s.id, uuid: s.uuid, host: s.hostName, hostID: s.hostID, target: s.target, targetKind: s.targetKind, content: s.contentPath,
                    contentSHA256: s.contentSHA256, benchmark: s.benchmarkID, benchmarkVersion: s.benchmarkVersion,
                    profile: s.profileID, startedAt: s.startedAt, finishedAt: s.finishedAt,
                    vigilVersion: s.vigilVersion, system: data.systemWithoutImage)
        target = Target(kind: s.targetKind, reference: s.target)
        image = data.image
        var counts = Dictionary(uniqueKeysWithValues: data.counts.map { ($0.key.rawValue, $0.value) })
        counts["waived"] = data.waivedCount
        self.counts = counts
        score = s.score.map { Score(value: $0, maximum: s.scoreMax ?? 100, system: s.scoreSystem ?? "") }
        includesNotselected = data.includeNotselected
        let listed = data.includeNotselected ? data.rules : data.rules.filter { $0.record.result != .notselected }
        rules = listed.map { r in
            Rule(id: r.record.ruleID, instance: r.record.instance.isEmpty ? nil : r.record.instance, title: r.record.title,
                 severity: r.record.severity, result: r.record.result.rawValue, waived: r.waived, waiver: r.waiver,
                 waiverExpired: r.waiver.map { $0.isExpired(on: data.generatedAt) }, references: r.record.references,
                 evidence: r.record.evidence,
                 checkSystem: r.record.checkSystem?.rawValue,
                 description: r.record.description, rationale: r.record.rationale,
                 remediation: r.record.fixText)
        }
    }

    /// The report as pretty-printed JSON with sorted keys and ISO 8601 dates.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }
}
