import Foundation
import VigilContent
import VigilStore

/// Which rules `vigil fix` writes remediation for, and with which values: every rule a
/// profile selects (as `oscap xccdf generate fix --profile P CONTENT`), or the rules that
/// failed in a stored scan (as `oscap xccdf generate fix --result-id`), with the values of
/// the profile the scan used, from the content it evaluated (which must be unchanged).
public struct RemediationPlan {
    public let content: SCAPContent
    public let policy: Policy
    /// Rule ids, in benchmark (or result) order.
    public let rules: [String]
    /// What the plan was made from, for the script's opening comment.
    public let origin: String

    /// Every rule `profile` selects (a name, "all", or nil: the benchmark's selection),
    /// `requires` and `conflicts` left aside, as oscap does.
    public static func profile(_ content: SCAPContent, profile: String?) throws -> RemediationPlan {
        let policy = try ContentLookup.policy(content, profile: profile)
        let rules = content.benchmark.ruleOrder.filter(policy.selectedIgnoringRequirements.contains)
        return RemediationPlan(content: content, policy: policy, rules: rules,
                               origin: "every rule the profile selects, without a scan: each fix runs even where "
                                   + "the system already complies")
    }

    /// The rules whose result was `fail` in the scan `reference` names (a number, "last",
    /// or a UUID prefix). `tailoring` is the tailoring file the scan used, if any.
    public static func scan(_ reference: String, in store: any ScanDatabase, tailoring: String? = nil) throws -> RemediationPlan {
        let scan = try store.scan(reference)
        let failed = try store.results(of: scan.id, details: false).filter { $0.result == .fail }.map(\.ruleID)
        let content: SCAPContent
        let digest: String
        do {
            content = try SCAPContent.load(path: scan.contentPath, tailoring: tailoring, ruleTexts: true)
            digest = try content.sha256()
        } catch {
            throw EngineError("fixes for scan \(scan.id) need the content it evaluated, \(scan.contentPath): \(error)")
        }
        guard digest == scan.contentSHA256 else {
            throw EngineError("\(scan.contentPath) has changed since scan \(scan.id) (its SHA-256 differs); "
                              + "fixes need the content that was evaluated")
        }
        let profile = scan.profileID.isEmpty ? nil : scan.profileID == XCCDFNames.allRulesProfile ? "all" : scan.profileID
        let policy: Policy
        do { policy = try ContentLookup.policy(content, profile: profile) } catch ScanSessionError.unknownProfile {
            throw EngineError("scan \(scan.id) used profile \(scan.profileID), which \(scan.contentPath) does not have; "
                              + "name the tailoring file that defines it with --tailoring")
        }
        let started = ISO8601DateFormatter().string(from: scan.startedAt)
        return RemediationPlan(content: content, policy: policy, rules: failed,
                               origin: "the \(Set(failed).count) rules that failed in scan \(scan.id) (\(scan.uuid)) of "
                                   + "\(scan.hostName), started \(started)")
    }

    /// The script in `format`: each rule's fix with the policy's values.
    public func script(_ format: FixFormat, generator: String = VigilVersion.current) throws -> FixScript {
        let b = content.benchmark
        let fixes: [String: [RemediationFix]]
        do { fixes = try content.remediationFixes() } catch { throw EngineError("cannot read the fixes of \(content.path): \(error)") }
        let kind = format == .bash ? "Bash remediation script" : "Ansible playbook"
        let run = format == .bash ? "sudo bash remediation.sh" : "ansible-playbook -i inventory.ini playbook.yml"
        let header = [
            "\(kind) made by Vigil \(generator)",
            "",
            "Benchmark: \(b.id), version \(b.version)",
            "Profile: \(ContentLookup.profileLabel(policy, in: b))",
            "Content: \(content.path)",
            "For: \(origin)",
            "",
            "Review it, then apply it: \(run)",
        ]
        return FixScript(format: format, rules: rules, fixes: fixes, values: policy.values, header: header)
    }
}
