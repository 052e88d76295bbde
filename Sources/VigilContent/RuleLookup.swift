/// The names people type for rules and profiles: a full XCCDF id, or its short id, the
/// part after `_rule_` or `_profile_` (`accounts_password_minlen` for
/// `xccdf_org.ssgproject.content_rule_accounts_password_minlen`), as waivers and
/// `--profile` take them. When a name matches nothing, `nearest` offers the closest ones.
public enum ItemNames {
    /// The most suggestions a "did you mean" offers.
    public static let maxSuggestions = 3

    /// The short id of a rule (`kind` "rule") or profile (`kind` "profile"): the part
    /// after the first `_<kind>_`, or the whole id when it has none.
    public static func shortID(_ id: String, kind: String = "rule") -> String {
        guard let r = id.range(of: "_\(kind)_") else { return id }
        let rest = id[r.upperBound...]
        return rest.isEmpty ? id : String(rest)
    }

    /// Ids among `ids` that `name` names: the id itself, else every id whose short id
    /// (after `_<kind>_`) is `name`.
    public static func matches(_ name: String, in ids: [String], kind: String = "rule") -> [String] {
        if ids.contains(name) { return [name] }
        return ids.filter { $0.hasSuffix("_\(kind)_" + name) }
    }

    /// Up to `maxSuggestions` ids among `ids` whose short ids are nearest `name` (Levenshtein
    /// distance, ignoring case), nearest first. An id qualifies when its short id is within
    /// a third of the name's length (at least 2 edits), or holds the name (4 characters or
    /// more) as a part; none is offered when nothing is that close.
    public static func nearest(_ name: String, among ids: [String], kind: String = "rule") -> [String] {
        let typed = Array(shortID(name, kind: kind).lowercased().unicodeScalars)
        guard !typed.isEmpty else { return [] }
        let limit = max(2, typed.count / 3)
        var scored: [(distance: Int, id: String)] = []
        for id in ids {
            let candidate = Array(shortID(id, kind: kind).lowercased().unicodeScalars)
            let d = editDistance(typed, candidate)
            if d <= limit || (typed.count >= 4 && contains(candidate, typed)) { scored.append((d, id)) }
        }
        scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.id < $1.id }
        return scored.prefix(maxSuggestions).map(\.id)
    }

    /// " (did you mean a, b?)" with the suggestions' short ids, or "" when there are none.
    public static func didYouMean(_ suggestions: [String], kind: String = "rule") -> String {
        suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { shortID($0, kind: kind) }.joined(separator: ", "))?)"
    }

    /// The Levenshtein distance between two strings of scalars (insertions, deletions and
    /// substitutions each cost 1), in two rows of memory.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    static func contains(_ haystack: [Unicode.Scalar], _ needle: [Unicode.Scalar]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}

/// The answer to a rule lookup by name (`XCCDFBenchmark.rule(named:)`).
public enum RuleLookup: Sendable, Equatable {
    /// The rule's full id.
    case found(String)
    /// A short id that several rules share.
    case ambiguous([String])
    /// No rule by that name; the nearest names (full ids), maybe none.
    case unknown(suggestions: [String])
}

extension XCCDFBenchmark {
    /// A rule by full id or short id (`accounts_password_minlen`).
    public func rule(named name: String) -> RuleLookup {
        if rules[name] != nil { return .found(name) }
        let found = ItemNames.matches(name, in: ruleOrder)
        switch found.count {
        case 1: return .found(found[0])
        case 0: return .unknown(suggestions: ItemNames.nearest(name, among: ruleOrder))
        default: return .ambiguous(found)
        }
    }
}
