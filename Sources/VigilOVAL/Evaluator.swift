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
    /// Objects collected together (see `planBatches`).
    let batches = ObjectBatches()
    /// Node keys ("d:", "o:", "s:", "v:" + id) that lie on a reference cycle.
    let cyclic: Set<String>

    /// - Parameters:
    ///   - externals: values of external variables by variable id (XCCDF exports them).
    public init(document: OVALDocument, collector: any ObjectCollector, externals: [String: [String]] = [:]) {
        self.cyclic = ReferenceCheck.cyclicNodes(document)
        self.document = document
        self.collector = collector
        self.externals = externals
    }

    /// The result of definition `id`. Unknown ids give `.error`.
    public func evaluate(definition id: String) -> OVALResult {
        definitionResults.value(id) {
            guard let def = document.definitions[id], !cyclic.contains("d:" + id) else { return .error }
            guard let criteria = def.criteria else { return .notEvaluated }
            return evaluate(criteria)
        }
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
        testResults.value(id) {
            guard let test = document.tests[id] else {
                return TestOutcome(result: .error, message: "no test with id \(id)")
            }
            return TestEvaluation(evaluator: self, test: test).run()
        }
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
