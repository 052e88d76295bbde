import CYaml
import VigilXML
import Yams

/// A YAML document beyond one of `YAMLInput`'s limits, with the line where it went over.
package struct YAMLLimitError: Error, CustomStringConvertible, Sendable {
    package let line: Int
    package let message: String
    package var description: String { "line \(line): \(message)" }
}

/// The one way Vigil reads the YAML people write for it (rule files, `benchmark.yaml`,
/// waiver files): a regular file of bounded size, whose node graph is measured with
/// aliases expanded before Yams composes it. Yams shares an aliased node rather than
/// copying it, but hashing and comparing mapping keys walks it in full, so a few
/// hundred bytes of nested aliases (a "billion laughs") would otherwise cost hours.
package enum YAMLInput {
    /// The largest YAML file read (4 MiB).
    package static let maxFileBytes = 4 << 20
    /// The most nodes a file may hold, counting every alias as the nodes it stands for.
    package static let maxNodes = 250_000
    /// The deepest nesting of mappings and sequences.
    package static let maxDepth = 100

    /// The UTF-8 text of the regular file at `path`.
    package static func read(_ path: String) throws -> String {
        let bytes = try InputFile.read(path, limit: maxFileBytes)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputFileError(file: path, message: "not UTF-8 text")
        }
        return text
    }

    /// The single document of `text`, composed once its size checks pass. Throws
    /// `YAMLLimitError` beyond a limit and Yams' `YamlError` on malformed YAML.
    package static func compose(_ text: String) throws -> Node? {
        try check(text)
        return try Yams.compose(yaml: text)
    }

    /// One pass over libyaml's events: counts nodes (an alias counts as the nodes of
    /// its anchor) and nesting depth. Malformed YAML ends the pass quietly, for Yams to
    /// report with its own message.
    static func check(_ text: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var utf8 = Array(text.utf8)
        let count = utf8.count
        if utf8.isEmpty { utf8 = [0] }   // libyaml asserts a non-NULL input
        try utf8.withUnsafeBufferPointer { buf in
            yaml_parser_set_input_string(&parser, buf.baseAddress, count)
            var nodes = 0
            /// Node counts when each open collection started, and its anchor.
            var open: [(start: Int, anchor: String?)] = []
            var anchors: [String: Int] = [:]
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                func add(_ n: Int) throws {
                    nodes += n
                    guard nodes <= maxNodes else {
                        throw YAMLLimitError(line: line, message: "the document holds more than \(maxNodes) nodes once its aliases are expanded "
                                                 + "(an alias bomb?); refused")
                    }
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_SCALAR_EVENT:
                    try add(1)
                    if let a = name(event.data.scalar.anchor) { anchors[a] = 1 }
                case YAML_ALIAS_EVENT:
                    try add(name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let anchor = event.type == YAML_SEQUENCE_START_EVENT
                        ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
                    open.append((nodes, anchor))
                    try add(1)
                    guard open.count <= maxDepth else {
                        throw YAMLLimitError(line: line, message: "mappings and sequences nest more than \(maxDepth) deep; refused")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let (start, anchor) = open.popLast(), let anchor { anchors[anchor] = nodes - start }
                default:
                    break
                }
            }
        }
    }

    private static func name(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        p.map { String(cString: $0) }
    }
}
