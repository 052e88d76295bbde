extension OVALEvaluator {
    /// The items of object `id`: collected once, with its variables resolved, its set
    /// combined and its filters applied.
    package func collect(object id: String) -> CollectedObject {
        traced("o", id) { collected.value(id) {
            guard let object = document.objects[id] else { return .error("no object with id \(id)") }
            if let reason = refused["o:" + id] { return .error(reason) }
            return collect(object)
        } }
    }

    private func collect(_ object: OVALObject) -> CollectedObject {
        if let set = object.set { return collect(set) }
        if object.type == "variable_object" { return variableObject(object) }
        let resolved: ResolvedObject
        switch resolve(object) {
        case .success(let r): resolved = r
        case .failure(let unresolved): return unresolved.collected
        }
        var result: CollectedObject
        if let batch = batches.batch(of: object.id) {
            // Collected in one pass with the other objects of its batch (see `planBatches`).
            result = traced("b", String(batch.index)) { batches.results.value(batch.index) { collectBatch(batch.members) } }[object.id]
                ?? collector.collect(resolved)
        } else {
            result = collector.collect(resolved)
        }
        if let failure = resolved.failures?.first { return .error(failure) }
        result.items = OVALItem.unique(result.items)
        // Probes that honour `keep` already dropped filtered items; this catches the rest.
        return apply(object.filters, to: result)
    }

    /// Why an object could not be resolved: the collected object that stands for it.
    struct Unresolved: Error {
        let collected: CollectedObject
    }

    /// The object with its variables replaced by their values and its filters ready for
    /// the probe, or the collected object that stands in when a variable has no value.
    func resolve(_ object: OVALObject) -> Result<ResolvedObject, Unresolved> {
        var entities: [ResolvedEntity] = []
        let failures = MatchFailures()
        for entity in object.entities {
            guard let ref = entity.varRef else {
                entities.append(ResolvedEntity(entity: entity, values: [entity.value], failures: failures))
                continue
            }
            let v = variable(ref)
            guard v.hasValues, !v.values.isEmpty else {
                // OpenSCAP: an object whose variable has no usable values has no items.
                return .failure(Unresolved(collected: CollectedObject(
                    flag: .doesNotExist, messages: ["Referenced variable has no values (\(ref))."])))
            }
            entities.append(ResolvedEntity(entity: entity, values: v.values.map(\.text), failures: failures,
                                           comparisons: comparisons))
        }
        var resolved = ResolvedObject(object: object, entities: entities)
        resolved.failures = failures
        if !object.filters.isEmpty, object.filters.allSatisfy({ document.states[$0.stateRef] != nil }) {
            let filters = object.filters.map { (action: $0.action, state: document.states[$0.stateRef]!) }
            let matcher = StateMatcher(evaluator: self, failures: failures)
            resolved.keep = { item in
                filters.allSatisfy { f in (matcher.match(item, f.state) == .true) == (f.action == .include) }
            }
            resolved.prefilter = ItemPrefilter(stages: filters.map { f in
                ItemPrefilter.Stage(fields: Set(f.state.entities.map { StateMatcher.fieldName($0, f.state) })) { partial, statuses in
                    (matcher.match(partial, f.state, statuses: statuses) == .true) == (f.action == .include)
                }
            })
        }
        return .success(resolved)
    }

    func apply(_ filters: [OVALFilter], to collected: CollectedObject) -> CollectedObject {
        guard !filters.isEmpty else { return collected }
        var out = collected
        let failures = MatchFailures()
        let matcher = StateMatcher(evaluator: self, failures: failures)
        for filter in filters {
            guard let state = document.states[filter.stateRef] else {
                return .error("no state with id \(filter.stateRef) (filter)")
            }
            out.items = out.items.filter { item in
                let matches = matcher.match(item, state) == .true
                return filter.action == .include ? matches : !matches
            }
        }
        if let failure = failures.first { return .error(failure) }
        if out.flag == .complete && out.items.isEmpty { out.flag = .doesNotExist }
        return out
    }

    private func collect(_ set: OVALSet) -> CollectedObject {
        var parts: [CollectedObject] = []
        for ref in set.objectRefs { parts.append(apply(set.filters, to: collect(object: ref))) }
        for sub in set.subsets { parts.append(collect(sub)) }
        guard var result = parts.first else { return .error("empty set") }
        for next in parts.dropFirst() {
            result = Self.combine(result, next, set.operation)
        }
        return result
    }

    static func combine(_ a: CollectedObject, _ b: CollectedObject, _ op: OVALSet.Operation) -> CollectedObject {
        let bKeys = Set(b.items.map { $0.fields.map { "\($0.name)\u{1}\($0.value)" } })
        var items: [OVALItem]
        switch op {
        case .union:
            items = OVALItem.unique(a.items + b.items)
        case .intersection:
            items = a.items.filter { bKeys.contains($0.fields.map { "\($0.name)\u{1}\($0.value)" }) }
        case .complement:
            items = a.items.filter { !bKeys.contains($0.fields.map { "\($0.name)\u{1}\($0.value)" }) }
        }
        var flag = combineFlags(a.flag, b.flag, op)
        if flag == .complete && items.isEmpty { flag = .doesNotExist }
        if flag == .error { items = [] }
        return CollectedObject(flag: flag, items: items, messages: a.messages + b.messages)
    }

    /// OpenSCAP's table for the flag of a set operation.
    static func combineFlags(_ f1: CollectedFlag, _ f2: CollectedFlag, _ op: OVALSet.Operation) -> CollectedFlag {
        switch op {
        case .complement: return complementFlag(f1, f2)
        case .intersection: return intersectionFlag(f1, f2)
        case .union: return unionFlag(f1, f2)
        }
    }

    /// The flag of `f1` COMPLEMENT `f2`.
    private static func complementFlag(_ f1: CollectedFlag, _ f2: CollectedFlag) -> CollectedFlag {
        switch f1 {
        case .error, .notApplicable: return .error
        case .complete:
            switch f2 {
            case .complete, .doesNotExist: return .complete
            default: return .error
            }
        case .incomplete:
            switch f2 {
            case .doesNotExist, .complete: return .incomplete
            default: return .error
            }
        case .doesNotExist:
            return f2 == .notApplicable ? .error : .doesNotExist
        case .notCollected:
            return (f2 == .notApplicable || f2 == .error) ? .error : .notCollected
        }
    }

    /// The flag of `f1` INTERSECTION `f2`.
    private static func intersectionFlag(_ f1: CollectedFlag, _ f2: CollectedFlag) -> CollectedFlag {
        switch f1 {
        case .error: return .error
        case .complete:
            switch f2 {
            case .error: return .error
            case .doesNotExist: return .doesNotExist
            case .complete, .notApplicable: return .complete
            case .incomplete: return .incomplete
            case .notCollected: return .notCollected
            }
        case .incomplete:
            switch f2 {
            case .error: return .error
            case .doesNotExist: return .doesNotExist
            case .notApplicable: return .notApplicable
            default: return .incomplete
            }
        case .doesNotExist: return .doesNotExist
        case .notCollected:
            switch f2 {
            case .error: return .error
            case .doesNotExist: return .doesNotExist
            default: return .notCollected
            }
        case .notApplicable:
            return f2
        }
    }

    /// The flag of `f1` UNION `f2`.
    private static func unionFlag(_ f1: CollectedFlag, _ f2: CollectedFlag) -> CollectedFlag {
        switch f1 {
        case .error: return .error
        case .complete:
            switch f2 {
            case .error: return .error
            case .complete, .doesNotExist, .notApplicable: return .complete
            case .incomplete, .notCollected: return .incomplete
            }
        case .incomplete:
            return f2 == .error ? .error : .incomplete
        case .doesNotExist:
            switch f2 {
            case .error: return .error
            case .complete: return .complete
            case .incomplete, .notCollected: return .incomplete
            case .notApplicable, .doesNotExist: return .doesNotExist
            }
        case .notCollected:
            switch f2 {
            case .error: return .error
            case .complete, .incomplete, .doesNotExist: return .incomplete
            case .notApplicable, .notCollected: return .notCollected
            }
        case .notApplicable:
            return f2
        }
    }

    /// `variable_object` (independent): the values of the variable it names.
    private func variableObject(_ object: OVALObject) -> CollectedObject {
        guard let e = object.entity("var_ref") else { return .error("variable_object \(object.id) has no var_ref") }
        var ids: [String] = []
        if let ref = e.varRef {
            let v = variable(ref)
            guard v.hasValues else { return CollectedObject(flag: .doesNotExist, messages: ["Referenced variable has no values (\(ref))."]) }
            ids = v.values.map(\.text)
        } else if e.operation == .equals {
            ids = [e.value]
        } else {
            let want = ResolvedEntity(entity: e, values: [e.value])
            ids = document.variables.keys.sorted().filter { want.matches($0) }
        }
        // As OpenSCAP: a variable that does not exist gives no item (the object does not
        // exist); one that could not be computed (error, not collected, not applicable)
        // still gives its item, with no value, so that a state on it is `unknown`.
        var items: [OVALItem] = []
        for id in ids where document.variables[id] != nil {
            let v = variable(id)
            if v.flag == .doesNotExist {
                if e.operation == .equals { return CollectedObject(flag: .doesNotExist, messages: ["Referenced variable has no values (\(id))."]) }
                continue
            }
            var fields = [OVALItemField("var_ref", id)]
            if v.hasValues {
                for value in v.values { fields.append(OVALItemField("value", value.text, datatype: value.datatype)) }
            }
            items.append(OVALItem(fields: fields))
        }
        return .found(items)
    }
}
