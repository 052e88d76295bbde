/// The character classes and the low-level scanning of OpenSSL's configuration format, as
/// config(5) describes it and `crypto/conf/conf_def.c` implements it with its default
/// (non-Windows) key set. Works on bytes: a configuration is not required to be UTF-8.
enum OpenSSLConfigSyntax {
    static let escape = UInt8(ascii: "\\")
    static let comment = UInt8(ascii: "#")
    static let dollar = UInt8(ascii: "$")

    /// Letters, digits and `_` (what a variable name after `$` may hold).
    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    /// `isAlnum` plus the punctuation allowed in names and section names.
    static func isAlnumPunct(_ c: UInt8) -> Bool {
        isAlnum(c) || Array("!.%&*+,/;?@^~|-".utf8).contains(c)
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
    /// The quote characters of the default key set: `'`, `"` and `` ` ``.
    static func isQuote(_ c: UInt8) -> Bool { c == 0x22 || c == 0x27 || c == 0x60 }

    /// The index of the first byte at or after `i` that is not white space.
    static func skipSpace(_ s: [UInt8], _ i: Int) -> Int {
        var i = i
        while i < s.count, isSpace(s[i]) { i += 1 }
        return i
    }

    /// `s` without trailing white space.
    static func trimTrailing(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var end = s.endIndex
        while end > s.startIndex, isSpace(s[end - 1]) { end -= 1 }
        return s[s.startIndex..<end]
    }

    /// The end of the name starting at `i` (alphanumerics and punctuation, `$` too with
    /// `dollarid`; an escaped byte counts as part of the name).
    static func nameEnd(_ s: [UInt8], _ i: Int, dollarID: Bool) -> Int {
        var i = i
        while i < s.count {
            if s[i] == escape { i = min(i + 2, s.count); continue }
            guard isAlnumPunct(s[i]) || (dollarID && s[i] == dollar) else { break }
            i += 1
        }
        return i
    }

    /// The line with its comment removed: a `#` outside quotes and not escaped starts it.
    static func stripComment(_ s: [UInt8]) -> [UInt8] {
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == comment { return Array(s[0..<i]) }
            if isQuote(c) {
                i += 1
                while i < s.count, s[i] != c {
                    if s[i] == escape { i += 1 }
                    i += 1
                }
                i += 1
            } else if c == escape {
                i += 2
            } else {
                i += 1
            }
        }
        return s
    }
}
