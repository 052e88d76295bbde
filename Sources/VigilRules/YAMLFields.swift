import Foundation
import Yams

/// A YAML mapping read strictly: unknown keys are errors, scalars are taken as written
/// (so `no`, `0640` and `2` stay the strings they look like), and every error names the
/// file and line.
struct YAMLFields {
    let file: String
    let node: Node
    let mapping: Node.Mapping
    /// What the mapping is, for messages ("rule", "check 'file'").
    let what: String

    init(_ node: Node, file: String, what: String, allowed: [String]) throws {
        guard let mapping = node.mapping else {
            throw RuleError(file: file, line: YAMLFields.line(node), "\(what) must be a mapping of keys to values")
        }
        for key in mapping.keys {
            guard let name = key.scalar?.string, allowed.contains(name) else {
                throw RuleError(file: file, line: YAMLFields.line(key),
                                "unknown key '\(key.scalar?.string ?? "?")' in \(what); expected one of: \(allowed.joined(separator: ", "))")
            }
        }
        self.file = file
        self.node = node
        self.mapping = mapping
        self.what = what
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    var line: Int { YAMLFields.line(node) }

    func has(_ key: String) -> Bool { mapping[key] != nil }

    func line(of key: String) -> Int { mapping[key].map(YAMLFields.line) ?? line }

    func error(_ key: String, _ message: String) -> RuleError {
        RuleError(file: file, line: line(of: key), message)
    }

    /// A scalar, as written; nil when absent.
    func string(_ key: String) throws -> String? {
        guard let value = mapping[key] else { return nil }
        guard let scalar = value.scalar else { throw error(key, "'\(key)' in \(what) must be a single value, not a list or mapping") }
        return scalar.string
    }

    func required(_ key: String) throws -> String {
        guard let value = try string(key) else {
            throw RuleError(file: file, line: line, "\(what) has no '\(key)'")
        }
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw error(key, "'\(key)' in \(what) is empty") }
        return value
    }

    /// `true` or `false`, nothing else (YAML 1.1's yes/no/on/off are refused as ambiguous).
    func bool(_ key: String) throws -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(key, "'\(key)' in \(what) must be true or false, not '\(text)'")
        }
    }

    /// A list of scalars (a single scalar counts as a list of one).
    func strings(_ key: String) throws -> [String]? {
        guard let value = mapping[key] else { return nil }
        if let scalar = value.scalar { return [scalar.string] }
        guard let seq = value.sequence else { throw error(key, "'\(key)' in \(what) must be a list") }
        return try seq.map { item in
            guard let s = item.scalar?.string else {
                throw RuleError(file: file, line: YAMLFields.line(item), "each entry of '\(key)' in \(what) must be a single value")
            }
            return s
        }
    }

    /// A nested mapping, read strictly.
    func fields(_ key: String, what: String, allowed: [String]) throws -> YAMLFields? {
        guard let value = mapping[key] else { return nil }
        return try YAMLFields(value, file: file, what: what, allowed: allowed)
    }

    /// The keys of a nested mapping with their values (scalars), in order.
    func pairs(_ key: String) throws -> [(key: String, value: String, line: Int)]? {
        guard let value = mapping[key] else { return nil }
        guard let m = value.mapping else { throw error(key, "'\(key)' in \(what) must be a mapping") }
        return try m.map { k, v in
            guard let name = k.scalar?.string, let text = v.scalar?.string else {
                throw RuleError(file: file, line: YAMLFields.line(k), "each entry of '\(key)' in \(what) must map a name to a single value")
            }
            return (name, text, YAMLFields.line(k))
        }
    }
}
