/// A YAML Path (v1) as OpenSCAP's yamlfilecontent probe understands it (its
/// `yaml-path` library): `$` or an `&anchor` first, then map keys (`.key`,
/// `['key']`), key selections (`['a','b']`, `.*`, `[*]`), sequence indices (`[0]`)
/// and index sets (`[0,2]`, `[:]`). Examples: `.foo.bar[0]`, `foo[:].name`, `$.a['b c']`.
struct YAMLPath: Sendable, Equatable {
    /// One segment of a path.
    enum Segment: Sendable, Equatable {
        /// The document root (`$`, or implied).
        case root
        /// Start at the node with this anchor (`&name`, only first).
        case anchor(String)
        /// One map key.
        case key(String)
        /// Several map keys; empty means every key (`.*`, `[*]`).
        case selection([String])
        /// One sequence index.
        case index(Int)
        /// Several sequence indices; empty means every index (`[:]`).
        case set([Int])
    }

    var segments: [Segment]

    /// Most keys or indices one bracket may hold.
    static let maxItems = 256

    /// A path that cannot be parsed: the message names the problem as `yaml-path` does.
    struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Parses `text`, following `yaml-path`'s grammar and its quirks (`[]` is `[0]`,
    /// characters after a `]` that start no segment are ignored).
    init(parsing text: String) throws {
        var parser = YAMLPathParser(Array(text.utf8))
        segments = try parser.parse()
    }
}

/// The parser behind `YAMLPath(parsing:)`.
private struct YAMLPathParser {
    let s: [UInt8]
    var segments: [YAMLPath.Segment] = []

    init(_ s: [UInt8]) { self.s = s }

    /// The byte at `i`, or 0 past the end (like the NUL of a C string).
    func at(_ i: Int) -> UInt8 { i < s.count ? s[i] : 0 }

    func text(_ from: Int, _ to: Int) -> String { String(decoding: s[from..<to], as: UTF8.self) }

    static let dot = UInt8(ascii: "."), open = UInt8(ascii: "["), close = UInt8(ascii: "]")
    static let star = UInt8(ascii: "*"), comma = UInt8(ascii: ","), colon = UInt8(ascii: ":")

    func fail(_ message: String) -> YAMLPath.ParseError { YAMLPath.ParseError(message: message) }

    /// Index just past a bare key starting at `i` (stops at `.`, `[` or the end).
    func keyEnd(from i: Int) -> Int {
        var e = i
        while e < s.count && s[e] != Self.dot && s[e] != Self.open { e += 1 }
        return e
    }

    mutating func parse() throws -> [YAMLPath.Segment] {
        guard !s.isEmpty else { throw fail("Path string is NULL or empty") }
        var sp = 0
        while sp < s.count {
            switch s[sp] {
            case Self.dot, Self.open:
                if segments.isEmpty { segments.append(.root) }
                sp = s[sp] == Self.dot ? try dotSegment(sp) : try bracketSegment(sp)
            case UInt8(ascii: "&"):
                guard segments.isEmpty else { throw fail("Anchor segment is only allowed at the beginning of the path") }
                let e = keyEnd(from: sp + 1)
                guard e - sp > 1 else { throw fail("Segment anchor is invalid (empty)") }
                segments.append(.anchor(text(sp + 1, e)))
                sp = e - 1
            case UInt8(ascii: "$"):
                guard segments.isEmpty else { throw fail("Root segment is only allowed at the beginning of the path") }
                segments.append(.root)
            default:
                if segments.isEmpty {
                    let e = keyEnd(from: sp + 1)
                    segments.append(.root)
                    segments.append(.key(text(sp, e)))
                    sp = e - 1
                }
            }
            sp += 1
        }
        guard !segments.isEmpty else { throw fail("Invalid, empty or meaningless path") }
        return segments
    }

    /// `.key` or `.*` at `sp`; returns the index of its last byte.
    mutating func dotSegment(_ sp: Int) throws -> Int {
        if at(sp + 1) == Self.star {
            segments.append(.selection([]))
            return keyEnd(from: sp + 1) - 1
        }
        let e = keyEnd(from: sp + 1)
        guard e != sp + 1 else { throw fail("Segment key is missing") }
        segments.append(.key(text(sp + 1, e)))
        return e - 1
    }

