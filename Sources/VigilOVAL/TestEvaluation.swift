/// One test's evaluation: collect its object, check existence, compare with states.
struct TestEvaluation {
    let evaluator: OVALEvaluator
    let test: OVALTest

    func run() -> TestOutcome {
        if test.type == "unknown_test" { return TestOutcome(result: .unknown) }
        guard let objectRef = test.objectRef else {
            return TestOutcome(result: .unknown, message: "test \(test.id) has no object")
        }
        let obj = evaluator.collect(object: objectRef)
        var states: [OVALState] = []
        for ref in test.stateRefs {
            guard let s = evaluator.document.states[ref] else {
                return TestOutcome(result: .error, flag: obj.flag, message: "no state with id \(ref)")
            }
            states.append(s)
        }
        let items = obj.items
        var existence = ExistenceCounts()
        for item in items { existence.add(item.status) }
        let hasState = !states.isEmpty
        let msg = obj.messages.first
        var itemResults: [OVALResult] = []
        var result: OVALResult

        switch obj.flag {
        case .error:
            result = (test.checkExistence == .anyExist && !hasState) ? .true : .error
        case .notCollected:
            result = (test.checkExistence == .anyExist && !hasState) ? .true : .unknown
        case .notApplicable:
            result = (test.checkExistence == .anyExist && !hasState) ? .true : .notApplicable
        case .doesNotExist:
            result = (test.checkExistence == .noneExist || test.checkExistence == .anyExist) ? .true : .false
        case .complete:
            result = existence.testResult(test.checkExistence)
            if result == .true && hasState {
                (result, itemResults) = checkStates(items, states)
            }
        case .incomplete:
            switch test.checkExistence {
            case .anyExist: result = .true
            case .atLeastOneExists where existence.exists > 0: result = .true
            case .noneExist where existence.exists > 0: result = .false
            case .onlyOneExists where existence.exists > 1: result = .false
            default: result = .unknown
            }
            if result == .true && hasState {
                (result, itemResults) = checkStates(items, states)
                if result == .true {
                    if test.check != .atLeastOne { result = .unknown }
                } else if result != .false {
                    result = .unknown
                }
            }
        }
        return TestOutcome(result: result, items: items, itemResults: itemResults, flag: obj.flag, message: msg)
    }

    private func checkStates(_ items: [OVALItem], _ states: [OVALState]) -> (OVALResult, [OVALResult]) {
        var counts = ResultCounts()
        var perItem: [OVALResult] = []
        for item in items {
            let r: OVALResult
            switch item.status {
            case .error, .notCollected: r = .error
            case .doesNotExist: r = .false
            case .exists:
                var sc = ResultCounts()
                for s in states { sc.add(StateMatcher(evaluator: evaluator).match(item, s)) }
                r = sc.combined(by: test.stateOperator)
            }
            counts.add(r)
            perItem.append(r)
        }
        return (counts.combined(by: test.check), perItem)
    }
}
