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
    }

    public var from: StoredScan
    public var to: StoredScan
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

    /// Whether anything newly fails (the `--fail-on-regression` gate).
    public var hasRegression: Bool { !newlyFailing.isEmpty }

    /// Compares the results of two scans, in the later scan's rule order.
    public init(from: StoredScan, fromResults: [RuleRecord], to: StoredScan, toResults: [RuleRecord]) {
        self.from = from
        self.to = to
        var before: [String: RuleRecord] = [:]
        for r in fromResults { before[r.key] = r }
        var newlyFailing: [Change] = [], fixed: [Change] = [], changed: [Change] = [], added: [Change] = []
        var seen: Set<String> = []
        for now in toResults {
            seen.insert(now.key)
            let old = before[now.key]
            let change = Change(ruleID: now.ruleID, instance: now.instance, title: now.title, severity: now.severity,
                                from: old?.result, to: now.result, evidence: now.evidence)
            if old == nil { added.append(change) }
            if now.result == .fail && old?.result != .fail {
                newlyFailing.append(change)
            } else if let old, old.result != now.result {
                if old.result == .fail && now.result == .pass { fixed.append(change) } else { changed.append(change) }
            }
        }
        removed = fromResults.filter { !seen.contains($0.key) }.map {
            Change(ruleID: $0.ruleID, instance: $0.instance, title: $0.title, severity: $0.severity,
                   from: $0.result, to: nil, evidence: nil)
        }
        self.newlyFailing = newlyFailing
        self.fixed = fixed
        self.changed = changed
        self.added = added
        if let a = from.score, let b = to.score { scoreChange = b - a } else { scoreChange = nil }
    }
}

extension ScanStore {
    /// The drift between two scans. With no `to`, the latest scan; with no `from`, the
    /// scan before `to` of the same host, benchmark and profile.
    public func drift(from fromReference: String? = nil, to toReference: String? = nil) throws -> DriftReport {
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
        return DriftReport(from: from, fromResults: try results(of: from.id, details: false),
                           to: to, toResults: try results(of: to.id, details: false))
    }
}
