import VigilOVAL

/// Runs YAML Paths over YAML bytes and builds the `value` records, following the event
/// loop of OpenSCAP's yamlfilecontent probe. Any number of paths are evaluated in one
/// pass over the document: libyaml reads it once and each event goes to every path's
/// filter and state in turn, so the work is the events times the paths, and the memory
/// the records selected (the document's events are not kept).
enum YAMLContentQuery {
    /// The fields of one record, in the order their keys first appeared.
    typealias Record = [OVALItemField]

    /// One item holding `head` and a `value` per record; none when there is no record.
    static func items(head: [OVALItemField], records: [Record]) -> [OVALItem] {
        guard !records.isEmpty else { return [] }
        var fields = head
        fields.reserveCapacity(head.count + records.count)
        for record in records { fields.append(OVALItemField("value", "", datatype: .record, record: record)) }
        return [OVALItem(fields: fields)]
    }

    /// The records `yamlPath` selects in `bytes`, or why there are none.
    static func evaluate(_ bytes: [UInt8], yamlPath: String) -> Result<[Record], QueryFailure> {
        var work = YAMLQueryWork()
        return evaluate(bytes, yamlPaths: [yamlPath], work: &work)[0]
    }

    /// The records each of `yamlPaths` selects in `bytes` (or why there are none), in the
    /// order of `yamlPaths`, from one pass over the document. Each result is what the
    /// path gives alone: a path that fails stops taking events, the others go on.
    /// `work` counts what was done.
    static func evaluate(_ bytes: [UInt8], yamlPaths: [String], work: inout YAMLQueryWork) -> [Result<[Record], QueryFailure>] {
        var results: [Result<[Record], QueryFailure>?] = Array(repeating: nil, count: yamlPaths.count)
        var states: [QueryState] = []
        var stateOf: [Int] = []
        for (i, text) in yamlPaths.enumerated() {
            do {
                states.append(QueryState(path: try YAMLPath(parsing: text), pathText: text))
                stateOf.append(i)
            } catch {
                results[i] = .failure(QueryFailure("Invalid YAML path '\(text)': \(error)"))
            }
        }
        guard !states.isEmpty else { return results.map { $0! } }
        var live = states.count
        do {
            try YAMLPathEvents.read(bytes) { event in
                work.events += 1
                for k in states.indices where results[stateOf[k]] == nil {
                    work.steps += 1
                    do {
                        try states[k].consume(event, work: &work)
                    } catch let e as QueryFailure {
                        results[stateOf[k]] = .failure(e)
                        states[k].records = []
                        live -= 1
                    }
                }
                return live > 0
            }
        } catch let e as YAMLPathEvents.ParseError {
            for k in states.indices where results[stateOf[k]] == nil {
                results[stateOf[k]] = .failure(QueryFailure("YAML parser error: \(e.problem)"))
            }
        } catch {
            for k in states.indices where results[stateOf[k]] == nil {
                results[stateOf[k]] = .failure(QueryFailure("YAML parser error: \(error)"))
            }
        }
        for k in states.indices where results[stateOf[k]] == nil {
            if let open = states[k].record { states[k].records.append(open) }
            work.records += states[k].records.count
            results[stateOf[k]] = .success(states[k].records)
            states[k].records = []
        }
        return results.map { $0! }
    }

    /// The probe's state while it walks the events one path selects.
    private struct QueryState {
        var filter: YAMLPathFilter
        let pathText: String
        var inSequence = false
        var inMapping = false
        var fakeMapping = false
        var index = 0
        var key = "#"
        var record: Record?
        var records: [Record] = []

        init(path: YAMLPath, pathText: String) {
            filter = YAMLPathFilter(path: path)
            self.pathText = pathText
        }

        func failure(_ what: String) -> QueryFailure {
            QueryFailure("YAML path '\(pathText)' points to \(what)")
        }

        mutating func closeRecord() {
            if let r = record, !r.isEmpty { records.append(r) }
            record = nil
        }

        mutating func consume(_ event: YAMLPathEvent, work: inout YAMLQueryWork) throws {
            guard filter.filter(event) != .out else { return }
            try sequence(event)
            try mapping(event)
            if case .scalar(let value, let tag, let plain, _) = event {
                if inMapping && !inSequence {
                    let isKey = index % 2 == 0
                    index += 1
                    if isKey {
                        key = YAMLScalar.escapeKey(value)
                        return
                    }
                }
                guard let field = YAMLScalar.field(named: key, value: value, tag: tag, plain: plain) else {
                    throw QueryFailure("Can't convert '\(tag ?? "(null)") \(value)' to SEXP")
                }
                work.fields += 1
                // Appended in place: a sequence of n scalars is one record of n fields.
                if record == nil { record = [] }
                record!.append(field)
            }
        }

        private mutating func sequence(_ event: YAMLPathEvent) throws {
            if inSequence {
                if event == .sequenceEnd {
                    if fakeMapping {
                        fakeMapping = false
                        closeRecord()
                    } else {
                        inSequence = false
                    }
                } else if case .sequenceStart = event {
                    if inMapping || fakeMapping {
                        throw failure("a multi-dimensional structure (a map or a sequence containing other sequences)")
                    }
                    fakeMapping = true
                    record = []
                }
            } else if case .sequenceStart = event {
                inSequence = true
                if inMapping { index += 1 }
            }
        }

        private mutating func mapping(_ event: YAMLPathEvent) throws {
            if inMapping {
                if event == .mappingEnd {
                    inMapping = false
                    closeRecord()
                } else if event.isMappingStart {
                    throw failure("a multi-dimensional structure (map containing another map)")
                }
            } else if event.isMappingStart {
                if record != nil { throw failure("an invalid structure (map containing another map)") }
                if fakeMapping {
                    throw failure("a multi-dimensional structure (two-dimensional sequence containing a map)")
                }
                inMapping = true
                inSequence = false
                index = 0
                record = []
            }
        }
    }
}

/// What `YAMLContentQuery` did, counted (for tests that check the work grows linearly
/// with the document, and for profiling): events libyaml produced, events given to a
/// path's state (events times live paths), record fields built and records returned.
package struct YAMLQueryWork: Sendable, Equatable {
    package var events = 0
    package var steps = 0
    package var fields = 0
    package var records = 0

    package init() {}
}
