import VigilOVAL

/// An XCCDF 1.2 rule result.
public enum XCCDFResult: String, Sendable, CaseIterable, Codable {
    case pass, fail, error, unknown, notapplicable, notchecked, notselected, informational, fixed

    /// The XCCDF result for an OVAL definition result (XCCDF 1.2 specification, table 26):
    /// for vulnerability and patch definitions, true means the system fails.
    public init(oval: OVALResult, definitionClass: String) {
        let inverted = definitionClass == "vulnerability" || definitionClass == "patch"
        switch oval {
        case .true: self = inverted ? .fail : .pass
        case .false: self = inverted ? .pass : .fail
        case .error: self = .error
        case .unknown: self = .unknown
        case .notEvaluated: self = .notchecked
        case .notApplicable: self = .notapplicable
        }
    }

    /// `negate="true"` on a check swaps pass and fail.
    public var negated: XCCDFResult {
        switch self {
        case .pass: return .fail
        case .fail: return .pass
        default: return self
        }
    }

    /// Combines results of a complex check's parts (XCCDF 1.2, tables 12 and 13).
    public static func combine(_ results: [XCCDFResult], operator op: String) -> XCCDFResult {
        let relevant = results.filter { ![.notapplicable, .notchecked, .notselected, .informational].contains($0) }
        guard !relevant.isEmpty else { return results.first ?? .unknown }
        let has = { (r: XCCDFResult) in relevant.contains(r) }
        if op == "OR" {
            if has(.pass) || has(.fixed) { return .pass }
            if has(.error) { return .error }
            if has(.unknown) { return .unknown }
            return .fail
        }
        if has(.fail) { return .fail }
        if has(.error) { return .error }
        if has(.unknown) { return .unknown }
        return .pass
    }
}
