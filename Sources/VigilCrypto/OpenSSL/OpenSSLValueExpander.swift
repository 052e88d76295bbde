/// Turns the raw text of a value (or an `.include` path, or a section name) into what
/// OpenSSL stores, as `str_copy` in `conf_def.c` does: quotes (`'`, `"`, `` ` ``) keep
/// their content (a backslash inside escapes the next byte), a backslash outside quotes
/// escapes the next byte (`\n`, `\r`, `\b`, `\t` translated), and `$name`, `${name}`,
/// `$(name)`, `$section::name` insert a value defined earlier: from `section` (the current
/// one unless named), else from the default section. `$ENV::NAME` reads the `ENV` section
/// written in the file; the environment of the programs that use the configuration is not
/// known to a scan and counts as empty. A name with no value is an error, as is a result
/// longer than 65,536 bytes (OpenSSL's `MAX_CONF_VALUE_LENGTH`).
struct OpenSSLValueExpander {
    static let maxLength = 65536
    let config: OpenSSLConfig
    let dollarID: Bool

    func expand(_ s: ArraySlice<UInt8>, section: String?) throws(ExpansionError) -> String {
        let s = Array(s)
        var out: [UInt8] = []
        var i = 0
        while i < s.count {
            let c = s[i]
            if OpenSSLConfigSyntax.isQuote(c) {
                i += 1
                while i < s.count, s[i] != c {
                    if s[i] == OpenSSLConfigSyntax.escape { i += 1; if i >= s.count { break } }
                    out.append(s[i]); i += 1
                }
                if i < s.count { i += 1 }
            } else if c == OpenSSLConfigSyntax.escape {
                guard i + 1 < s.count else { break }
                out.append(Self.unescape(s[i + 1])); i += 2
            } else if c == OpenSSLConfigSyntax.dollar, !dollarID || (i + 1 < s.count && (s[i + 1] == 0x7B || s[i + 1] == 0x28)) {
                let (value, next) = try reference(s, at: i, section: section)
                out += value.utf8
                i = next
                if out.count > Self.maxLength { throw .tooLong }
            } else {
                out.append(c); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of the reference starting at `s[at]` (a `$`) and the index after it.
    private func reference(_ s: [UInt8], at: Int, section: String?) throws(ExpansionError) -> (String, Int) {
        var i = at + 1
        var close: UInt8? = nil
        if i < s.count, s[i] == 0x7B { close = 0x7D } else if i < s.count, s[i] == 0x28 { close = 0x29 }
        if close != nil { i += 1 }
        var refSection = section
        var name = scanName(s, &i)
        var written = name
        if i + 1 < s.count, s[i] == 0x3A, s[i + 1] == 0x3A {
            refSection = name
            i += 2
            name = scanName(s, &i)
            written += "::" + name
        }
        if let close {
            guard i < s.count, s[i] == close else { throw .noCloseBrace }
            i += 1
        }
        guard let value = lookup(refSection, name) else { throw .noValue(written) }
        return (value, i)
    }

    private func scanName(_ s: [UInt8], _ i: inout Int) -> String {
        let start = i
        while i < s.count, OpenSSLConfigSyntax.isAlnum(s[i]) || (dollarID && s[i] == OpenSSLConfigSyntax.dollar) { i += 1 }
        return String(decoding: s[start..<i], as: UTF8.self)
    }

    private func lookup(_ section: String?, _ name: String) -> String? {
        config.entry(section, name)?.value
    }

    static func unescape(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "t"): return 0x09
        default: return c
        }
    }

    /// Why a value cannot be expanded.
    enum ExpansionError: Error, CustomStringConvertible {
        case noValue(String)
        case noCloseBrace
        case tooLong
        var description: String {
            switch self {
            case .noValue(let name): return "variable '\(name)' has no value (the environment of the programs is unknown and counts as empty)"
            case .noCloseBrace: return "no closing brace in a variable reference"
            case .tooLong: return "value longer than \(OpenSSLValueExpander.maxLength) bytes after expansion"
            }
        }
    }
}
