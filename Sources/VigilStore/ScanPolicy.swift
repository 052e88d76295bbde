import Foundation

/// The policy a scan applied, beyond its profile id (kept in `ScanMetadata`): the
/// tailoring file, the XCCDF values its checks used, and which values each rule's checks
/// use. Drift reads it to tell a change of policy from a change of the host, without
/// the content.
public struct ScanPolicy: Sendable, Equatable, Codable {
    /// The tailoring file, as an absolute path; nil when the scan had none.
    public var tailoringPath: String?
    /// The SHA-256 of the tailoring file; nil without one, or when it could not be read
    /// again once the scan was done.
    public var tailoringSHA256: String?
    /// Each value as the scan used it, by value id: every value a check of an evaluated
    /// rule uses (`check-export`), and every value the profile or tailoring set.
    public var values: [String: String]
    /// The ids of the values the profile or tailoring set or refined, sorted.
    public var refinedValues: [String]
    /// For each evaluated rule whose checks use values, their ids, sorted.
    public var ruleValues: [String: [String]]

    public init(tailoringPath: String? = nil, tailoringSHA256: String? = nil, values: [String: String] = [:],
                refinedValues: [String] = [], ruleValues: [String: [String]] = [:]) {
        self.tailoringPath = tailoringPath
        self.tailoringSHA256 = tailoringSHA256
        self.values = values
        self.refinedValues = refinedValues
        self.ruleValues = ruleValues
    }

    /// A value id as people read it: what follows `_value_` in an XCCDF 1.2 id.
    public static func shortName(_ valueID: String) -> String {
        guard let r = valueID.range(of: "_value_") else { return valueID }
        return String(valueID[r.upperBound...])
    }
}
