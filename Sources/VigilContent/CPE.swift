/// A CPE applicability-language platform (`<cpe-lang:platform id=...>`).
public struct CPEPlatform: Sendable {
    public var id: String
    public var test: CPELogicalTest
}

/// `<cpe-lang:logical-test>`: facts and sub-tests combined with AND or OR.
public indirect enum CPELogicalTest: Sendable {
    /// A CPE name to look up in the dictionary.
    case factRef(String)
    /// A check given directly: system, href, definition id.
    case checkFactRef(system: String, href: String, idref: String)
    case logical(operator: String, negate: Bool, children: [CPELogicalTest])
}

/// A CPE dictionary: for each CPE name, the check that tells whether it applies.
public struct CPEDictionary: Sendable {
    /// CPE name → (system, href, definition id).
    public var checks: [String: (system: String, href: String, idref: String)] = [:]
    public init() {}
}
