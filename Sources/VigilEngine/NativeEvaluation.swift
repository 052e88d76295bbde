import Foundation
import VigilContent
import VigilCrypto
import VigilTarget

/// How the scanner picks a rule's check and evaluates Vigil-native checks.
extension Scanner {
    /// The check systems the scanner evaluates.
    static let supportedCheckSystems: Set<String> = [XCCDFNames.ovalCheckSystem, NativeCheckSystem.uri]

    /// A rule's checks for `selector` (the profile's `refine-rule`), or those without a
    /// selector when none has it (XCCDF 1.2, 7.2.3.5.2).
    static func candidates(_ rule: XCCDFRule, selector: String) -> [XCCDFCheck] {
        let chosen = rule.checks.filter { $0.selector == selector }
        return chosen.isEmpty ? rule.checks.filter { $0.selector.isEmpty } : chosen
    }

    /// The check that decides among `candidates`: the first in a supported system
    /// (XCCDF 1.2: a tool uses the first check it can process). A native check is
    /// followed by its OVAL fallback, which Vigil therefore never evaluates.
    static func decidingCheck(_ candidates: [XCCDFCheck]) -> XCCDFCheck? {
        candidates.first { supportedCheckSystems.contains($0.system) }
    }

    /// Evaluates a native check: its `${export}`s replaced by the profile's values, its
    /// parameters read, then run against the target unless the target cannot answer it
    /// (offline, a check of the running system is `notapplicable`).
    func evaluateNative(_ check: XCCDFCheck, _ rr: inout RuleResult) -> XCCDFResult {
        let verdict = nativeVerdict(check, &rr)
        rr.message = verdict.message
        if !verdict.evidence.isEmpty { rr.evidence = verdict.evidence.joined(separator: "; ") }
        return check.negate ? verdict.result.negated : verdict.result
    }

    private func nativeVerdict(_ check: XCCDFCheck, _ rr: inout RuleResult) -> NativeVerdict {
        guard let spec = check.native else {
            return .error("rule \(rr.ruleID): native check unreadable: \(check.nativeProblem ?? "no check content")")
        }
        rr.check = (NativeCheckSystem.uri, "", spec.kind)
        var values: [String: String] = [:]
        for e in check.exports { if let v = policy.values[e.valueID] { values[e.exportName] = v } }
        let kind: any NativeCheckKind
        do { kind = try NativeCheckKinds.make(try spec.substituting(values), kinds: nativeKinds) } catch {
            return .error("rule \(rr.ruleID): native check '\(spec.kind)': \(error)")
        }
        guard let context = nativeContext else { return .error("rule \(rr.ruleID): native check '\(spec.kind)': no target") }
        guard context.target.can(kind.needs) else {
            return NativeVerdict(.notapplicable, message: "native check '\(spec.kind)' reads the running system; "
                                 + "\(context.target.label) is not a running system")
        }
        return kind.evaluate(context)
    }
}
