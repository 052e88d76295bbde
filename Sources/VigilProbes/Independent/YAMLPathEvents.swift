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

    /// Feeds every event of `bytes` to `handle` until the stream ends or `handle`
    /// returns false. Throws `ParseError` on malformed YAML and rethrows `handle`'s errors.
    static func read(_ bytes: [UInt8], _ handle: (YAMLPathEvent) throws -> Bool) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw ParseError(problem: "cannot initialise the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        // libyaml asserts a non-NULL input, which an empty array may not give.
        let storage = bytes.isEmpty ? [UInt8(0)] : bytes
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
