import VigilOVAL
import VigilProbes

/// A short account of what an OVAL definition found, for a rule's stored evidence: the
/// items that did not match their states (e.g. "/etc/shadow (gread=true)"), or the
/// objects that found nothing.
struct Evidence {
    let evaluator: OVALEvaluator
    /// Items described per test, and tests described per definition, at most.
    static let itemLimit = 3
    static let testLimit = 3
    static let lengthLimit = 600

    /// Evidence for a definition whose rule failed (`wanted` is the test result that
    /// made it fail; `.false` unless the check is negated).
    func text(definition id: String, failing wanted: OVALResult = .false) -> String? {
        var parts: [String] = []
        var seen: Set<String> = []
        collect(definition: id, wanted: wanted, into: &parts, seen: &seen)
        guard !parts.isEmpty else { return nil }
        var text = parts.prefix(Self.testLimit).joined(separator: "; ")
        if parts.count > Self.testLimit { text += "; and \(parts.count - Self.testLimit) more" }
        if text.count > Self.lengthLimit { text = String(text.prefix(Self.lengthLimit - 1)) + "…" }
        return text
    }

    private func collect(definition id: String, wanted: OVALResult, into parts: inout [String], seen: inout Set<String>) {
        guard seen.insert("d:" + id).inserted, let criteria = evaluator.document.definitions[id]?.criteria else { return }
        collect(criteria, wanted: wanted, into: &parts, seen: &seen)
    }

    private func collect(_ criteria: OVALCriteria, wanted: OVALResult, into parts: inout [String], seen: inout Set<String>) {
        let want = criteria.negate ? wanted.negated : wanted
        for child in criteria.children {
            switch child {
            case .criteria(let c):
                collect(c, wanted: want, into: &parts, seen: &seen)
            case .extendDefinition(let ref, let negate, _):
                collect(definition: ref, wanted: negate ? want.negated : want, into: &parts, seen: &seen)
            case .criterion(let ref, let negate, _):
                guard seen.insert("t:" + ref).inserted, let outcome = evaluator.evaluatedTest(ref),
                      outcome.result == (negate ? want.negated : want), let test = evaluator.document.tests[ref] else { continue }
                if let line = describe(test, outcome) { parts.append(line) }
            }
        }
    }

    /// One test's part: its non-matching items, or that its object found nothing.
    private func describe(_ test: OVALTest, _ outcome: TestOutcome) -> String? {
        let subject = test.comment.isEmpty ? test.id : test.comment
        if outcome.items.isEmpty { return "\(subject): nothing found" }
        let compared = test.stateRefs.flatMap { evaluator.document.states[$0]?.entities.map(\.name) ?? [] }
        var offending: [OVALItem] = []
        for (item, result) in zip(outcome.items, outcome.itemResults) where result != .true {
            offending.append(item)
        }
        if offending.isEmpty { offending = outcome.items }
        let shown = offending.prefix(Self.itemLimit).map { describe($0, compared: compared) }
        var line = "\(subject): " + shown.joined(separator: ", ")
        if offending.count > Self.itemLimit { line += " and \(offending.count - Self.itemLimit) more" }
        return line
    }

    /// An item by what names it (file path, name, key ...) and the compared fields' values.
    private func describe(_ item: OVALItem, compared: [String]) -> String {
        let identity: String
        if let filepath = item.value("filepath"), !filepath.isEmpty {
            identity = PathBytes.display(filepath)   // non-UTF-8 bytes as \xNN
        } else if let path = item.value("path") {
            identity = PathBytes.display(path)
        } else if let name = item.value("name") ?? item.value("unit") ?? item.value("key") ?? item.value("username") {
            identity = name
        } else {
            identity = item.fields.first.map { "\($0.name)=\($0.value)" } ?? "item"
        }
        var values: [String] = []
        for name in compared where !values.contains(where: { $0.hasPrefix(name + "=") }) {
            let found = item.fields.filter { $0.name == name }.map(\.value)
            guard !found.isEmpty else { continue }
            values.append("\(name)=\(found.prefix(2).map { Evidence.short($0) }.joined(separator: ","))")
        }
        return values.isEmpty ? identity : "\(identity) (\(values.prefix(4).joined(separator: " ")))"
    }

    static func short(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 80 ? String(flat.prefix(79)) + "…" : flat
    }
}
