import Foundation
import VigilContent
import VigilCrypto
import VigilOVAL
import VigilProbes

/// Runs a policy's rules against a target, in parallel (at most `jobs` at a time),
/// and returns the results in benchmark order.
public final class Scanner: @unchecked Sendable {
    let content: SCAPContent
    let policy: Policy
    /// The target's label, for the result.
    let targetLabel: String
    let jobs: Int
    let onlyRules: Set<String>?
    let evaluators: OVALEvaluators
    let applicability: Applicability
    /// What native checks read; without it (a collector given directly) they are `error`.
    let target: (any Target)?
    /// The native check kinds known (`NativeCheckKinds.all`; tests add their own).
    let nativeKinds: [any NativeCheckKind.Type]
    /// The native checks' context of the running scan (its cache and start time), set by `run`.
    private(set) var nativeContext: NativeContext?
    /// Records what each rule reads, when set (the target reads through a `RecordingTarget`
    /// of the same recorder): see `ScanFootprint`.
    var footprint: FootprintRecorder?
    /// A partial rescan's rules that are not evaluated, with their results in the previous
    /// scan of the series, by rule id (see `PartialRescan`).
    var carried: [String: [RuleResult]] = [:]

    /// A scanner collecting OVAL objects with `collector`; `targetLabel` names the scanned
    /// system in the result. Native checks read `target`; without one they are `error`.
    /// - Parameter onlyRules: when given (`--rule`), exactly these rules are evaluated and
    ///   every other is `notselected`, as `oscap xccdf eval --rule` does: a named rule is
    ///   evaluated even when the profile, its group or its `requires`/`conflicts` leave it
    ///   out. The profile's values and refinements still apply.
    public init(content: SCAPContent, policy: Policy, collector: any ObjectCollector, targetLabel: String,
                jobs: Int, onlyRules: Set<String>? = nil, target: (any Target)? = nil,
                nativeKinds: [any NativeCheckKind.Type] = NativeCheckKinds.all) {
        self.content = content
        self.target = target
        self.nativeKinds = nativeKinds
        self.policy = policy
        self.targetLabel = targetLabel
        self.jobs = max(1, jobs)
        self.onlyRules = onlyRules
        // XCCDF Values exported to OVAL external variables are bound once per scan, from
        // every rule's check-export. OpenSCAP binds them per check; the two differ only for
        // a definition whose rule does not export a variable that another rule exports.
        var externals: [String: [String]] = [:]
        for rule in content.benchmark.rules.values {
            for check in rule.checks {
                for e in check.exports { if let v = policy.values[e.valueID] { externals[e.exportName] = [v] } }
            }
        }
        evaluators = OVALEvaluators(content: content, collector: collector, externals: externals)
        applicability = Applicability(content: content, evaluators: evaluators)
    }

    /// A scanner reading `target` through its probes (`collector(for:content:)`) and its
    /// native checks.
    public convenience init(content: SCAPContent, policy: Policy, target: any Target, jobs: Int,
                            onlyRules: Set<String>? = nil, nativeKinds: [any NativeCheckKind.Type] = NativeCheckKinds.all) {
        self.init(content: content, policy: policy, collector: Scanner.collector(for: target, content: content),
                  targetLabel: target.label, jobs: jobs, onlyRules: onlyRules, target: target, nativeKinds: nativeKinds)
    }

    /// The collector that scans `target` for `content`: every registered probe, told which
    /// item fields the content compares or reads (so that costly unused ones can be left out).
    public static func collector(for target: any Target, content: SCAPContent) -> ProbeCollector {
        var fields = Set<String>()
        for doc in Array(content.checkDocuments.values) + Array(content.cpeDocuments.values) {
            fields.formUnion(doc.referencedItemFields)
        }
        return ProbeCollector(target: target, fieldsInUse: fields)
    }

    /// Evaluates every rule; `progress` is called after each rule with (done, total, rule id).
    public func run(progress: (@Sendable (Int, Int, String) -> Void)? = nil) -> ScanResult {
        // Work not done for one rule (batches collected ahead) is attributed where it is used.
        FootprintScope.within(footprint, node: FootprintScope.ignoredNode) { runRules(progress: progress) }
    }

