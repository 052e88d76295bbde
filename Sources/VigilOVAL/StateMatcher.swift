/// Compares a collected item with a state, entity by entity (OpenSCAP's rules:
/// a state entity with no field of that name in the item counts as unknown; a field
/// that does not exist compares false; variables compare each value with var_check).
struct StateMatcher {
    let evaluator: OVALEvaluator
    /// Where a `pattern match` that hits a regex limit is recorded (object filters: the
    /// object becomes `error`, never a silent "no match"); nil where an `error` result
    /// already says so (test states).
    var failures: MatchFailures? = nil

    /// The item's result against the state. Every entity's existence check counts the
    /// statuses of all the item's fields, not only those of its name (OpenSCAP's
    /// `eval_item`); `statuses` gives those counts when `item` holds only some of the
    /// fields of a whole item (see `ItemPrefilter`).
    func match(_ item: OVALItem, _ state: OVALState, statuses given: ExistenceCounts? = nil) -> OVALResult {
        var counts = ResultCounts()
        let statuses = given ?? ExistenceCounts(item)
        for entity in state.entities {
            let name = StateMatcher.fieldName(entity, state)
            var results = ResultCounts()
            for field in item.fields where field.name == name {
                results.add(compare(field, entity))
            }
            let existence = statuses.entityResult(entity.checkExistence)
            counts.add(existence == .true ? results.combined(by: entity.entityCheck) : existence)
        }
        return counts.combined(by: state.operator)
    }

    /// The item field a state entity is compared with: its own name, except that
    /// textfilecontent_state/line is compared with the item's text (OVAL >= 5.4).
    static func fieldName(_ entity: OVALEntity, _ state: OVALState) -> String {
        entity.name == "line" && state.type == "textfilecontent_state" ? "text" : entity.name
    }

    func compare(_ field: OVALItemField, _ entity: OVALEntity) -> OVALResult {
        if field.status == .doesNotExist { return .false }
        if let ref = entity.varRef {
            return compareWithVariable(field.value, ref, entity.operation, entity.varCheck)
        }
        if entity.datatype == .record {
            guard entity.operation == .equals else { return .error }
            return compareRecord(field, entity)
        }
        return compareValue(field.value, entity.operation, entity.value, entity.datatype)
    }

    /// `OVALCompare.compare`, with a `pattern match` that hits a regex limit recorded in
    /// `failures`.
    private func compareValue(_ actual: String, _ op: OVALOperation, _ expected: String, _ datatype: OVALDatatype) -> OVALResult {
        guard let failures, op == .patternMatch, datatype == .string else {
            return OVALCompare.compare(actual, op, expected, datatype: datatype)
        }
        do {
            return try OVALRegex.cached(expected).isMatch(actual) ? .true : .false
        } catch let error as RegexError where error.isLimitExceeded {
            failures.record("filter pattern '\(expected)': \(error)")
            return .error
        } catch {
            return .error
        }
    }

    func compareWithVariable(_ actual: String, _ ref: String, _ op: OVALOperation, _ check: CheckEnumeration) -> OVALResult {
        let v = evaluator.variable(ref)
        guard v.hasValues else { return .error }
        if v.values.count >= ValueIndex.minimumValues, let index = evaluator.valueIndex(ref, op) {
            evaluator.comparisons.add(1)
            return index.results(actual, op).combined(by: check)
        }
        evaluator.comparisons.add(v.values.count)
        var counts = ResultCounts()
        for value in v.values {
            counts.add(compareValue(actual, op, value.text, value.datatype))
        }
        return counts.combined(by: check)
    }

    func compareRecord(_ field: OVALItemField, _ entity: OVALEntity) -> OVALResult {
        var record = ResultCounts()
        for stateField in entity.fields {
            var found = false
            var fieldCounts = ResultCounts()
            for itemField in field.record where itemField.name == stateField.name {
                found = true
                if let ref = stateField.varRef {
                    fieldCounts.add(compareWithVariable(itemField.value, ref, stateField.operation, stateField.varCheck))
                } else {
                    fieldCounts.add(compareValue(itemField.value, stateField.operation, stateField.value, stateField.datatype))
                }
            }
            record.add(found ? fieldCounts.combined(by: stateField.entityCheck) : .error)
        }
        return record.combined(by: .and)
    }
}
