import Foundation

extension OVALEvaluator {
    /// The values of variable `id`, computed once. External variables take the values
    /// the evaluator was given (no value: flag `does not exist`).
    package func variable(_ id: String) -> VariableValues {
        traced("v", id) { variableValues.value(id) {
            guard let v = document.variables[id] else {
                return VariableValues(flag: .error, values: [], message: "no variable with id \(id)")
            }
            if let reason = refused["v:" + id] {
                return VariableValues(flag: .error, values: [], message: reason)
            }
            switch v.kind {
            case .constant(let values):
                return VariableValues(flag: .complete, values: values.map { OVALValue($0, v.datatype) })
            case .external:
                guard let values = externals[id] else {
                    return VariableValues(flag: .doesNotExist, values: [], message: "external variable \(id) has no value")
                }
                return VariableValues(flag: .complete, values: values.map { OVALValue($0, v.datatype) })
            case .local(let component):
                var r = evaluate(component)
                if r.values.count > ContentLimits.maxVariableValues {
                    return VariableValues(flag: .error, values: [], message: "variable \(id) has \(r.values.count) values, "
                                          + "more than the limit of \(ContentLimits.maxVariableValues)")
                }
                // OpenSCAP: a local variable that should have values but has none is an error.
                if r.hasValues && r.values.isEmpty { r.flag = .error }
                // OpenSCAP casts every computed value to the variable's declared datatype
                // (`oval_value_cast` after computing), whatever produced it; states compare
                // with that datatype.
                for i in r.values.indices { r.values[i].datatype = v.datatype }
                return r
            }
        } }
    }

    /// The values of variable `ref` hashed for comparisons with `operation`, built once per
    /// variable and way of reading (see `ValueIndex`); nil when they compare one by one:
    /// fewer than `ValueIndex.minimumValues`, an operation or datatype hashing cannot
    /// answer, or no usable values.
    func valueIndex(_ ref: String, _ operation: OVALOperation) -> ValueIndex? {
        guard let datatype = document.variables[ref]?.datatype,
              let reading = ValueIndex.reading(operation, datatype) else { return nil }
        return valueIndexes.value(ValueIndex.Use(variable: ref, reading: reading)) {
            let v = variable(ref)
            guard v.hasValues, v.values.count >= ValueIndex.minimumValues,
                  v.values.allSatisfy({ $0.datatype == datatype }) else { return nil }
            return ValueIndex(v.values.map(\.text), reading)
        }
    }

    func evaluate(_ component: VariableComponent) -> VariableValues {
        switch component {
        case .literal(let text, let datatype):
            return VariableValues(flag: .complete, values: [OVALValue(text, datatype)])
        case .variable(let ref):
            let v = variable(ref)
            return VariableValues(flag: v.flag, values: v.hasValues ? v.values : [], message: v.message)
        case .object(let ref, let itemField, let recordField):
            return objectComponent(ref, itemField, recordField)
        case .function(let name, let attrs, let args):
            return VariableFunctions(evaluator: self).apply(name, attrs, args)
        }
    }

    private func objectComponent(_ ref: String, _ itemField: String, _ recordField: String?) -> VariableValues {
        let obj = collect(object: ref)
        var values: [OVALValue] = []
        for item in obj.items {
            let fields = item.fields(named: itemField)
            if fields.isEmpty {
                return VariableValues(flag: .error, values: [], message: "entity '\(itemField)' not found in an item of object \(ref)")
            }
            for f in fields {
                if let recordField {
                    guard f.datatype == .record || !f.record.isEmpty else {
                        return VariableValues(flag: .error, values: [], message: "'\(itemField)' of object \(ref) is not a record")
                    }
                    let sub = f.record.filter { $0.name == recordField }
                    if sub.isEmpty {
                        return VariableValues(flag: .error, values: [], message: "record field '\(recordField)' not found in object \(ref)")
                    }
                    values += sub.map { OVALValue($0.value, $0.datatype) }
                } else {
                    if f.datatype == .record {
                        return VariableValues(flag: .error, values: [], message: "'\(itemField)' of object \(ref) is a record; record_field is required")
                    }
                    values.append(OVALValue(f.value, f.datatype))
                }
            }
        }
        return VariableValues(flag: obj.flag, values: values, message: obj.messages.first)
    }
}
