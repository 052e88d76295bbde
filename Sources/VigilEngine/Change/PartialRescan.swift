import VigilContent
import VigilCore
import VigilStore

/// A rescan of the rules a change touched (`ScanOptions.rescan`): those rules are
/// evaluated, every other rule's verdict is carried over from the previous complete scan
/// of the same series (host, target, benchmark, profile and content), and the result is
/// stored and reported as a complete scan: counts and score computed as a full scan
/// computes them, times of this run. Selection and applicability are decided afresh
/// (cached platform checks, cheap): only the verdict of an applicable rule is carried. A scan with no previous record of its series
/// (other content, another profile) evaluates every rule.
public struct PartialRescan: Sendable {
    /// The rules to evaluate again.
    public var rules: Set<String>
    /// The previous complete scans, one per benchmark of the run.
    public var previous: [ScanRecord]
    /// The previous scans' footprint, which the rescan's footprint updates; nil: the
    /// rescan's footprint holds only the rules it evaluated.
    public var footprint: ScanFootprint?

    public init(rules: Set<String>, previous: [ScanRecord], footprint: ScanFootprint?) {
        self.rules = rules
        self.previous = previous
        self.footprint = footprint
    }

    /// A rescan of `rules` after the run that gave `outcome` (and its companions).
    public init(rules: Set<String>, after outcome: ScanOutcome) {
        self.init(rules: rules, previous: outcome.all.map(\.record), footprint: outcome.footprint)
    }

    /// The previous record of the series `content` (with `policy` on `host`'s `target`) belongs to.
    func previousRecord(content: SCAPContent, policy: Policy, hostID: String, target: String) -> ScanRecord? {
        let sha = try? content.sha256()
        return previous.first {
            $0.benchmarkID == content.benchmark.id && $0.profileID == (policy.profileID ?? "") && $0.hostID == hostID
                && $0.target == target && $0.contentSHA256 == sha
        }
    }

    /// The results of `record` by rule id, for the rules not rescanned.
    func carried(from record: ScanRecord) -> [String: [RuleResult]] {
        var out: [String: [RuleResult]] = [:]
        for r in record.rules where !rules.contains(r.ruleID) {
            let message = r.result.isExplainedByMessage ? r.evidence : nil
            out[r.ruleID, default: []].append(RuleResult(ruleID: r.ruleID, result: r.result, severity: r.severity, weight: 0,
                                                         role: "", check: nil, message: message, evidence: r.evidence,
                                                         instance: r.instance.isEmpty ? nil : r.instance, time: .distantPast))
        }
        return out
    }

    /// A carried result as this run reports it: verdict, evidence and instance from the
    /// previous scan; severity, weight, role, time and the check named as this run resolves them.
    static func carry(_ previous: RuleResult, as base: RuleResult,
                      check: (system: String, href: String, name: String?)?) -> RuleResult {
        var r = base
        r.check = check
        r.result = previous.result
        r.message = previous.message
        r.evidence = previous.evidence
        r.instance = previous.instance
        return r
    }
}
