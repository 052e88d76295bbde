/// XCCDF severities, ordered: unknown < info < low < medium < high.
public enum Severity: Int, Comparable, Sendable, CaseIterable {
    case unknown, info, low, medium, high

    /// The severity a rule states (any case); anything else is `unknown`.
    public init(_ text: String) {
        switch text.lowercased() {
        case "info": self = .info
        case "low": self = .low
        case "medium": self = .medium
        case "high": self = .high
        default: self = .unknown
        }
    }

    /// A severity named on the command line (`--fail-on`); nil when it names none.
    public init?(argument: String) {
        guard let s = Severity.allCases.first(where: { "\($0)" == argument.lowercased() }) else { return nil }
        self = s
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}
