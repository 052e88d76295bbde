import Foundation
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
    public static let benchmarkFile = "benchmark.yaml"

    public static func load(_ folder: String) throws -> RuleBenchmark {
        let benchmarkPath = (folder as NSString).appendingPathComponent(benchmarkFile)
        guard FileManager.default.fileExists(atPath: benchmarkPath) else {
            throw RuleErrors(errors: [RuleError(file: folder, line: nil, "not a rule folder: it has no \(benchmarkFile)")])
        }
        var errors: [RuleError] = []
        var newest = Date(timeIntervalSince1970: 0)
        func read(_ path: String) throws -> Node {
            let text: String
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                if let attrs = try? FileManager.default.attributesOfItem(atPath: path),
                   let m = attrs[.modificationDate] as? Date, m > newest { newest = m }
                guard let s = String(data: data, encoding: .utf8) else { throw RuleError(file: path, line: nil, "not UTF-8 text") }
                text = s
            } catch let e as RuleError { throw e } catch {
                throw RuleError(file: path, line: nil, "cannot be read: \(error.localizedDescription)")
            }
            do {
                guard let node = try Yams.compose(yaml: text) else { throw RuleError(file: path, line: 1, "the file is empty") }
                return node
            } catch let e as RuleError { throw e } catch let e as YamlError {
                throw RuleError(file: path, line: YamlErrorLine.of(e), "not valid YAML: \(YamlErrorLine.message(e))")
            } catch {
                throw RuleError(file: path, line: nil, "not valid YAML: \(error)")
            }
        }

        var benchmark: RuleBenchmark?
        do { benchmark = try BenchmarkFile.parse(try read(benchmarkPath), file: benchmarkPath, folder: folder) } catch let e as RuleError {
            errors.append(e)
        }
        var rules: [RuleSpec] = []
        var seen: [String: String] = [:]
        for (path, group) in ruleFiles(folder) {
            do {
                let rule = try RuleFile.parse(try read(path), file: path, group: group)
                if let first = seen[rule.id] {
                    throw RuleError(file: path, line: rule.line, "duplicate rule id '\(rule.id)', first defined in \(first)")
                }
                seen[rule.id] = "\(path):\(rule.line)"
                rules.append(rule)
            } catch let e as RuleError { errors.append(e) }
        }
        guard var b = benchmark else { throw RuleErrors(errors: errors) }
        b.rules = rules
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

    /// Rule files (`*.yaml` and `*.yml` other than `benchmark.yaml`) with the folder they
    /// are in relative to `folder`: folders by name, then files by name, depth first.
    static func ruleFiles(_ folder: String) -> [(path: String, group: String)] {
        var out: [(String, String)] = []
        func visit(_ dir: String, _ group: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            var files: [String] = [], dirs: [String] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                let path = (dir as NSString).appendingPathComponent(name)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
                if isDir.boolValue { dirs.append(name) } else if (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) && !(group.isEmpty && name == benchmarkFile) {
                    files.append(path)
                }
            }
            out += files.map { ($0, group) }
            for d in dirs { visit((dir as NSString).appendingPathComponent(d), group.isEmpty ? d : group + "/" + d) }
        }
        visit(folder, "")
        return out
    }
}

/// Line numbers and messages of Yams errors (rule files and waiver files).
public enum YamlErrorLine {
    public static func of(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    public static func message(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}
