import Foundation

/// The module information text of a Go binary (what `go version -m` prints after the
/// version): the main package path, the main module and its dependencies, and the `build`
/// settings (`-tags`, `CGO_ENABLED`, `GOEXPERIMENT`, `DefaultGODEBUG`, `GOFIPS140`, ...).
public struct GoModuleInfo: Sendable, Equatable {
    /// One `mod` or `dep` line: path, version, and sum when given.
    public struct Module: Sendable, Equatable {
        public var path: String
        public var version: String
    }

    /// The `path` line: the main package.
    public var path: String?
    /// The `mod` line.
    public var main: Module?
    /// The `dep` lines.
    public var dependencies: [Module] = []
    /// The `build` lines in order, keys and values unquoted.
    public var settings: [(key: String, value: String)] = []

    public static func == (a: GoModuleInfo, b: GoModuleInfo) -> Bool {
        a.path == b.path && a.main == b.main && a.dependencies == b.dependencies
            && a.settings.elementsEqual(b.settings) { $0.key == $1.key && $0.value == $1.value }
    }

    /// The last value of build setting `key` (Go keeps one per key), or nil.
    public func setting(_ key: String) -> String? { settings.last { $0.key == key }?.value }

    /// Parses the text leniently, as `go version -m` prints it: unknown lines are kept out,
    /// a quoted key or value is unquoted with Go's rules.
    public init(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2 else { continue }
            switch fields[0] {
            case "path": path = fields[1]
            case "mod": main = Module(path: fields[1], version: fields.count > 2 ? fields[2] : "")
            case "dep": dependencies.append(Module(path: fields[1], version: fields.count > 2 ? fields[2] : ""))
            case "=>":
                // A replacement of the preceding module: keep the replacement's version.
                if !dependencies.isEmpty, fields.count > 2 { dependencies[dependencies.count - 1].version = fields[2] }
            case "build":
                if let setting = Self.buildSetting(fields.dropFirst().joined(separator: "\t")) { settings.append(setting) }
            default: continue
            }
        }
    }

    /// `key=value`, either side possibly a Go quoted string.
    static func buildSetting(_ s: String) -> (key: String, value: String)? {
        var rest = Substring(s)
        let key: String
        if rest.first == "\"" {
            guard let (k, after) = GoQuoted.unquotePrefix(rest), after.first == "=" else { return nil }
            key = k
            rest = after.dropFirst()
        } else {
            guard let eq = rest.firstIndex(of: "=") else { return nil }
            key = String(rest[..<eq])
            rest = rest[rest.index(after: eq)...]
        }
        if rest.first == "\"", let (v, after) = GoQuoted.unquotePrefix(rest), after.isEmpty { return (key, v) }
        return (key, String(rest))
    }
}

/// Go's double-quoted string literals (`strconv.Quote`), as build settings with spaces or
/// quotes are written.
enum GoQuoted {
    /// The unquoted literal at the start of `s` and what follows it, or nil if malformed.
    static func unquotePrefix(_ s: Substring) -> (String, Substring)? {
        let bytes = Array(s.utf8)
        guard bytes.first == UInt8(ascii: "\"") else { return nil }
        var out: [UInt8] = []
        var i = 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                return (String(decoding: out, as: UTF8.self), Substring(String(decoding: bytes[(i + 1)...], as: UTF8.self)))
            }
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < bytes.count, let used = escape(bytes, i + 1, into: &out) else { return nil }
            i += 1 + used
        }
        return nil
    }

    /// Decodes the escape whose letter is at `at`; returns the bytes consumed.
    private static func escape(_ b: [UInt8], _ at: Int, into out: inout [UInt8]) -> Int? {
        let simple: [UInt8: UInt8] = [0x61: 7, 0x62: 8, 0x66: 12, 0x6e: 10, 0x72: 13, 0x74: 9, 0x76: 11,
                                      0x5c: 0x5c, 0x22: 0x22, 0x27: 0x27]
        if let v = simple[b[at]] { out.append(v); return 1 }
        let digits: Int
        let radix: Int
        switch b[at] {
        case UInt8(ascii: "x"): (digits, radix) = (2, 16)
        case UInt8(ascii: "u"): (digits, radix) = (4, 16)
        case UInt8(ascii: "U"): (digits, radix) = (8, 16)
        case UInt8(ascii: "0")...UInt8(ascii: "7"): (digits, radix) = (3, 8)
        default: return nil
        }
        let start = radix == 8 ? at : at + 1
        guard start + digits <= b.count, let v = UInt32(String(decoding: b[start..<start + digits], as: UTF8.self), radix: radix) else { return nil }
        if b[at] == UInt8(ascii: "x") || radix == 8 {
            guard v <= 0xff else { return nil }
            out.append(UInt8(v))
        } else {
            guard let scalar = Unicode.Scalar(v) else { return nil }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        return start + digits - at
    }
}
