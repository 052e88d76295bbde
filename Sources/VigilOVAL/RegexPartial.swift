import CPCRE2

/// How a subject relates to a pattern when more text may follow it.
package enum PartialMatch: Sendable, Equatable {
    /// The pattern matches the subject.
    case full
    /// The subject is a prefix of something the pattern could match (PCRE2 partial match).
    case partial
    /// Nothing that starts with the subject can match.
    case none
}

extension OVALRegex {
    /// Matches with `PCRE2_PARTIAL_SOFT`, as OpenSCAP prunes a file-system walk with a
    /// path pattern: a full match wins over a partial one. Throws when matching fails.
    package func partialMatch(_ subject: String) throws -> PartialMatch {
        var s = subject
        return try s.withUTF8 { buf -> PartialMatch in
            try runMatch(buf, from: 0, flags: PCRE2_PARTIAL_SOFT | PCRE2_NO_UTF_CHECK) { rc, _ in
                if rc == PCRE2_ERROR_NOMATCH { return .none }
                if rc == PCRE2_ERROR_PARTIAL { return .partial }
                if rc < 0 { throw RegexError.matchFailure(pattern: pattern, code: rc) }
                return .full
            }
        }
    }
}