    /// `[...]` at `sp`; returns the index of its closing bracket.
    mutating func bracketSegment(_ sp: Int) throws -> Int {
        let first = at(sp + 1)
        if first == Self.star && at(sp + 2) == Self.close {
            segments.append(.selection([]))
            return sp + 2
        }
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") { return try quotedKeys(sp + 1) }
        if first == Self.colon && at(sp + 2) == Self.close {
            segments.append(.set([]))
            return sp + 2
        }
        return try indices(sp)
    }

    /// `'a'` or `'a','b',...` starting at the first quote `q0`; returns the `]` index.
    mutating func quotedKeys(_ q0: Int) throws -> Int {
        var keys: [String] = []
        var sp = q0, spe = q0
        while at(spe) != Self.close && spe < s.count {
            guard keys.count < YAMLPath.maxItems else {
                throw fail("Segment keys selection has reached the limit of keys: \(YAMLPath.maxItems)")
            }
            let quote = s[spe]
            spe += 1
            while spe < s.count && s[spe] != quote { spe += 1 }
            guard spe < s.count else {
                throw fail("Segment key is invalid (unexpected end of string, missing closing quotation mark)")
            }
            guard spe != sp + 1 else { throw fail("Segment key is missing") }
            spe += 1
            guard spe < s.count else { throw fail("Segment key is invalid (unexpected end of string, missing ']')") }
            if s[spe] == Self.close {
                keys.append(text(sp + 1, spe - 1))
            } else if s[spe] == Self.comma {
                spe += 1
                guard at(spe) == UInt8(ascii: "'") || at(spe) == UInt8(ascii: "\"") else {
                    throw fail("Segment keys selection is invalid (invalid character)")
                }
                keys.append(text(sp + 1, spe - 2))
                sp = spe
            } else {
                throw fail("Segment key is invalid (invalid character)")
            }
        }
        if keys.count == 1 {
            segments.append(.key(keys[0]))
        } else if keys.count > 1 {
            segments.append(.selection(keys))
        }
        return spe
    }

    /// `[n]` or `[n,m,...]` at `open`; returns the `]` index.
    mutating func indices(_ open: Int) throws -> Int {
        var sp = open
        var spe = skipBlanks(open + 1)
        guard at(spe) != UInt8(ascii: "-") else { throw fail("Segment index is invalid (negative number)") }
        var idx: Int
        (idx, spe) = strtoul(spe)
        if at(spe) == Self.close {
            segments.append(.index(idx))
            return spe
        }
        guard at(spe) == Self.comma else {
            if spe >= s.count { throw fail("Segment index is invalid (unexpected end of string, missing ']')") }
            throw fail("Segment index is invalid (invalid character)")
        }
        var set: [Int] = []
        while at(spe) == Self.comma && spe > sp + 1 {
            guard set.count < YAMLPath.maxItems else {
                throw fail("Segment indices set has reached the limit of indices: \(YAMLPath.maxItems)")
            }
            sp = spe
            set.append(idx)
            spe = skipBlanks(spe + 1)
            guard at(spe) != UInt8(ascii: "-") else { throw fail("Segment set index is invalid (negative number)") }
            (idx, spe) = strtoul(spe)
        }
        guard at(spe) == Self.close && spe > sp + 1 else {
            throw fail("Segment set is invalid (invalid character)")
        }
        set.append(idx)
        segments.append(.set(set))
        return spe
    }

    func skipBlanks(_ i: Int) -> Int {
        var e = i
        while at(e) == 0x20 || at(e) == 0x09 { e += 1 }
        return e
    }

    /// C's `strtoul(…, 10)` at `i`: the value (clamped to `Int.max`) and the index after
    /// it; no digits gives 0 and `i`.
    func strtoul(_ i: Int) -> (Int, Int) {
        guard i < s.count else { return (0, i) }
        let number = CNumber(scanning: s[i...])
        guard number.digits > 0 else { return (0, i) }
        let value = number.unsignedValue.value
        // Indices past Int.max can never match a sequence position.
        return (value > UInt64(Int.max) ? Int.max : Int(value), i + number.length)
    }
}
