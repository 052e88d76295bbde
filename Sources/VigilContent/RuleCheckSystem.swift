import VigilCore
import VigilCrypto

/// How a rule is checked, as `vigil info` and the reports mark it: SCAP-pure (its checks
/// are standard OVAL, so any SCAP tool gives Vigil's verdict), Vigil-native (a check in
/// Vigil's own check system decides; other tools evaluate its OVAL fallback if it has
/// one), or neither (no check Vigil evaluates, such as OCIL only). This is the one place
/// that decides.
public enum RuleCheckSystem: String, Sendable, Codable {
    case oval
    case native
    case other
}

extension XCCDFRule {
    /// Every check of the rule, those inside its complex check included.
    public var allChecks: [XCCDFCheck] {
        func leaves(_ c: XCCDFComplexCheck) -> [XCCDFCheck] {
            switch c {
            case .check(let check): return [check]
            case .complex(_, _, let children): return children.flatMap(leaves)
            }
        }
        return checks + (complexCheck.map(leaves) ?? [])
    }

    /// `native` when any check is Vigil-native, else `oval` when one is OVAL, else `other`.
    public var checkSystem: RuleCheckSystem {
        let systems = Set(allChecks.map(\.system))
        if systems.contains(NativeCheckSystem.uri) { return .native }
        return systems.contains(XCCDFNames.ovalCheckSystem) ? .oval : .other
    }

    /// A native rule that also has an OVAL check, which tools without Vigil's check system evaluate.
    public var hasOVALFallback: Bool {
        checkSystem == .native && allChecks.contains { $0.system == XCCDFNames.ovalCheckSystem }
    }
}
