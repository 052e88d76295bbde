import Foundation
import VigilCore

/// What changed between two stored scans of the same system and benchmark.
public struct DriftReport: Sendable, Codable {
    /// One rule whose result differs, or that only one scan has.
    public struct Change: Sendable, Codable, Equatable {
        public var ruleID: String
        public var instance: String
        public var title: String
        public var severity: String
        /// The result in the earlier scan (nil: the rule was not in it).
        public var from: XCCDFResult?
        /// The result in the later scan (nil: the rule is no longer in it).
        public var to: XCCDFResult?
        public var evidence: String?
        /// How the rule is checked in the later scan (the earlier for a removed rule); nil
        /// when that scan's result was stored before the store kept it.
        public var checkSystem: RuleCheckSystem? = nil
        /// For a change of policy: why (e.g. "tailoring changed").
        public var policyReason: String? = nil
        /// For a change of policy: the values the rule's checks use that changed.
        public var valueChanges: [PolicyDifference.ValueChange] = []

        /// The change as a change of policy.
        func explained(by reason: String, values: [PolicyDifference.ValueChange]) -> Change {
            var change = self
            change.policyReason = reason
            change.valueChanges = values
            return change
        }
    }

    public var from: StoredScan
    public var to: StoredScan
    /// How the two scans' policies differ.
    public var policy: PolicyDifference
    /// Rules whose result changed because the policy did (a value their checks use, or
    /// their selection by the profile or tailoring), not the host. Not counted under any
    /// other heading.
    public var policyChanges: [Change]
    /// Rules that fail now and did not fail before (including rules new to the benchmark).
    public var newlyFailing: [Change]
    /// Rules that failed before and pass now.
    public var fixed: [Change]
    /// Every other result change of a rule both scans have.
    public var changed: [Change]
    /// Rules only the later scan has.
    public var added: [Change]
    /// Rules only the earlier scan has.
    public var removed: [Change]
    /// The later score minus the earlier (nil when either has no score).
    public var scoreChange: Double?

    /// Whether anything newly fails on the host (the `--fail-on-regression` gate); a rule
    /// that fails because the policy changed is not a regression of the host.
    public var hasRegression: Bool { !newlyFailing.isEmpty }

    /// Compares the results of two scans, in the later scan's rule order. With both
    /// scans' policies, a result that the change of policy explains is a policy change.
    public init(from: StoredScan, fromResults: [RuleRecord], fromPolicy: ScanPolicy? = nil,
                to: StoredScan, toResults: [RuleRecord], toPolicy: ScanPolicy? = nil) {
        self.from = from
        self.to = to
        let policy = PolicyDifference(from: from, fromPolicy, to: to, toPolicy)
        self.policy = policy
        var before: [String: RuleRecord] = [:]
        for r in fromResults { before[r.key] = r }
        var newlyFailing: [Change] = [], fixed: [Change] = [], changed: [Change] = [], added: [Change] = []
        var policyChanges: [Change] = []
        var seen: Set<String> = []
        for now in toResults {
            seen.insert(now.key)
            let old = before[now.key]
            let change = Change(ruleID: now.ruleID, instance: now.instance, title: now.title, severity: now.severity,
                                from: old?.result, to: now.result, evidence: now.evidence, checkSystem: now.checkSystem)
            if old == nil { added.append(change) }
            if let old, old.result != now.result,
               let why = policy.explanation(of: now.ruleID, from: old.result, to: now.result, fromPolicy, toPolicy) {
                policyChanges.append(change.explained(by: why.reason, values: why.values))
            } else if now.result == .fail && old?.result != .fail {
                newlyFailing.append(change)
            } else if let old, old.result != now.result {
                if old.result == .fail && now.result == .pass { fixed.append(change) } else { changed.append(change) }
            }
        }
        removed = fromResults.filter { !seen.contains($0.key) }.map {
            Change(ruleID: $0.ruleID, instance: $0.instance, title: $0.title, severity: $0.severity,
                   from: $0.result, to: nil, evidence: nil, checkSystem: $0.checkSystem)
        }
        self.policyChanges = policyChanges
        self.newlyFailing = newlyFailing
        self.fixed = fixed
        self.changed = changed
        self.added = added
        if let a = from.score, let b = to.score { scoreChange = b - a } else { scoreChange = nil }
    }
}

extension ScanDatabase {
    /// The drift between two scans. With no `to`, the latest scan; with no `from`, the
    /// scan before `to` of the same host, benchmark and profile. Two scans named that
    /// differ in host, benchmark or profile are refused unless `force` is set.
    public func drift(from fromReference: String? = nil, to toReference: String? = nil,
                      force: Bool = false) throws -> DriftReport {
        let to = try scan(toReference ?? "last")
        let from: StoredScan
        if let fromReference {
            from = try scan(fromReference)
        } else {
            guard let previous = try previous(of: to) else {
                throw StoreError.noSuchScan("before scan \(to.id) of host \(to.hostName), benchmark \(to.benchmarkID) and profile \(to.profileID.isEmpty ? "(default)" : to.profileID)")
            }
            from = previous
        }
        let differences = DriftReport.differences(from, to)
        if !force && !differences.isEmpty {
            throw StoreError.incomparable(from: from.id, to: to.id, differences: differences)
        }
        return DriftReport(from: from, fromResults: try results(of: from.id, details: false), fromPolicy: try policy(of: from.id),
                           to: to, toResults: try results(of: to.id, details: false), toPolicy: try policy(of: to.id))
    }
}

extension DriftReport {
    /// What makes two scans not comparable: each of host, benchmark and profile that
    /// differs, with both sides ("hosts: web-1 (id a1) and db-2 (id b2)").
    public static func differences(_ a: StoredScan, _ b: StoredScan) -> [String] {
        var out: [String] = []
        if a.hostID != b.hostID {
            out.append("hosts: \(a.hostName) (id \(a.hostID)) and \(b.hostName) (id \(b.hostID))")
        }
        if a.benchmarkID != b.benchmarkID { out.append("benchmarks: \(a.benchmarkID) and \(b.benchmarkID)") }
        if a.profileID != b.profileID {
            func label(_ id: String) -> String { id.isEmpty ? "(default)" : id }
            out.append("profiles: \(label(a.profileID)) and \(label(b.profileID))")
        }
        return out
    }
}
