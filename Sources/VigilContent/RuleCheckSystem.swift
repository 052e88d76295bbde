import VigilCore
import VigilCrypto

/// `RuleCheckSystem` (VigilCore) of a rule: this is the one place that decides it.
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
