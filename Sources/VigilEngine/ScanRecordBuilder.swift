import Foundation
import VigilContent
import VigilProbes
import VigilStore
import VigilTarget

extension ScanResult {
    /// The scan as the store keeps it: metadata, score, and per rule its title, severity,
    /// result, references, evidence and check system (`XCCDFRule.checkSystem`, the marking
    /// every report shows, whether made now or later from the store). `targetKind` is the scanned target's kind
    /// (`Target.kind`); the scan's `target` is the target's label.
    public func record(content: SCAPContent, host: HostIdentity, targetKind: TargetKind, contentSHA256: String,
                       vigilVersion: String,
                       uuid: String = UUID().uuidString.lowercased()) -> ScanRecord {
        let b = content.benchmark
        var marks: [String: RuleReferences.SystemMarks] = [:]
        let rules = ruleResults.map { r -> RuleRecord in
            let rule = b.rules[r.ruleID]
            let evidence = r.evidence ?? (r.result.isExplainedByMessage ? r.message : nil)
            return RuleRecord(ruleID: r.ruleID, instance: r.instance ?? "", title: rule?.title ?? r.ruleID,
                              severity: r.severity, result: r.result,
                              references: rule.map { RuleReferences.of($0, marks: &marks) } ?? [], evidence: evidence,
                              description: rule?.description ?? "", rationale: rule?.rationale ?? "",
                              fixText: Self.remediation(rule, values: values), groups: b.groupTitles(ofRule: r.ruleID),
                              checkSystem: rule?.checkSystem)
        }
        let score = scores.first
        var record = ScanRecord(uuid: uuid, hostName: host.name, hostID: host.id, target: target,
                                targetKind: targetKind.rawValue,
                                contentPath: Self.absolutePath(contentPath),
                                contentSHA256: contentSHA256, benchmarkID: benchmarkID, benchmarkVersion: benchmarkVersion,
                                profileID: profileID ?? "", vigilVersion: vigilVersion, startedAt: startTime, finishedAt: endTime,
                                score: score?.value, scoreMax: score?.maximum, scoreSystem: score?.system, rules: rules)
        record.policy = policy(content: content)
        record.metadata.system = host.system(content: content, profileID: profileID)
        return record
    }

    /// The policy the scan applied: its tailoring file (absolute path and SHA-256), the
    /// values that the checks of its evaluated rules use and those the profile set, and
    /// per rule the values its checks use.
    func policy(content: SCAPContent) -> ScanPolicy {
        let b = content.benchmark
        var ruleValues: [String: [String]] = [:]
        for r in ruleResults where r.result != .notselected && ruleValues[r.ruleID] == nil {
            guard let ids = b.rules[r.ruleID]?.exportedValueIDs, !ids.isEmpty else { continue }
            ruleValues[r.ruleID] = ids
        }
        let refined = Set(setValues.map(\.id))
        var used: [String: String] = [:]
        for id in refined.union(ruleValues.values.joined()) {
            if let value = values[id] ?? setValues.last(where: { $0.id == id })?.value { used[id] = value }
        }
        let tailoring = content.tailoringPath.map(Self.absolutePath)
        // The tailoring was read moments ago; should it have gone since, the scan is still
        // stored, with no digest (drift then cannot tell whether it changed).
        return ScanPolicy(tailoringPath: tailoring, tailoringSHA256: tailoring.flatMap { try? HostFileDigest.sha256($0) },
                          values: used, refinedValues: refined.sorted(), ruleValues: ruleValues)
    }

    /// `path` made absolute against the working directory ("" stays ""), so that a
    /// stored scan names its files wherever it is read from.
    static func absolutePath(_ path: String) -> String {
        guard !path.isEmpty, !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The rule's `<fixtext>`, else its fix script with the scan's values filled in.
    static func remediation(_ rule: XCCDFRule?, values: [String: String]) -> String {
        guard let rule else { return "" }
        if !rule.fixText.isEmpty { return rule.fixText }
        return rule.fix?.text(values: values) ?? ""
    }
}

extension XCCDFRule {
    /// The ids of the values the rule's checks use (`check-export`), sorted, each once.
    var exportedValueIDs: [String] {
        var ids = Set<String>()
        func add(_ c: XCCDFComplexCheck) {
            switch c {
            case .check(let check): ids.formUnion(check.exports.map(\.valueID))
            case .complex(_, _, let children): children.forEach(add)
            }
        }
        for check in checks { ids.formUnion(check.exports.map(\.valueID)) }
        if let complexCheck { add(complexCheck) }
        return ids.sorted()
    }
}

/// Sorts a rule's references and idents into the catalogues auditors look for.
public enum RuleReferences {
    public static func of(_ rule: XCCDFRule) -> [RuleReference] {
        var marks: [String: SystemMarks] = [:]
        return of(rule, marks: &marks)
    }

    /// `of(_:)`, reading each distinct reference system once across calls that share
    /// `marks` (a scan's rules name a handful of systems thousands of times).
    static func of(_ rule: XCCDFRule, marks: inout [String: SystemMarks]) -> [RuleReference] {
        func reference(_ system: String, _ id: String) -> RuleReference {
            let m: SystemMarks
            if let known = marks[system] {
                m = known
            } else {
                m = SystemMarks(system)
                marks[system] = m
            }
            return RuleReference(kind: kind(m, id: id), system: system, id: id)
        }
        return rule.references.map { reference($0.href, $0.value) } + rule.idents.map { reference($0.system, $0.value) }
    }

    /// nist-800-53, stig, srg, cci, cis, cce, or other.
    public static func kind(system: String, id: String) -> String {
        kind(SystemMarks(system), id: id)
    }

    static func kind(_ m: SystemMarks, id: String) -> String {
        if id.hasPrefix("CCI-") || m.cci { return "cci" }
        if id.hasPrefix("SRG-") { return "srg" }
        if m.nist { return "nist-800-53" }
        if m.stig || id.hasPrefix("V-") || id.hasPrefix("SV-") { return "stig" }
        if m.cis { return "cis" }
        if m.cce || id.hasPrefix("CCE-") { return "cce" }
        return "other"
    }

    /// What a reference system's URI says of its catalogue, whatever the id.
    struct SystemMarks {
        let cci, nist, stig, cis, cce: Bool

        init(_ system: String) {
            let s = Array(system.lowercased().utf8)
            func has(_ needle: String) -> Bool { RuleReferences.contains(s, Array(needle.utf8)) }
            cci = has("/cci")
            nist = has("800-53")
            stig = has("stig")
            // Not "pcisecuritystandards.org" (PCI DSS) nor "niap-ccevs.org" (Common Criteria).
            cis = has("//www.cisecurity.org") || has("//cisecurity.org") || has("cis-benchmark") || has("/cis")
            cce = has("/cce")
        }
    }

    /// Whether `needle` occurs in `haystack` (bytes: Foundation's string search is slow on
    /// Linux, and a scan sorts every reference of every rule).
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
