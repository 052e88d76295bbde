import CPCRE2

/// An error compiling or running a regular expression.
package struct RegexError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    package enum Kind: Sendable, Equatable {
        /// The pattern does not compile; `offset` is where PCRE2 stopped.
        case compile
        /// The match limit was exceeded (catastrophic backtracking).
        case matchLimit
        /// The backtracking depth limit was exceeded.
        case depthLimit
        /// The heap limit for backtracking was exceeded.
        case heapLimit
        /// The subject is not valid UTF-8, or a start offset is inside a character.
        case badUTF8
        /// Any other PCRE2 failure, with its error code.
        case other(code: Int32)
    }

    /// The pattern that failed.
    package let pattern: String
    /// PCRE2's message (or Vigil's, for failures outside PCRE2).
    package let message: String
    /// What went wrong.
    package let kind: Kind
    /// For `.compile`, the byte offset in the pattern; for `.badUTF8`, in the subject.
    package let offset: Int?

    /// An error with a message; `kind` defaults to a compile error.
    package init(pattern: String, message: String, kind: Kind = .compile, offset: Int? = nil) {
        self.pattern = pattern
        self.message = message
        self.kind = kind
        self.offset = offset
    }

    /// A one-line text naming the pattern, the problem and, for compile errors, the offset.
    package var description: String {
        switch kind {
        case .compile:
            let at = offset.map { " at offset \($0)" } ?? ""
            return "invalid regular expression '\(pattern)'\(at): \(message)"
        default:
            return "matching regular expression '\(pattern)' failed: \(message)"
        }
    }

    /// Whether this is a resource limit (match, depth or heap) being exceeded.
    package var isLimitExceeded: Bool {
        switch kind {
        case .matchLimit, .depthLimit, .heapLimit: return true
        default: return false
        }
    }

    /// The error for a negative `pcre2_match` result other than "no match".
    static func matchFailure(pattern: String, code: Int32) -> RegexError {
        let kind: Kind
        switch code {
        case PCRE2_ERROR_MATCHLIMIT: kind = .matchLimit
        case PCRE2_ERROR_DEPTHLIMIT: kind = .depthLimit
        case PCRE2_ERROR_HEAPLIMIT: kind = .heapLimit
        case PCRE2_ERROR_UTF8_ERR21...PCRE2_ERROR_UTF8_ERR1, PCRE2_ERROR_BADUTFOFFSET: kind = .badUTF8
        default: kind = .other(code: code)
        }
        return RegexError(pattern: pattern, message: pcre2Message(code), kind: kind)
    }

    /// PCRE2's text for an error code.
    static func pcre2Message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { buf in
            pcre2_get_error_message_8(code, buf.baseAddress, buf.count)
        }
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer.prefix(Int(length)), as: UTF8.self)
    }
}
