import VigilCore

/// Evaluates OVAL definitions against a system, as OpenSCAP does: definitions and
/// criteria, tests with check, check_existence and state_operator, objects with
/// variables, sets and filters. Every definition, test, object and variable is
/// evaluated at most once per evaluator; the evaluator is safe to use from several
/// tasks at once.
public final class OVALEvaluator: @unchecked Sendable {
    public let document: OVALDocument
    let collector: any ObjectCollector
    let externals: [String: [String]]

    private let definitionResults = OnceMap<String, OVALResult>()
    private let testResults = OnceMap<String, TestOutcome>()
    let collected = OnceMap<String, CollectedObject>()
    let variableValues = OnceMap<String, VariableValues>()
    /// Variables' values hashed for equality comparisons (see `valueIndex`).
    let valueIndexes = OnceMap<ValueIndex.Use, ValueIndex?>()
    /// Comparisons of system values with variables' values, counted (see `ComparisonCount`).
    package let comparisons = ComparisonCount()
    /// Objects collected together (see `planBatches`).
    let batches = ObjectBatches()
    /// Node keys ("d:", "o:", "s:", "v:" + id) that must not be evaluated (on a reference
    /// cycle, or too deep), with the reason (see `ReferenceCheck`).
    let refused: [String: String]

    /// - Parameters:
    ///   - externals: values of external variables by variable id (XCCDF exports them).
    public init(document: OVALDocument, collector: any ObjectCollector, externals: [String: [String]] = [:]) {
        self.refused = ReferenceCheck.refusedNodes(document)
        self.document = document
        self.collector = collector
        self.externals = externals
    }

    /// The result of definition `id`. Unknown ids give `.error`.
    public func evaluate(definition id: String) -> OVALResult {
        traced("d", id) { definitionResults.value(id) {
            guard let def = document.definitions[id], refused["d:" + id] == nil else { return .error }
            guard let criteria = def.criteria else { return .notEvaluated }
            return evaluate(criteria)
        } }
    }

    func evaluate(_ criteria: OVALCriteria) -> OVALResult {
        var counts = ResultCounts()
        for child in criteria.children {
            switch child {
            case .criteria(let c):
                counts.add(evaluate(c))
            case .criterion(let ref, let negate, _):
                let r = evaluate(test: ref).result
                counts.add(negate ? r.negated : r)
            case .extendDefinition(let ref, let negate, _):
                let r = evaluate(definition: ref)
                counts.add(negate ? r.negated : r)
            }
        }
        let r = counts.combined(by: criteria.operator)
        return criteria.negate ? r.negated : r
    }

    /// The outcome of test `id`: its result and the items it judged.
    public func evaluate(test id: String) -> TestOutcome {
        traced("t", id) { testResults.value(id) {
            guard let test = document.tests[id] else {
                return TestOutcome(result: .error, message: "no test with id \(id)")
            }
            return TestEvaluation(evaluator: self, test: test).run()
        } }
    }

    /// Why definition `id` came out `error` or `unknown`: the reason it was refused (a
    /// reference cycle, too deep), or the first message of one of its tests (those of
    /// extended definitions included) that came out `error` or `unknown`, in document
    /// order; nil when there is none. Walks the criteria without recursion and visits each
    /// definition once, so cyclic or deeply nested content cannot overflow the stack.
    public func message(definition id: String) -> String? {
        var pending: [CriteriaNode] = [.extendDefinition(definitionRef: id, negate: false, applicabilityCheck: nil)]
        var visited: Set<String> = []
        while let node = pending.popLast() {
            switch node {
            case .criteria(let c):
                pending += c.children.reversed()
            case .criterion(let ref, _, _):
                if let o = evaluatedTest(ref), o.result == .error || o.result == .unknown, let m = o.message { return m }
            case .extendDefinition(let ref, _, _):
                guard visited.insert(ref).inserted else { continue }
                if let reason = refused["d:" + ref] { return reason }
                if let c = document.definitions[ref]?.criteria { pending.append(.criteria(c)) }
            }
        }
        return nil
    }

    /// `body`, a lookup of memo `kind` ("d", "t", "o", "v", "b") for `id`, as a node of the
    /// scan's footprint when one is recorded (`FootprintScope.track`).
    func traced<T>(_ kind: String, _ id: String, _ body: () -> T) -> T {
        FootprintScope.track("\(kind):\(ObjectIdentifier(self).hashValue):\(id)", body)
    }

    /// Tests already evaluated (for reports), by id.
    public func evaluatedTest(_ id: String) -> TestOutcome? { testResults.peek(id) }
}

/// What evaluating a test produced.
public struct TestOutcome: Sendable {
    public var result: OVALResult
    public var items: [OVALItem]
    /// Per item, its result against the states (same order as `items`).
    public var itemResults: [OVALResult]
    public var flag: CollectedFlag?
    public var message: String?

    public init(result: OVALResult, items: [OVALItem] = [], itemResults: [OVALResult] = [],
                flag: CollectedFlag? = nil, message: String? = nil) {
        self.result = result
        self.items = items
        self.itemResults = itemResults
        self.flag = flag
        self.message = message
    }
}
