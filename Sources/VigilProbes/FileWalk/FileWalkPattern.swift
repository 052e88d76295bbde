import VigilOVAL

/// How a `path` or `filepath` with `operation="pattern match"` is walked, as OpenSCAP
/// 1.3.7's `oval_fts.c` does it: the walk starts at the directory named by the regex's
/// literal prefix (`extract_fixed_path_prefix`), and directories that the caret-anchored
/// regex cannot even partly match (PCRE2 partial matching) are not entered.
struct FileWalkPattern {
    /// The pattern as the object gives it (used unanchored for the final comparison).
    let pattern: String
    /// The pattern with a leading caret, as OpenSCAP anchors it for pruning.
    let anchored: String
    /// The compiled anchored pattern.
    let regex: OVALRegex
    /// The directory the walk starts from.
    let startDirectory: String
    /// Prepares `pattern`; nil when OpenSCAP refuses it (it does not compile, or it cannot
    /// match, even in part, a path starting with "/"), in which case nothing is collected.
    init?(_ pattern: String) {
        self.pattern = pattern
        anchored = pattern.hasPrefix("^") ? pattern : "^" + pattern
        guard let compiled = try? OVALRegex.cached(anchored) else { return nil }
        regex = compiled
        guard let probe = try? compiled.partialMatch("/"), probe != .none else { return nil }
        startDirectory = FileWalkPattern.fixedPathPrefix(pattern)
    }

    /// OpenSCAP's `extract_fixed_path_prefix`: the text before the first unescaped regex
    /// character among `^*?$.([`, cut back to the last "/", with backslash escapes removed;
    /// "/" when that is not an absolute path of two or more characters. Reproduces its
    /// quirks: a backslash before an ordinary character leaves the next special character
    /// treated as escaped, and `+`, `{` and `|` count as literal.
    static func fixedPathPrefix(_ pattern: String) -> String {
        var bytes = Array(pattern.utf8)
        if bytes.first == UInt8(ascii: "^") { bytes.removeFirst() }
        let special = Set("^*?$.([".utf8)
        var s = bytes.count
        var escaped = false
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "\\") {
                escaped.toggle()
            } else if special.contains(b) {
                if !escaped { s = i; break }
                escaped = false
            }
        }
        if s < bytes.count {
            s -= 1
            while s > 1 && bytes[s] != UInt8(ascii: "/") { s -= 1 }
        }
        guard s > 1 else { return "/" }
        guard let unescaped = unescape(Array(bytes[0..<s])), unescaped.first == UInt8(ascii: "/") else {
            return "/"
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// OpenSCAP's `__string_unescape`: every backslash takes the next byte literally;
    /// nil for a trailing backslash.
    static func unescape(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { return nil }
                out.append(bytes[i + 1])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

}