    private func runRules(progress: (@Sendable (Int, Int, String) -> Void)?) -> ScanResult {
        let start = Date()
        nativeContext = target.map { NativeContext(target: $0, cache: NativeCache(), now: start) }
        let b = content.benchmark
        let order = b.ruleOrder
        let results = ResultSlots(count: order.count)
        let next = Counter()
        let done = Counter()
        let benchmarkApplies = applicability.appliesAny(b.platforms)
        // Batches of objects that walk the file system go first: they take longest.
        let batches = planBatches(benchmarkApplies: benchmarkApplies)
        let recorder = footprint
        DispatchQueue.concurrentPerform(iterations: min(jobs, max(order.count + batches.count, 1))) { _ in
            FootprintScope.within(recorder, node: FootprintScope.ignoredNode) {
                while true {
                    var i = next.increment() - 1
                    if i < batches.count {
                        batches[i].evaluator.collectPlannedBatch(batches[i].index)
                        continue
                    }
                    i -= batches.count
                    if i >= order.count { break }
                    let r = FootprintScope.within(FootprintRecorder.ruleNode(order[i])) {
                        evaluate(rule: order[i], benchmarkApplies: benchmarkApplies)
                    }
                    results.set(i, r)
                    progress?(done.increment(), order.count, order[i])
                }
            }
        }
        let ruleResults = results.all()
        return ScanResult(benchmarkID: b.id, benchmarkVersion: b.version, profileID: policy.profileID,
                          contentPath: content.path, target: targetLabel, startTime: start, endTime: Date(),
                          ruleResults: ruleResults,
                          setValues: policy.changedValues.map { ($0, policy.values[$0] ?? "") },
                          values: policy.values,
                          scores: Scoring.all(benchmark: b, results: ruleResults))
    }

    func evaluate(rule id: String, benchmarkApplies: Bool) -> [RuleResult] {
        let rule = content.benchmark.rules[id]!
        let refine = policy.refinements[id]
        var rr = RuleResult(ruleID: id, result: .notselected, severity: refine?.severity ?? rule.severity,
                            weight: refine?.weight ?? rule.weight, role: refine?.role ?? rule.role,
                            check: nil, message: nil, time: Date())
        guard isSelected(id) else { return [rr] }
        if rr.role == "unchecked" { rr.result = .notchecked; return [rr] }
        guard benchmarkApplies, groupsApply(rule), applicability.appliesAny(rule.platforms) else {
            rr.result = .notapplicable
            return [rr]
        }
        if let previous = carried[id] {
            return previous.map { PartialRescan.carry($0, as: rr, check: carriedCheck(rule, selector: refine?.selector ?? "", instance: $0.instance)) }
        }
        if let complex = rule.complexCheck {
            rr.result = evaluate(complex, &rr)
        } else {
            let selector = refine?.selector ?? ""
            let candidates = Self.candidates(rule, selector: selector)
            if let check = Self.decidingCheck(candidates), check.system == NativeCheckSystem.uri {
                rr.result = evaluateNative(check, &rr)
            } else if let oval = Self.decidingCheck(candidates) {
                if oval.multiCheck, let many = multiCheck(oval, rr) {
                    return many.map { var r = $0; r.result = Self.scored(r.result, role: r.role); return r }
                }
                rr.result = evaluate(oval, &rr)
            } else if let other = candidates.first {
                rr.result = .notchecked
                rr.message = "check system \(other.system) is not supported"
            } else {
                rr.result = .notchecked
                rr.message = "rule has no check"
            }
        }
        rr.result = Self.scored(rr.result, role: rr.role)
        rr.time = Date()
        return [rr]
    }

    /// A checked rule whose role is `unscored` is reported `informational`, whatever its
    /// check gave, as oscap does; `notchecked` (no check to run) stays.
    static func scored(_ result: XCCDFResult, role: String) -> XCCDFResult {
        role == "unscored" && result != .notchecked ? .informational : result
    }

    /// Tells each OVAL evaluator which definitions the scan will evaluate, so that objects
    /// walking the same tree are collected in one traversal (`OVALEvaluator.planBatches`).
    /// Returns the planned batches, to be collected first.
    private func planBatches(benchmarkApplies: Bool) -> [(evaluator: OVALEvaluator, index: Int)] {
        guard benchmarkApplies else { return [] }
        var definitions: [String: [String]] = [:]
        func add(_ check: XCCDFCheck) {
            guard check.system == XCCDFNames.ovalCheckSystem else { return }
            for ref in check.contentRefs {
                guard let ev = evaluators.checklist(ref.href) else { continue }
                if let name = ref.name {
                    definitions[ref.href, default: []].append(name)
                } else {
                    definitions[ref.href, default: []].append(contentsOf: ev.document.definitions.keys.sorted())
                }
                return
            }
        }
        func add(_ complex: XCCDFComplexCheck) {
            switch complex {
            case .check(let c): add(c)
            case .complex(_, _, let children): children.forEach(add)
            }
        }
        for id in content.benchmark.ruleOrder {
            guard let rule = content.benchmark.rules[id], isSelected(id), carried[id] == nil,
                  (policy.refinements[id]?.role ?? rule.role) != "unchecked",
                  groupsApply(rule), applicability.appliesAny(rule.platforms) else { continue }
            if let complex = rule.complexCheck {
                add(complex)
            } else {
                let selector = policy.refinements[id]?.selector ?? ""
                if let check = Self.decidingCheck(Self.candidates(rule, selector: selector)) { add(check) }
            }
        }
        var batches: [(evaluator: OVALEvaluator, index: Int)] = []
        for (href, ids) in definitions.sorted(by: { $0.key < $1.key }) {
            guard let ev = evaluators.checklist(href) else { continue }
            ev.planBatches(definitions: ids)
            batches += (0..<ev.plannedBatchCount).map { (ev, $0) }
        }
        return batches
    }

