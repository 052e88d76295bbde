/// An XCCDF 1.2 rule result: the one vocabulary of results that the engine, the store,
/// the reports and drift share.
public enum XCCDFResult: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable {
    case pass, fail, error, unknown, notapplicable, notchecked, notselected, informational, fixed

    /// Results that fail a scan (exit code 2) or a CI gate unless waived.
    public static let failing: Set<XCCDFResult> = [.fail, .error, .unknown]

    /// Every result, in the order stored scans count them and reports list them.
    public static let listingOrder: [XCCDFResult] = [
        .pass, .fail, .error, .unknown, .notapplicable, .notchecked, .notselected, .informational, .fixed,
    ]

    /// Whether this result fails a scan: fail, error or unknown.
    public var isFailing: Bool { Self.failing.contains(self) }

    /// Whether a message, not the evidence of a check, says why the rule has this result:
    /// error, unknown and notchecked (the store keeps that message as the rule's evidence).
    public var isExplainedByMessage: Bool { self == .error || self == .unknown || self == .notchecked }

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
