import Foundation
import VigilXML
import Yams

/// Every problem found in a rule folder (the whole folder is read, so that one run
/// reports them all).
public struct RuleErrors: Error, CustomStringConvertible, Sendable {
    public let errors: [RuleError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Reads a rule folder: `benchmark.yaml` and the rule files below it.
public enum RuleFolder {
    /// The benchmark file's name.
    package static let benchmarkFile = "benchmark.yaml"

    /// Reads and checks the rule folder `folder` (`rules/README.md`); throws `RuleErrors`
    /// listing every problem found, each at its file and line.
    public static func load(_ folder: String) throws -> RuleBenchmark {
        let benchmarkPath = (folder as NSString).appendingPathComponent(benchmarkFile)
        guard FileManager.default.fileExists(atPath: benchmarkPath) else {
            throw RuleErrors(errors: [RuleError(file: folder, line: nil, "not a rule folder: it has no \(benchmarkFile)")])
        }
        var errors: [RuleError] = []
        var newest = Date(timeIntervalSince1970: 0)
        func read(_ path: String) throws -> Node { try readYAML(path, newest: &newest) }

        var benchmark: RuleBenchmark?
        do { benchmark = try BenchmarkFile.parse(try read(benchmarkPath), file: benchmarkPath, folder: folder) } catch let e as RuleError {
            errors.append(e)
        }
        var rules: [RuleSpec] = []
        var seen: [String: String] = [:]
        let walk = RuleFolderWalk(folder)
        errors += walk.errors
        for (path, group) in walk.files {
            do {
                let rule = try RuleFile.parse(try read(path), file: path, group: group)
                if let first = seen[rule.id] {
                    throw RuleError(file: path, line: rule.line, "duplicate rule id '\(rule.id)', first defined in \(first)")
                }
                seen[rule.id] = "\(path):\(rule.line)"
                rules.append(rule)
            } catch let e as RuleError { errors.append(e) }
        }
        var groups: [String: RuleGroupText] = [:]
        for (path, group) in walk.groupFiles {
            do { groups[group] = try RuleGroupText.parse(try read(path), file: path) } catch let e as RuleError { errors.append(e) }
        }
        guard var b = benchmark else { throw RuleErrors(errors: errors) }
        b.rules = rules
        b.groups = groups
        if errors.isEmpty { errors += BenchmarkFile.crossCheck(b) }
        if rules.isEmpty && errors.isEmpty { errors.append(RuleError(file: folder, line: nil, "the folder holds no rule files (*.yaml)")) }
        guard errors.isEmpty else { throw RuleErrors(errors: errors) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        b.timestamp = f.string(from: newest)
        return b
    }

    /// Reads and parses one YAML file of the folder, noting its modification time in
    /// `newest`; every problem is a `RuleError` at the file (and line).
    static func readYAML(_ path: String, newest: inout Date) throws -> Node {
        let text: String
        do {
            text = try YAMLInput.read(path)
            if let attrs = try? FileManager.default.attributesOfItem(atPath: path),
               let m = attrs[.modificationDate] as? Date, m > newest { newest = m }
        } catch let e as InputFileError {
            throw RuleError(file: path, line: nil, e.message)
        }
        do {
            guard let node = try YAMLInput.compose(text) else { throw RuleError(file: path, line: 1, "the file is empty") }
            return node
        } catch let e as RuleError { throw e } catch let e as YAMLLimitError {
            throw RuleError(file: path, line: e.line, e.message)
        } catch let e as YamlError {
            throw RuleError(file: path, line: YamlErrorLine.of(e), "not valid YAML: \(YamlErrorLine.message(e))")
        } catch {
            throw RuleError(file: path, line: nil, "not valid YAML: \(error)")
        }
    }
}

/// A folder's `group.yaml`: the title and description of the XCCDF Group the folder
/// becomes (without it, the Group's title is the folder's name).
public struct RuleGroupText: Sendable, Equatable {
    public var title: String
    public var description: String

    static func parse(_ node: Node, file: String) throws -> RuleGroupText {
        let f = try YAMLFields(node, file: file, what: "the group", allowed: ["title", "description"])
        return RuleGroupText(title: try f.required("title"), description: try f.string("description") ?? "")
    }
}

/// Line numbers and messages of Yams errors (rule files and waiver files).
package enum YamlErrorLine {
    package static func of(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    package static func message(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}