    /// `multi-check="true"` with a check-content-ref that names no definition: one
    /// result per definition of the referenced document (XCCDF 1.2, 7.2.3.5.3).
    private func multiCheck(_ check: XCCDFCheck, _ base: RuleResult) -> [RuleResult]? {
        guard let ref = check.contentRefs.first(where: { $0.name == nil && evaluators.checklist($0.href) != nil }),
              let ev = evaluators.checklist(ref.href) else { return nil }
        return ev.document.definitions.keys.sorted().map { id in
            var r = base
            let oval = ev.evaluate(definition: id)
            let res = XCCDFResult(oval: oval, definitionClass: ev.document.definitions[id]?.class ?? "")
            r.result = check.negate ? res.negated : res
            if r.result == .fail { r.evidence = Evidence(evaluator: ev).text(definition: id, failing: oval) }
            r.check = (check.system, ref.href, id)
            r.instance = id
            r.time = Date()
            return r
        }
    }

    /// Whether rule `id` is evaluated: named by `--rule`, else selected by the policy.
    private func isSelected(_ id: String) -> Bool {
        onlyRules.map { $0.contains(id) } ?? policy.selected.contains(id)
    }

    private func groupsApply(_ rule: XCCDFRule) -> Bool {
        var parent = rule.parent
        while let g = parent, let group = content.benchmark.groups[g] {
            if !applicability.appliesAny(group.platforms) { return false }
            parent = group.parent
        }
        return true
    }

    private func evaluate(_ complex: XCCDFComplexCheck, _ rr: inout RuleResult) -> XCCDFResult {
        switch complex {
        case .check(let c):
            if c.system == NativeCheckSystem.uri { return evaluateNative(c, &rr) }
            guard c.system == XCCDFNames.ovalCheckSystem else {
                rr.message = "check system \(c.system) is not supported"
                return .notchecked
            }
            return evaluate(c, &rr)
        case .complex(let op, let negate, let children):
            let r = XCCDFResult.combine(children.map { evaluate($0, &rr) }, operator: op.uppercased())
            return negate ? r.negated : r
        }
    }

    private func evaluate(_ check: XCCDFCheck, _ rr: inout RuleResult) -> XCCDFResult {
        for ref in check.contentRefs {
            guard let ev = evaluators.checklist(ref.href) else { continue }
            rr.check = (check.system, ref.href, ref.name)
            let result: XCCDFResult
            if let name = ref.name {
                guard let def = ev.document.definitions[name] else {
                    rr.message = "definition \(name) not found in \(ref.href)"
                    return .error
                }
                let oval = ev.evaluate(definition: name)
                result = XCCDFResult(oval: oval, definitionClass: def.class)
                if result == .error || result == .unknown { rr.message = ev.message(definition: name) }
                if (check.negate ? result.negated : result) == .fail {
                    rr.evidence = Evidence(evaluator: ev).text(definition: name, failing: oval)
                }
            } else {
                let ids = ev.document.definitions.keys.sorted()
                result = XCCDFResult.combine(ids.map { XCCDFResult(oval: ev.evaluate(definition: $0),
                                                                     definitionClass: ev.document.definitions[$0]?.class ?? "") },
                                             operator: "AND")
            }
            return check.negate ? result.negated : result
        }
        rr.message = "check content \(check.contentRefs.map(\.href).joined(separator: ", ")) not found"
        return .notchecked
    }

}

/// Results filled in by index from several threads.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[RuleResult]]
    init(count: Int) { slots = Array(repeating: [], count: count) }
    func set(_ i: Int, _ r: [RuleResult]) { lock.lock(); slots[i] = r; lock.unlock() }
    func all() -> [RuleResult] { lock.lock(); defer { lock.unlock() }; return slots.flatMap { $0 } }
}

/// A thread-safe counter; `increment` returns the new value.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
