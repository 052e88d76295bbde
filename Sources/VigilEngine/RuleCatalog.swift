import VigilContent
import VigilStore

/// A rule as `vigil rules` lists it: ids, severity (the profile's refinement when it has
/// one), title and the catalogue references auditors look for (CCE, STIG, NIST, ...).
public struct RuleEntry: Sendable, Codable, Equatable {
    public var id: String
    public var shortID: String
    public var severity: String
    public var title: String
    public var references: [RuleReference]
}

/// The rules a policy selects, in benchmark order, as `vigil rules` lists them.
public enum RuleCatalog {
    /// Every rule `policy` selects; with `search`, only those whose id, title or one of
    /// whose reference ids holds it, ignoring case.
    public static func entries(_ benchmark: XCCDFBenchmark, policy: Policy, search: String? = nil) -> [RuleEntry] {
        let needle = search?.lowercased() ?? ""
        return benchmark.ruleOrder.compactMap { id -> RuleEntry? in
            guard policy.selected.contains(id), let rule = benchmark.rules[id] else { return nil }
            let entry = RuleEntry(id: id, shortID: ItemNames.shortID(id), severity: severity(rule, policy),
                                  title: rule.title, references: RuleReferences.of(rule))
            guard !needle.isEmpty else { return entry }
            let texts = [entry.id, entry.title] + entry.references.map(\.id)
            return texts.contains { $0.lowercased().contains(needle) } ? entry : nil
        }
    }

    /// The rule's severity under the policy (a `refine-rule` may change it).
    static func severity(_ rule: XCCDFRule, _ policy: Policy) -> String {
        policy.refinements[rule.id]?.severity ?? rule.severity
    }

    /// References grouped by kind for reading, in the order auditors look for them
    /// ("cce: CCE-1234-5", "nist-800-53: AC-2, AC-3"); the other kinds are counted in one
    /// last line, or with `allOthers` listed by their system (href).
    public static func referenceLines(_ references: [RuleReference], allOthers: Bool = false) -> [String] {
        var lines: [String] = []
        func line(_ label: String, _ refs: [RuleReference]) {
            var seen = Set<String>()
            let ids = refs.filter { seen.insert($0.id).inserted }.map(\.id)
            if !ids.isEmpty { lines.append("\(label): \(ids.joined(separator: ", "))") }
        }
        for kind in ["cce", "stig", "srg", "cci", "nist-800-53", "cis"] { line(kind, references.filter { $0.kind == kind }) }
        let others = references.filter { $0.kind == "other" }
        if allOthers {
            var systems: [String] = []
            for r in others where !systems.contains(r.system) { systems.append(r.system) }
            for system in systems { line(system.isEmpty ? "(no system)" : system, others.filter { $0.system == system }) }
        } else if !others.isEmpty {
            lines.append("other: \(others.count) reference\(others.count == 1 ? "" : "s") (see --format json)")
        }
        return lines
    }
}
