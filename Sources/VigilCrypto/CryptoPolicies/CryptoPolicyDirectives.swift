import Foundation

/// The directives of crypto-policies policy files (`NAME.pol`) and sub-policy modules
/// (`NAME.pmod`), read as crypto-policies reads them: `#` starts a comment, a trailing `\`
/// continues a line; `key = v1 v2` sets a list (`key =` empties it), `+v` prepends, `v+`
/// appends and `-v` removes (a line mixes no setting with modifiers; values may hold `*`
/// wildcards); `key@SCOPE = ...` applies where the scope selector matches (`@TLS`,
/// `@{SSH,TLS}`, `@!SSH`, `@open*`, case ignored). Only the keys the checks need are
/// interpreted afterwards.
struct CryptoPolicyDirective: Sendable {
    enum Operation: Sendable { case set, prepend, append, remove }
    var key: String
    var scope: CryptoPolicyScope
    /// A set: the whole new list (`values` empty: the list is emptied); otherwise the
    /// modifiers in order.
    var isSet: Bool
    var values: [(Operation, String)]
    var file: String
    var line: Int

    /// `path:line`.
    var place: String { "\(file):\(line)" }

    /// The directives of one file's text, in order, or the first malformed line
    /// (`path:line: message`).
    static func parse(_ text: String, file: String) -> Result<[CryptoPolicyDirective], CryptoPolicyProblem> {
        var out: [CryptoPolicyDirective] = []
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
            func problem(_ m: String) -> Result<[CryptoPolicyDirective], CryptoPolicyProblem> { .failure(CryptoPolicyProblem("\(file):\(pendingLine): \(m)")) }
            let sides = full.split(separator: "=", omittingEmptySubsequences: false)
            guard sides.count == 2 else { return problem("not 'key = value'") }
            let left = sides[0].trimmingCharacters(in: .whitespaces)
            let parts = left.split(separator: "@", maxSplits: 1).map(String.init)
            guard let key = parts.first, !key.isEmpty else { return problem("no key before '='") }
            let tokens = sides[1].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let ops = tokens.map(operation)
            let modifiers = ops.filter { $0.0 != .set }.count
            guard modifiers == 0 || modifiers == ops.count else { return problem("a line either sets a list or modifies it, not both") }
            out.append(CryptoPolicyDirective(key: key, scope: CryptoPolicyScope(parts.count > 1 ? parts[1] : "*"),
                                             isSet: modifiers == 0, values: ops, file: file, line: pendingLine))
        }
        return .success(out)
    }

    static func operation(_ token: String) -> (Operation, String) {
        if token.count > 1, token.hasPrefix("+") { return (.prepend, String(token.dropFirst())) }
        if token.count > 1, token.hasPrefix("-") { return (.remove, String(token.dropFirst())) }
        if token.count > 1, token.hasSuffix("+") { return (.append, String(token.dropLast())) }
        return (.set, token)
    }
}

/// A scope selector (`*`, `tls`, `{ssh,ipsec}`, `!ssh`, `open*`), matched against the
/// scopes a back-end asks for as crypto-policies matches them: `*` matches every back-end,
/// a positive selector when one of its globs matches one of the scopes, a negated one when
/// none does.
struct CryptoPolicyScope: Sendable {
    let pattern: String
    let positive: Bool
    let globs: [String]

    init(_ text: String) {
        pattern = text.trimmingCharacters(in: .whitespaces).lowercased()
        positive = !pattern.hasPrefix("!")
        let p = positive ? pattern : String(pattern.dropFirst())
        globs = p.hasPrefix("{") && p.hasSuffix("}") && p.count >= 2 ? p.dropFirst().dropLast().split(separator: ",").map(String.init) : [p]
    }

    func matches(_ scopes: [String]) -> Bool {
        if pattern == "*" { return true }
        let hit = globs.contains { g in scopes.contains { fnmatch(g, $0, 0) == 0 } }
        return positive ? hit : !hit
    }
}

/// A list-valued property (`hash`, `sign`) as the directives leave it for one back-end:
/// each entry with the directive that put it there.
struct CryptoPolicyList: Sendable {
    /// Each value present, with its position key (prepends count down, appends up) and the
    /// place of the directive that put it there: every operation on a name is one lookup,
    /// so long lists and wildcards cost time linear in the names they touch.
    private var live: [String: (order: Int, place: String)] = [:]
    private var first = 0, last = 0

    /// The entries in list order.
    var entries: [(value: String, place: String)] {
        live.sorted { $0.value.order < $1.value.order }.map { ($0.key, $0.value.place) }
    }

    /// Applies `d`; `expand` gives the names a value stands for (a wildcard's matches).
    mutating func apply(_ d: CryptoPolicyDirective, expand: (String) -> [String]) {
        if d.isSet { live = [:] }
        for (op, v) in d.values {
            for name in expand(v) {
                switch op {
                case .remove: live[name] = nil
                case .prepend: first -= 1; live[name] = (first, d.place)
                case .append, .set: if live[name] == nil { last += 1; live[name] = (last, d.place) }
                }
            }
        }
    }
}
