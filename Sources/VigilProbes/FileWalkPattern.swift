import VigilOVAL

/// How a `path` or `filepath` with `operation="pattern match"` is walked, as OpenSCAP
/// 1.3.7's `oval_fts.c` does it: the walk starts at the directory named by the regex's
/// literal prefix (`extract_fixed_path_prefix`), and directories that the caret-anchored
/// regex cannot match are not entered.
struct FileWalkPattern {
    /// The pattern as the object gives it (used unanchored for the final comparison).
    let pattern: String
    /// The pattern with a leading caret, as OpenSCAP anchors it for pruning.
    let anchored: String
    /// The compiled anchored pattern.
    let regex: OVALRegex
    /// The directory the walk starts from.
    let startDirectory: String
    /// A literal text every match must start with, for pruning ("" when unknown).
    let literalPrefix: String
    private let literalBytes: [UInt8]

    /// Prepares `pattern`; nil when OpenSCAP refuses it (it does not compile, or it cannot
    /// match a path starting with "/"), in which case nothing is collected.
    init?(_ pattern: String) {
        self.pattern = pattern
        anchored = pattern.hasPrefix("^") ? pattern : "^" + pattern
        guard let compiled = try? OVALRegex.cached(anchored) else { return nil }
        regex = compiled
        literalPrefix = FileWalkPattern.literalPrefix(ofAnchored: anchored)
        literalBytes = Array(literalPrefix.utf8)
        // OpenSCAP requires the anchored pattern to (partially) match "/"; a literal start
        // other than "/" cannot.
        if let first = literalPrefix.first, first != "/" { return nil }
        startDirectory = FileWalkPattern.fixedPathPrefix(pattern)
    }

    /// Whether some path inside `directory` could still match (false prunes it).
    func mayMatchBelow(_ directory: String) -> Bool {
        guard !literalPrefix.isEmpty else { return true }
        // Byte-wise, as the regex engine sees the path.
        let dir = Array(directory.utf8)
        return literalBytes.starts(with: dir) || dir.starts(with: literalBytes)
    }

    /// Whether the anchored pattern matches `path` (a prefix of it suffices, as with
    /// OpenSCAP's partial matching); throws when matching fails.
    func anchoredMatch(_ path: String) throws -> Bool {
        try regex.isMatch(path)
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

    /// The literal text every match of a caret-anchored pattern starts with: characters
    /// up to the first regex construct, without a character a quantifier applies to;
    /// "" when the pattern has an alternation (which could bypass the prefix).
    static func literalPrefix(ofAnchored anchored: String) -> String {
        var chars = Array(anchored.unicodeScalars)
        guard chars.first == "^" else { return "" }
        chars.removeFirst()
        // Any unescaped "|" may offer another start: do not prune at all.
        var escapedBar = false
        for c in chars {
            if escapedBar { escapedBar = false; continue }
            if c == "\\" { escapedBar = true; continue }
            if c == "|" { return "" }
        }
        var literal: [Unicode.Scalar] = []
        var i = 0
        let stops: Set<Unicode.Scalar> = ["^", "$", ".", "|", "?", "*", "+", "(", ")", "[", "]", "{", "}"]
        let quantifiers: Set<Unicode.Scalar> = ["?", "*", "+", "{"]
        while i < chars.count {
            let c = chars[i]
            var next = i + 1
            var lit: Unicode.Scalar
            if c == "\\" {
                guard i + 1 < chars.count else { break }
                let e = chars[i + 1]
                // Escaped punctuation is literal; \d, \w, \Q, \x.. and friends end the prefix.
                guard e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) else { break }
                lit = e
                next = i + 2
            } else if stops.contains(c) {
                break
            } else {
                lit = c
            }
            if next < chars.count, quantifiers.contains(chars[next]) { break }
            literal.append(lit)
            i = next
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: literal)
        return String(out)
    }
}
