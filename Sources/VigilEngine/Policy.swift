import VigilContent

/// A profile resolved against its benchmark: which rules are selected, the value of
/// every XCCDF Value, and rule refinements.
public struct Policy: Sendable {
    /// The profile id, nil for the benchmark defaults, "(all)" for every rule.
    public let profileID: String?
    public let selected: Set<String>
    /// The rules selected with their groups before `requires`/`conflicts` drop any: the
    /// rules `oscap xccdf generate fix --profile` writes fixes for.
    public let selectedIgnoringRequirements: Set<String>
    /// Every Value's chosen value, by Value id.
    public let values: [String: String]
    /// Values the profile set or refined (written to results as set-value).
    public let changedValues: [String]
    public let refinements: [String: (severity: String?, weight: Double?, role: String?, selector: String?)]

    /// Resolves `profile` (nil: defaults; `XCCDFNames.allRulesProfile`; or a profile of the benchmark).
    public init(benchmark b: XCCDFBenchmark, profile: XCCDFProfile?, selectAll: Bool = false) throws {
        var settings = ProfileSettings(defaultsOf: b)
        for p in try Policy.chain(from: profile, in: b) { settings.apply(p) }
        if selectAll { for k in settings.itemSelected.keys { settings.itemSelected[k] = true } }
        var selected = Policy.rulesSelectedWithTheirGroups(b, settings.itemSelected)
        self.selectedIgnoringRequirements = selected
        Policy.dropUnmetRequirements(b, from: &selected, itemSelected: settings.itemSelected)
        var seen = Set<String>()
        self.changedValues = settings.changed.filter { b.values[$0] != nil && seen.insert($0).inserted }
        self.profileID = selectAll ? XCCDFNames.allRulesProfile : profile?.id
        self.selected = selected
        self.values = settings.values(of: b)
        self.refinements = settings.refinements
    }

    /// `profile` and the profiles it extends, the root first; throws on a cycle or an
    /// unknown parent.
    private static func chain(from profile: XCCDFProfile?, in b: XCCDFBenchmark) throws -> [XCCDFProfile] {
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
        return chain
    }

    /// The rules selected themselves whose every enclosing group is selected too.
    private static func rulesSelectedWithTheirGroups(_ b: XCCDFBenchmark, _ itemSelected: [String: Bool]) -> Set<String> {
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
        return selected
    }

    /// XCCDF requires/conflicts, resolved as OpenSCAP 1.3.7 does while it evaluates:
    /// rules in benchmark order; a selected rule is left out when one of its
    /// requirements has no selected item, or when an item it conflicts with is
    /// selected, and from then on it counts as unselected for the rules after it (of
    /// two rules that conflict with each other, the later one stays). An item counts as
    /// selected by its own selection (profile or default), whatever its groups say.
    private static func dropUnmetRequirements(_ b: XCCDFBenchmark, from selected: inout Set<String>,
                                              itemSelected: [String: Bool]) {
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
    }
}

/// What a chain of profiles sets, applied over the benchmark's defaults in order (a
/// later profile's setting wins).
private struct ProfileSettings {
    /// Each group's and rule's own selection, by id.
    var itemSelected: [String: Bool] = [:]
    var valueSelector: [String: String] = [:]
    var setValues: [String: String] = [:]
    var refinements: [String: (severity: String?, weight: Double?, role: String?, selector: String?)] = [:]
    /// Values refined or set, in order, with repeats.
    var changed: [String] = []

    init(defaultsOf b: XCCDFBenchmark) {
        for (id, g) in b.groups { itemSelected[id] = g.selected }
        for (id, r) in b.rules { itemSelected[id] = r.selected }
    }

    /// Applies one profile's selections, value refinements and settings, and rule refinements.
    mutating func apply(_ p: XCCDFProfile) {
        for s in p.selections {
            if itemSelected[s.idref] != nil { itemSelected[s.idref] = s.selected }
        }
        for rv in p.refineValues { valueSelector[rv.idref] = rv.selector; changed.append(rv.idref) }
        for sv in p.setValues { setValues[sv.idref] = sv.value; changed.append(sv.idref) }
        for rr in p.refineRules { refinements[rr.idref] = (rr.severity, rr.weight, rr.role, rr.selector) }
    }

    /// Every Value's chosen value: the one set, else the selected option, else the
    /// default, else any option, else empty.
    func values(of b: XCCDFBenchmark) -> [String: String] {
        var values: [String: String] = [:]
        for (id, v) in b.values {
            if let set = setValues[id] { values[id] = set; continue }
            let sel = valueSelector[id] ?? ""
            values[id] = v.values[sel] ?? v.values[""] ?? v.values.values.first ?? ""
        }
        return values
    }
}

/// An error that stops a scan before it starts (bad arguments or content).
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
