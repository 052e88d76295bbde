import VigilContent

/// A profile resolved against its benchmark: which rules are selected, the value of
/// every XCCDF Value, and rule refinements.
public struct Policy: Sendable {
    /// The profile id, nil for the benchmark defaults, "(all)" for every rule.
    public let profileID: String?
    public let selected: Set<String>
    /// Every Value's chosen value, by Value id.
    public let values: [String: String]
    /// Values the profile set or refined (written to results as set-value).
    public let changedValues: [String]
    public let refinements: [String: (severity: String?, weight: Double?, role: String?, selector: String?)]

    /// Special profile name that selects every rule, as `oscap --profile '(all)'`.
    public static let all = "(all)"

    /// Resolves `profile` (nil: defaults; `Policy.all`; or a profile of the benchmark).
    public init(benchmark b: XCCDFBenchmark, profile: XCCDFProfile?, selectAll: Bool = false) throws {
        var itemSelected: [String: Bool] = [:]
        for (id, g) in b.groups { itemSelected[id] = g.selected }
        for (id, r) in b.rules { itemSelected[id] = r.selected }
        var valueSelector: [String: String] = [:]
        var setValues: [String: String] = [:]
        var refinements: [String: (String?, Double?, String?, String?)] = [:]
        var changed: [String] = []

        var chain: [XCCDFProfile] = []
        var next = profile
        while let p = next {
            if chain.contains(where: { $0.id == p.id }) { throw EngineError("profile \(p.id) extends itself") }
            chain.insert(p, at: 0)
            if let ext = p.extends {
                guard let parent = b.profiles.first(where: { $0.id == ext }) else {
                    throw EngineError("profile \(p.id) extends unknown profile \(ext)")
                }
                next = parent
            } else {
                next = nil
            }
        }
        for p in chain {
            for s in p.selections {
                if itemSelected[s.idref] != nil { itemSelected[s.idref] = s.selected }
            }
            for rv in p.refineValues { valueSelector[rv.idref] = rv.selector; changed.append(rv.idref) }
            for sv in p.setValues { setValues[sv.idref] = sv.value; changed.append(sv.idref) }
            for rr in p.refineRules { refinements[rr.idref] = (rr.severity, rr.weight, rr.role, rr.selector) }
        }
        if selectAll { for k in itemSelected.keys { itemSelected[k] = true } }

        var selected = Set<String>()
        for (id, rule) in b.rules {
            guard itemSelected[id] == true else { continue }
            var parent = rule.parent
            var ok = true
            while let g = parent {
                if itemSelected[g] != true { ok = false; break }
                parent = b.groups[g]?.parent
            }
            if ok { selected.insert(id) }
        }
        // XCCDF requires/conflicts, resolved as OpenSCAP 1.3.7 does while it evaluates:
        // rules in benchmark order; a selected rule is left out when one of its
        // requirements has no selected item, or when an item it conflicts with is
        // selected, and from then on it counts as unselected for the rules after it (of
        // two rules that conflict with each other, the later one stays). An item counts as
        // selected by its own selection (profile or default), whatever its groups say.
        var current = itemSelected
        for id in b.ruleOrder where selected.contains(id) {
            guard let rule = b.rules[id] else { continue }
            let missing = rule.requires.contains { alternatives in !alternatives.contains { current[$0] == true } }
            let conflicting = rule.conflicts.contains { current[$0] == true }
            if missing || conflicting {
                selected.remove(id)
                current[id] = false
            }
        }
        var values: [String: String] = [:]
        for (id, v) in b.values {
            if let set = setValues[id] { values[id] = set; continue }
            let sel = valueSelector[id] ?? ""
            values[id] = v.values[sel] ?? v.values[""] ?? v.values.values.first ?? ""
        }
        var seen = Set<String>()
        self.changedValues = changed.filter { b.values[$0] != nil && seen.insert($0).inserted }
        self.profileID = selectAll ? Policy.all : profile?.id
        self.selected = selected
        self.values = values
        self.refinements = refinements
    }
}

/// An error that stops a scan before it starts (bad arguments or content).
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
