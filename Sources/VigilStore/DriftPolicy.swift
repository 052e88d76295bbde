import Foundation
import VigilCore

/// How the policies of two scans differ: the tailoring, the profile, the content, and
/// the values their checks used. A rule whose result changed because of this is a
/// change of policy, not of the host.
public struct PolicyDifference: Sendable, Codable, Equatable {
    /// One value that both scans' checks used, with a different value in each.
    public struct ValueChange: Sendable, Codable, Equatable {
        public var valueID: String
        public var from: String
        public var to: String
        /// Why it changed: "tailoring changed", "profile changed", "content changed", or
        /// "policy changed" when none of these did.
        public var reason: String

        /// "var_password_max_days: 60 -> 365 (tailoring changed)".
        public var text: String { "\(ScanPolicy.shortName(valueID)): \(from) -> \(to) (\(reason))" }
    }

    /// Whether both scans recorded their policy (scans stored by older Vigils did not):
    /// without it, values cannot be compared.
    public var recorded: Bool
    /// The tailoring file differs (by SHA-256), or only one scan had one.
    public var tailoringChanged: Bool
    public var profileChanged: Bool
    /// The content file differs (by SHA-256).
    public var contentChanged: Bool
    public var fromTailoring: String?
    public var toTailoring: String?
    public var fromTailoringSHA256: String?
    public var toTailoringSHA256: String?
    /// The values that changed, by value id.
    public var values: [ValueChange]

    /// Whether anything of the policy differs.
    public var changed: Bool { tailoringChanged || profileChanged || contentChanged || !values.isEmpty }

    /// The main cause of a change of policy, as a value change gives its reason.
    public var reason: String {
        if tailoringChanged { return "tailoring changed" }
        if profileChanged { return "profile changed" }
        if contentChanged { return "content changed" }
        return "policy changed"
    }

    init(from: StoredScan, _ fromPolicy: ScanPolicy?, to: StoredScan, _ toPolicy: ScanPolicy?) {
        recorded = fromPolicy != nil && toPolicy != nil
        tailoringChanged = recorded && (fromPolicy?.tailoringPath != nil || toPolicy?.tailoringPath != nil)
            && fromPolicy?.tailoringSHA256 != toPolicy?.tailoringSHA256
        profileChanged = from.profileID != to.profileID
        contentChanged = from.contentSHA256 != to.contentSHA256
        fromTailoring = fromPolicy?.tailoringPath
        toTailoring = toPolicy?.tailoringPath
        fromTailoringSHA256 = fromPolicy?.tailoringSHA256
        toTailoringSHA256 = toPolicy?.tailoringSHA256
        values = []
        guard let fromPolicy, let toPolicy else { return }
        let reason = self.reason
        values = fromPolicy.values.keys.sorted().compactMap { id in
            guard let old = fromPolicy.values[id], let new = toPolicy.values[id], old != new else { return nil }
            return ValueChange(valueID: id, from: old, to: new, reason: reason)
        }
    }

    /// Why the change of one rule's result comes from the policy, or nil when the policy
    /// does not explain it: a value its checks use changed, or the profile or tailoring
    /// changed and the rule was selected or unselected (or made unchecked) by it.
    func explanation(of ruleID: String, from old: XCCDFResult, to new: XCCDFResult,
                     _ fromPolicy: ScanPolicy?, _ toPolicy: ScanPolicy?) -> (reason: String, values: [ValueChange])? {
        let used = Set((fromPolicy?.ruleValues[ruleID] ?? []) + (toPolicy?.ruleValues[ruleID] ?? []))
        let changedValues = values.filter { used.contains($0.valueID) }
        if !changedValues.isEmpty { return (reason, changedValues) }
        guard tailoringChanged || profileChanged else { return nil }
        if new == .notselected { return ("no longer selected (\(reason))", []) }
        if old == .notselected { return ("selected now (\(reason))", []) }
        if new == .notchecked || old == .notchecked { return ("checked \(new == .notchecked ? "no more" : "now") (\(reason))", []) }
        return nil
    }
}
