import VigilCore
import VigilContent
import VigilOVAL

/// Decides whether platforms apply to the target, through the content's CPE
/// dictionary and CPE applicability language, checked with the CPE OVAL definitions.
final class Applicability: @unchecked Sendable {
    let content: SCAPContent
    let evaluators: OVALEvaluators
    private let cache = OnceMap<String, Bool>()

    init(content: SCAPContent, evaluators: OVALEvaluators) {
        self.content = content
        self.evaluators = evaluators
    }

    /// Whether a platform reference (`#platform-id` or a CPE name) applies.
    func applies(_ ref: String) -> Bool {
        // What applicability reads is the scan's global footprint, whichever rule asks first.
        FootprintScope.within(FootprintScope.globalNode) { cache.value(ref) {
            if ref.hasPrefix("#") {
                guard let platform = content.benchmark.platformSpecification[String(ref.dropFirst())] else { return false }
                return evaluate(platform.test)
            }
            return cpeNameApplies(ref)
        } }
    }

    /// Whether any platform of the list applies (XCCDF: several platform elements mean
    /// "any of these"); an empty list always applies.
    func appliesAny(_ refs: [String]) -> Bool {
        refs.isEmpty || refs.contains { applies($0) }
    }

    private func cpeNameApplies(_ name: String) -> Bool {
        guard let check = content.cpeDictionary.checks[name] else { return false }
        return definitionTrue(href: check.href, id: check.idref)
    }

    private func definitionTrue(href: String, id: String) -> Bool {
        guard let ev = evaluators.cpe(href) ?? evaluators.checklist(href) else { return false }
        return ev.evaluate(definition: id) == .true
    }

    private func evaluate(_ test: CPELogicalTest) -> Bool {
        switch test {
        case .factRef(let name):
            return cpeNameApplies(name)
        case .checkFactRef(_, let href, let idref):
            return definitionTrue(href: href, id: idref)
        case .logical(let op, let negate, let children):
            let results = children.map(evaluate)
            let r = op.uppercased() == "OR" ? results.contains(true) : !results.contains(false)
            return negate ? !r : r
        }
    }
}

/// One OVAL evaluator per OVAL document of the content, sharing one collector.
final class OVALEvaluators: @unchecked Sendable {
    private let checklistEvaluators: [String: OVALEvaluator]
    private let cpeEvaluators: [String: OVALEvaluator]

    /// Also starts the scan's regex time budget afresh (`RegexBudget`): one set of
    /// evaluators serves one scan.
    init(content: SCAPContent, collector: any ObjectCollector, externals: [String: [String]]) {
        RegexBudget.scan.start()
        var c: [String: OVALEvaluator] = [:]
        for (href, doc) in content.checkDocuments {
            c[href] = OVALEvaluator(document: doc, collector: collector, externals: externals)
        }
        var p: [String: OVALEvaluator] = [:]
        for (href, doc) in content.cpeDocuments {
            p[href] = OVALEvaluator(document: doc, collector: collector)
        }
        checklistEvaluators = c
        cpeEvaluators = p
    }

    func checklist(_ href: String) -> OVALEvaluator? { checklistEvaluators[href] }
    func cpe(_ href: String) -> OVALEvaluator? { cpeEvaluators[href] }
}
