/// One line of sshd_config or ssh_config split as OpenSSH splits it (misc.c `strdelim`
/// for the keyword, `argv_split` for the rest): trailing white space and form feeds
/// dropped, the keyword ends at white space or one `=` (white space around it allowed),
/// arguments are separated by blanks, double or single quotes group, `\` escapes a
/// quote, a backslash or (outside quotes) a space, and `#` at the start of an argument
/// ends the line.
struct SSHConfigLine: Equatable {
    /// The keyword as written.
    var keyword: String
    /// The arguments after quote and escape removal.
    var arguments: [String]

    /// Splits `text`: nil for a blank or comment line, a problem for a line sshd refuses.
    static func parse(_ text: Substring) -> Result<SSHConfigLine, SSHConfigProblem>? {
        var b = Array(text.utf8)
        while let last = b.last, b.count > 1, " \t\r\n\u{0C}".utf8.contains(last) { b.removeLast() }
        var pos = 0
        guard var keyword = delimit(b, &pos) else { return nil }
        if keyword.isEmpty, pos < b.count { guard let k = delimit(b, &pos) else { return nil }; keyword = k }
        if keyword.isEmpty || keyword.first == UInt8(ascii: "#") { return nil }
        let name = String(decoding: keyword, as: UTF8.self)
        let rest = pos < b.count ? Array(b[pos...]) : []
        if rest.isEmpty { return .failure(.syntax("no argument after keyword \"\(name)\"")) }
        guard let args = split(rest) else { return .failure(.syntax("invalid quotes")) }
        return .success(SSHConfigLine(keyword: name, arguments: args))
    }

    /// `strdelim`: the token at `pos`, `pos` moved past the delimiter (one `=` allowed).
    private static func delimit(_ b: [UInt8], _ pos: inout Int) -> [UInt8]? {
        let ws: Set<UInt8> = [0x20, 0x09, 0x0D, 0x0A]
        let start = pos
        var i = pos
        while i < b.count, !ws.contains(b[i]), b[i] != 0x22, b[i] != 0x3D { i += 1 }
        if i == b.count { pos = b.count; return Array(b[start..<i]) }
        if b[i] == 0x22 {
            var token = Array(b[start..<i])
            var j = i + 1
            while j < b.count, b[j] != 0x22 { token.append(b[j]); j += 1 }
            guard j < b.count else { return nil }
            j += 1
            while j < b.count, ws.contains(b[j]) { j += 1 }
            pos = j
            return token
        }
        let wasEquals = b[i] == 0x3D
        var j = i + 1
        while j < b.count, ws.contains(b[j]) { j += 1 }
        if !wasEquals, j < b.count, b[j] == 0x3D {
            j += 1
            while j < b.count, ws.contains(b[j]) { j += 1 }
        }
        pos = j
        return Array(b[start..<i])
    }

    /// `argv_split` with comments ending the line; nil on an unterminated quote.
    private static func split(_ s: [UInt8]) -> [String]? {
        var out: [String] = []
        var i = 0
        while i < s.count {
            if s[i] == 0x20 || s[i] == 0x09 { i += 1; continue }
            if s[i] == UInt8(ascii: "#") { break }
            var arg: [UInt8] = []
            var quote: UInt8 = 0
            while i < s.count {
                let c = s[i]
                if c == 0x5C, i + 1 < s.count,
                   [0x27, 0x22, 0x5C].contains(s[i + 1]) || (quote == 0 && s[i + 1] == 0x20) {
                    i += 1
                    arg.append(s[i])
                } else if quote == 0, c == 0x20 || c == 0x09 {
                    break
                } else if quote == 0, c == 0x22 || c == 0x27 {
                    quote = c
                } else if quote != 0, c == quote {
                    quote = 0
                } else {
                    arg.append(c)
                }
                i += 1
            }
            if quote != 0 { return nil }
            out.append(String(decoding: arg, as: UTF8.self))
        }
        return out
    }
}

/// Why OpenSSH would refuse a line or a value.
enum SSHConfigProblem: Error, Equatable, CustomStringConvertible {
    case syntax(String)
    case invalidValue(String)
    case limit(String)
    case unreadable(String)

    var description: String {
        switch self {
        case .syntax(let m), .invalidValue(let m), .limit(let m), .unreadable(let m): return m
        }
    }
}
