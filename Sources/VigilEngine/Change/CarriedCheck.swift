import VigilContent
import VigilCrypto

/// The check a carried-over result names (`PartialRescan`), as evaluating the rule would
/// have named it, so that XCCDF results of a partial rescan read as those of a full scan.
extension Scanner {
    /// The check `rule` is decided by with `selector`: for a complex check, its last check
    /// that Vigil evaluates (the one evaluation names last); for a multi-check result,
    /// the definition of `instance`.
    func carriedCheck(_ rule: XCCDFRule, selector: String, instance: String?) -> (system: String, href: String, name: String?)? {
        if let complex = rule.complexCheck { return lastCheck(complex) }
        guard let check = Self.decidingCheck(Self.candidates(rule, selector: selector)) else { return nil }
        guard let named = reference(check) else { return nil }
        return instance.map { (named.system, named.href, $0) } ?? named
    }

    private func lastCheck(_ complex: XCCDFComplexCheck) -> (system: String, href: String, name: String?)? {
        switch complex {
        case .check(let c): return reference(c)
        case .complex(_, _, let children): return children.reversed().lazy.compactMap(lastCheck).first
        }
    }

    private func reference(_ check: XCCDFCheck) -> (system: String, href: String, name: String?)? {
        if check.system == NativeCheckSystem.uri { return check.native.map { (NativeCheckSystem.uri, "", $0.kind) } }
        guard check.system == XCCDFNames.ovalCheckSystem,
              let ref = check.contentRefs.first(where: { evaluators.checklist($0.href) != nil }) else { return nil }
        return (check.system, ref.href, ref.name)
    }
}
