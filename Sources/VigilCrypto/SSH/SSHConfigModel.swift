/// A conditional block of an OpenSSH configuration: a `Match` line (server or client) or
/// a `Host` line (client), with where it is written.
final class SSHBlock: Sendable {
    /// `Match` criteria as (attribute lower-cased, negated, argument); `all` has "".
    let criteria: [(attribute: String, negated: Bool, argument: String)]
    /// `Host` patterns, when this is a Host block.
    let hostPatterns: [String]?
    let file: String
    let line: Int
    let text: String

    init(criteria: [(attribute: String, negated: Bool, argument: String)], hostPatterns: [String]?,
         file: String, line: Int, text: String) {
        self.criteria = criteria
        self.hostPatterns = hostPatterns
        self.file = file
        self.line = line
        self.text = text
    }

    /// `Match all` (or a `Host` block every name matches: handled by the client).
    var isMatchAll: Bool { hostPatterns == nil && criteria.count == 1 && criteria[0].attribute == "all" }
    /// "FILE:LINE" of the block.
    var location: String { "\(file):\(line)" }
}

/// One keyword line that is not `Include`, `Match` or `Host`: its keyword (lower-cased,
/// deprecated aliases mapped to the current name), arguments, place, and the blocks it
/// sits in (outermost first: a block of an including file, then the file's own).
struct SSHDirective: Sendable {
    var keyword: String
    var spelled: String
    var arguments: [String]
    var file: String
    var line: Int
    var blocks: [SSHBlock]

    /// "FILE:LINE: Keyword args", shortened for evidence.
    var evidence: String {
        let text = "\(spelled) \(arguments.joined(separator: " "))"
        return "\(file):\(line): \(text.count > 150 ? String(text.prefix(150)) + "..." : text)"
    }
}

/// A parsed configuration: every directive in the order OpenSSH reads them (includes
/// expanded in place), and the problems that make OpenSSH refuse the configuration.
struct SSHParsedConfig: Sendable {
    var directives: [SSHDirective] = []
    /// (location "FILE:LINE", keyword lower-cased or nil, message).
    var problems: [(location: String, keyword: String?, message: String)] = []
    var files: [String] = []
}
