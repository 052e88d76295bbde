import CYaml

/// One libyaml parser event, as the YAML Path filter and OpenSCAP's yamlfilecontent
/// probe consume them. Aliases stay aliases (they are never expanded), which is
/// what OpenSCAP sees and what keeps alias bombs harmless.
enum YAMLPathEvent: Sendable, Equatable {
    case streamStart, streamEnd, documentStart, documentEnd
    case mappingStart(anchor: String?)
    case mappingEnd
    case sequenceStart(anchor: String?)
    case sequenceEnd
    case alias(anchor: String)
    /// A scalar with its explicit tag (resolved, e.g. `tag:yaml.org,2002:str`) and
    /// whether it was written plain (unquoted, not a block scalar).
    case scalar(value: String, tag: String?, plain: Bool, anchor: String?)

    /// The anchor a node defines (aliases define none).
    var anchor: String? {
        switch self {
        case .mappingStart(let a), .sequenceStart(let a), .scalar(_, _, _, let a): return a
        default: return nil
        }
    }

    /// The text of a scalar, nil for other events.
    var scalarValue: String? {
        if case .scalar(let v, _, _, _) = self { return v }
        return nil
    }

    var isMappingStart: Bool {
        if case .mappingStart = self { return true }
        return false
    }

    /// A node start, alias, scalar or document start: what counts as an entry of the
    /// enclosing map or sequence.
    var isNodeOrDocumentStart: Bool {
        switch self {
        case .documentStart, .mappingStart, .sequenceStart, .alias, .scalar: return true
        default: return false
        }
    }
}

/// libyaml (as bundled by Yams) run as an event stream.
enum YAMLPathEvents {
    /// Why the YAML could not be parsed: libyaml's problem text.
    struct ParseError: Error, Sendable, Equatable {
        let problem: String
    }

    /// The deepest nesting of collections libyaml reads (its `yaml_set_max_nest_level`).
    /// Debian's libyaml (oscap's) has no limit; Yams' copy stops at 1000, which made
    /// files that oscap reads an error. A backstop: `NestingBudget` stops a file first.
    static let maxNesting: Int32 = 10_000

    /// Sets libyaml's process-wide nesting limit to `maxNesting`, once, before the first
    /// parse. Every other libyaml user in Vigil goes through `YAMLInput`, which refuses
    /// anything deeper than 100 levels before Yams builds its recursive node tree.
    private static let nestingLimit: Void = yaml_set_max_nest_level(maxNesting)

    /// Feeds every event of `bytes` to `handle` until the stream ends or `handle`
    /// returns false. Throws `ParseError` on malformed YAML and rethrows `handle`'s errors.
    static func read(_ bytes: [UInt8], _ handle: (YAMLPathEvent) throws -> Bool) throws {
        _ = nestingLimit
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw ParseError(problem: "cannot initialise the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        // libyaml asserts a non-NULL input, which an empty array may not give.
        let storage = bytes.isEmpty ? [UInt8(0)] : bytes
        var budget = NestingBudget()
        try storage.withUnsafeBufferPointer { buf in
            yaml_parser_set_input_string(&parser, buf.baseAddress, bytes.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
                    throw ParseError(problem: problem)
                }
                defer { yaml_event_delete(&event) }
                let converted = convert(&event)
                try budget.spend(on: converted, line: Int(event.start_mark.line) + 1)
                guard try handle(converted), converted != .streamEnd else { return }
            }
        }
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        p.map { String(cString: $0) }
    }

    private static func convert(_ e: inout yaml_event_t) -> YAMLPathEvent {
        switch e.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_MAPPING_START_EVENT: return .mappingStart(anchor: string(e.data.mapping_start.anchor))
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        case YAML_SEQUENCE_START_EVENT: return .sequenceStart(anchor: string(e.data.sequence_start.anchor))
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_ALIAS_EVENT: return .alias(anchor: string(e.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let s = e.data.scalar
            let value = s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(s.length)), as: UTF8.self) } ?? ""
            return .scalar(value: value, tag: string(s.tag), plain: s.style == YAML_PLAIN_SCALAR_STYLE,
                           anchor: string(s.anchor))
        default: return .streamEnd
        }
    }
}

/// Bounds the time libyaml spends on deeply nested input. libyaml's scanner looks at
/// every open flow level for each token, so a file nested `d` deep costs about `d` per
/// token: 150,000 `[` took oscap 59 s, 20,000 took 1 s, 3,000 levels around 40,000
/// items 1.3 s. Each event deeper than `freeDepth` costs its depth beyond it; past
/// `maxExcess` (about 0.2 s of oscap's libyaml, per object) the file is an error.
/// Files nested less than `freeDepth` never pay, whatever their size; a sequence
/// nested 3,000 deep is read as oscap reads it, one 6,500 deep is an error.
struct NestingBudget {
    static let freeDepth = 100
    static let maxExcess = 20_000_000

    private var depth = 0
    private var excess = 0

    /// Counts one event; throws `YAMLPathEvents.ParseError` once the budget is spent.
    mutating func spend(on event: YAMLPathEvent, line: Int) throws {
        switch event {
        case .mappingStart, .sequenceStart: depth += 1
        case .mappingEnd, .sequenceEnd: depth -= 1
        default: break
        }
        guard depth > Self.freeDepth else { return }
        excess += depth - Self.freeDepth
        guard excess <= Self.maxExcess else {
            throw YAMLPathEvents.ParseError(problem: "collections nest too deep to read in bounded time "
                                            + "(\(depth) levels at line \(line); refused)")
        }
    }
}
