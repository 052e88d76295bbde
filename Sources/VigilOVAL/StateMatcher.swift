/// Compares a collected item with a state, entity by entity (OpenSCAP's rules:
/// a state entity with no field of that name in the item counts as unknown; a field
/// that does not exist compares false; variables compare each value with var_check).
struct StateMatcher {
    let evaluator: OVALEvaluator

    func match(_ item: OVALItem, _ state: OVALState) -> OVALResult {
        var counts = ResultCounts()
        for entity in state.entities {
            var name = entity.name
            // textfilecontent_state/line is compared with the item's text (OVAL >= 5.4).
            if name == "line" && state.type == "textfilecontent_state" { name = "text" }
            var statuses = ExistenceCounts()
            var results = ResultCounts()
            for field in item.fields {
                statuses.add(field.status)
                guard field.name == name else { continue }
                results.add(compare(field, entity))
            }
            let existence = statuses.entityResult(entity.checkExistence)
            counts.add(existence == .true ? results.combined(by: entity.entityCheck) : existence)
        }
        return counts.combined(by: state.operator)
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
        return OVALCompare.compare(field.value, entity.operation, entity.value, datatype: entity.datatype)
    }

    func compareWithVariable(_ actual: String, _ ref: String, _ op: OVALOperation, _ check: CheckEnumeration) -> OVALResult {
        let v = evaluator.variable(ref)
        guard v.hasValues else { return .error }
        var counts = ResultCounts()
        for value in v.values {
            counts.add(OVALCompare.compare(actual, op, value.text, datatype: value.datatype))
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
                    fieldCounts.add(OVALCompare.compare(itemField.value, stateField.operation, stateField.value, datatype: stateField.datatype))
                }
            }
            record.add(found ? fieldCounts.combined(by: stateField.entityCheck) : .error)
        }
        return record.combined(by: .and)
    }
}
