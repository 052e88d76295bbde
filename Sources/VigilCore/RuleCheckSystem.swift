/// How a rule is checked, as `vigil info` and the reports mark it: SCAP-pure (its checks
/// are standard OVAL, so any SCAP tool gives Vigil's verdict), Vigil-native (a check in
/// Vigil's own check system decides; other tools evaluate its OVAL fallback if it has
/// one), or neither (no check Vigil evaluates, such as OCIL only). `XCCDFRule.checkSystem`
/// (VigilContent) decides it; the store keeps it with each rule result.
public enum RuleCheckSystem: String, Sendable, Codable {
    case oval
    case native
    case other
}
