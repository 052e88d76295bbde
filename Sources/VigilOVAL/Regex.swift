/// A Perl-compatible regular expression (PCRE2), as OVAL's `pattern match` needs.
public final class OVALRegex: @unchecked Sendable {
    public let pattern: String
    public init(_ pattern: String, caseInsensitive: Bool = false, multiline: Bool = false) throws {
        self.pattern = pattern
    }
    /// The first match: element 0 is the whole match, then each capture group (nil when it did not take part).
    public func firstMatch(in subject: String) -> [String?]? { nil }
    /// Every non-overlapping match, each as in `firstMatch`.
    public func allMatches(in subject: String) -> [[String?]] { [] }
    public func matches(_ subject: String) -> Bool { firstMatch(in: subject) != nil }
}

/// An error compiling or running a regular expression.
public struct RegexError: Error, CustomStringConvertible, Sendable {
    public let pattern: String
    public let message: String
    public init(pattern: String, message: String) { self.pattern = pattern; self.message = message }
    public var description: String { "invalid regular expression '\(pattern)': \(message)" }
}
