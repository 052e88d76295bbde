import Foundation
import VigilContent
import VigilProbes
import VigilStore

extension ScanResult {
    /// The scan as the store keeps it: metadata, score, and per rule its title, severity,
    /// result, references and evidence.
    public func record(content: SCAPContent, host: HostIdentity, contentSHA256: String,
                       vigilVersion: String, uuid: String = UUID().uuidString.lowercased()) -> ScanRecord {
        let b = content.benchmark
        let rules = ruleResults.map { r -> RuleRecord in
            let rule = b.rules[r.ruleID]
            let evidence = r.evidence ?? ((r.result == .error || r.result == .unknown || r.result == .notchecked) ? r.message : nil)
            return RuleRecord(ruleID: r.ruleID, instance: r.instance ?? "", title: rule?.title ?? r.ruleID,
                              severity: r.severity, result: r.result.rawValue,
                              references: rule.map(RuleReferences.of) ?? [], evidence: evidence,
                              description: rule?.description ?? "", rationale: rule?.rationale ?? "",
                              fixText: Self.remediation(rule, values: values))
        }
        let score = scores.first
        return ScanRecord(uuid: uuid, hostName: host.name, hostID: host.id, target: target, contentPath: contentPath,
                          contentSHA256: contentSHA256, benchmarkID: benchmarkID, benchmarkVersion: benchmarkVersion,
                          profileID: profileID ?? "", vigilVersion: vigilVersion, startedAt: startTime, finishedAt: endTime,
                          score: score?.value, scoreMax: score?.maximum, scoreSystem: score?.system, rules: rules)
    }

    /// The rule's `<fixtext>`, else its fix script with the scan's values filled in.
    static func remediation(_ rule: XCCDFRule?, values: [String: String]) -> String {
        guard let rule else { return "" }
        if !rule.fixText.isEmpty { return rule.fixText }
        return rule.fix?.text(values: values) ?? ""
    }
}

/// Sorts a rule's references and idents into the catalogues auditors look for.
public enum RuleReferences {
    public static func of(_ rule: XCCDFRule) -> [RuleReference] {
        rule.references.map { RuleReference(kind: kind(system: $0.href, id: $0.value), system: $0.href, id: $0.value) }
            + rule.idents.map { RuleReference(kind: kind(system: $0.system, id: $0.value), system: $0.system, id: $0.value) }
    }

    /// nist-800-53, stig, srg, cci, cis, cce, or other.
    public static func kind(system: String, id: String) -> String {
        let s = system.lowercased()
        if id.hasPrefix("CCI-") || s.contains("/cci") { return "cci" }
        if id.hasPrefix("SRG-") { return "srg" }
        if s.contains("800-53") { return "nist-800-53" }
        if s.contains("stig") || id.hasPrefix("V-") || id.hasPrefix("SV-") { return "stig" }
        if s.contains("cisecurity") || s.contains("cis-benchmark") || s.contains("/cis") { return "cis" }
        if s.contains("cce") || id.hasPrefix("CCE-") { return "cce" }
        return "other"
    }
}

extension ScanResult {
    /// A stored scan as the XCCDF and ARF writers read it, with the content it was made
    /// from: weights, roles and checks come from the content; profile values the scan set
    /// are not stored and are left out.
    public init(stored scan: StoredScan, rules: [RuleRecord], content: SCAPContent) {
        let b = content.benchmark
        let results = rules.map { r -> RuleResult in
            let rule = b.rules[r.ruleID]
            let oval = rule?.checks.first { $0.system == Scanner.ovalSystem }
            let ref = oval?.contentRefs.first
            let check = ref.map { (system: Scanner.ovalSystem, href: $0.href, name: r.instance.isEmpty ? $0.name : r.instance) }
            let result = XCCDFResult(rawValue: r.result) ?? .unknown
            let message = [.error, .unknown, .notchecked].contains(result) ? r.evidence : nil
            return RuleResult(ruleID: r.ruleID, result: result, severity: r.severity, weight: rule?.weight ?? 1,
                              role: rule?.role ?? "full", check: result == .notselected ? nil : check, message: message,
                              evidence: r.evidence, instance: r.instance.isEmpty ? nil : r.instance, time: scan.finishedAt)
        }
        let scores = scan.score.map { [Score(system: scan.scoreSystem ?? "urn:xccdf:scoring:default", value: $0, maximum: scan.scoreMax ?? 100)] } ?? []
        self.init(benchmarkID: scan.benchmarkID, benchmarkVersion: scan.benchmarkVersion,
                  profileID: scan.profileID.isEmpty ? nil : scan.profileID, contentPath: scan.contentPath,
                  target: scan.target, startTime: scan.startedAt, endTime: scan.finishedAt, ruleResults: results,
                  setValues: [], scores: scores)
    }
}
