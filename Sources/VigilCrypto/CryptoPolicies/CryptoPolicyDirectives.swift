import Foundation

/// The directives of crypto-policies policy files (`NAME.pol`) and sub-policy modules
/// (`NAME.pmod`), and the effective values they give. Syntax (crypto-policies(7)):
/// `key = v1 v2` sets a list, `key = +v` prepends, `key = v+` appends, `key = -v`
/// removes (values may hold `*` wildcards); `key@SCOPE = ...` applies to a scope (`@TLS`)
/// or several (`@{SSH,TLS}`), names compared without case; a negated or wildcard scope
/// (`@!SSH`, `@*`) is kept as a scope of that name, which can only over-report what a
/// policy allows, never hide it; `#` starts a comment
/// and a trailing `\` continues a line. Only the keys the checks need are interpreted.
struct CryptoPolicyDirective: Sendable {
    enum Operation: Sendable { case set, prepend, append, remove }
    var key: String
    /// The scopes after `@` (lower case, `{a,b}` split), empty for every scope.
    var scopes: Set<String>
    /// Each value with its operation (a `set` line holds only `set` values).
    var values: [(Operation, String)]
    var file: String
    var line: Int

    /// `path:line`.
    var place: String { "\(file):\(line)" }

    /// The directives of one file's text, in order; malformed lines are returned as
    /// problems (`path:line: message`).
    static func parse(_ text: String, file: String) -> (directives: [CryptoPolicyDirective], problems: [String]) {
        var out: [CryptoPolicyDirective] = [], problems: [String] = []
        var pending = "", pendingLine = 0
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty { pendingLine = i + 1 }
            if line.hasSuffix("\\") { pending += line.dropLast() + " "; continue }
            let full = (pending + line).trimmingCharacters(in: .whitespaces)
            pending = ""
            guard !full.isEmpty else { continue }
            guard let eq = full.firstIndex(of: "=") else {
                problems.append("\(file):\(pendingLine): not 'key = value'")
                continue
            }
            let left = full[..<eq].trimmingCharacters(in: .whitespaces)
            let parts = left.split(separator: "@", maxSplits: 1).map(String.init)
            guard let key = parts.first, !key.isEmpty else {
                problems.append("\(file):\(pendingLine): no key before '='")
                continue
            }
            let tokens = full[full.index(after: eq)...].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            out.append(CryptoPolicyDirective(key: key, scopes: parts.count > 1 ? scopeNames(parts[1]) : [],
                                             values: tokens.map(operation), file: file, line: pendingLine))
        }
        return (out, problems)
    }

    /// `TLS` → {tls}; `{SSH,TLS}` → {ssh, tls}.
    static func scopeNames(_ text: String) -> Set<String> {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard t.hasPrefix("{"), t.hasSuffix("}"), t.count > 2 else { return [t] }
        return Set(t.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    static func operation(_ token: String) -> (Operation, String) {
        if token.count > 1, token.hasPrefix("+") { return (.prepend, String(token.dropFirst())) }
        if token.count > 1, token.hasPrefix("-") { return (.remove, String(token.dropFirst())) }
        if token.count > 1, token.hasSuffix("+") { return (.append, String(token.dropLast())) }
        return (.set, token)
    }
}

/// A list-valued property (`hash`, `sign`) as the directives leave it in one scope: each
/// entry with the directive that put it there.
struct CryptoPolicyList: Sendable {
    var entries: [(value: String, place: String)] = []

    /// Applies `d`; wildcards are expanded against `universe` (the names known).
    mutating func apply(_ d: CryptoPolicyDirective, universe: [String]) {
        func expand(_ v: String) -> [String] {
            guard v.contains("*") || v.contains("?") else { return [v] }
            return universe.filter { fnmatch(v, $0, 0) == 0 }
        }
        let sets = d.values.filter { $0.0 == .set }
        if !sets.isEmpty {
            entries = sets.flatMap { expand($0.1) }.map { ($0, d.place) }
        }
        for (op, v) in d.values where op != .set {
            let names = expand(v)
            entries.removeAll { names.contains($0.value) }
            switch op {
            case .prepend: entries.insert(contentsOf: names.map { ($0, d.place) }, at: 0)
            case .append: entries += names.map { ($0, d.place) }
            default: break
            }
        }
    }
}

/// The effective values of a policy with its sub-policies, per scope.
struct CryptoPolicyValues: Sendable {
    let directives: [CryptoPolicyDirective]

    /// Names that stand for SHA-1 in `hash` and `sign` (with the wildcards' universe).
    static let sha1Names = ["SHA1", "RSA-SHA1", "DSA-SHA1", "ECDSA-SHA1", "RSA-PSS-SHA1"]

    /// Whether a `hash` or `sign` entry is SHA-1.
    static func isSHA1(_ name: String) -> Bool {
        name.uppercased().split(separator: "-").contains("SHA1")
    }

    /// For each scope the directives of `key` name (nil, the global one, first), the
    /// directives that apply there in order: the global ones and the scope's own.
    func applicable(_ key: String) -> [(scope: String?, directives: [CryptoPolicyDirective])] {
        var global: [Int] = [], byScope: [String: [Int]] = [:], order: [String] = []
        for (i, d) in directives.enumerated() where d.key == key {
            guard !d.scopes.isEmpty else { global.append(i); continue }
            for s in d.scopes.sorted() {
                if byScope[s] == nil { order.append(s) }
                byScope[s, default: []].append(i)
            }
        }
        let scoped = order.map { s -> (String?, [CryptoPolicyDirective]) in
            (s, (global + byScope[s, default: []]).sorted().map { directives[$0] })
        }
        return [(nil, global.map { directives[$0] })] + scoped
    }

    /// The list `key` in each scope its directives name (nil: the global one).
    func lists(_ key: String) -> [(scope: String?, list: CryptoPolicyList)] {
        let own = directives.filter { $0.key == key }
        let universe = Set(Self.sha1Names + own.flatMap { $0.values.map(\.1) }.filter { !$0.contains("*") && !$0.contains("?") }).sorted()
        return applicable(key).map { scope, ds in
            var l = CryptoPolicyList()
            for d in ds { l.apply(d, universe: universe) }
            return (scope, l)
        }
    }

    /// The scalar `key` in each scope: the last value set, with its place (nil: never set).
    func scalars(_ key: String) -> [(scope: String?, value: (text: String, place: String)?)] {
        applicable(key).map { scope, ds in
            (scope, ds.last(where: { !$0.values.isEmpty }).map { ($0.values.last!.1, $0.place) })
        }
    }
}
