import Foundation
import Yams

/// `benchmark.yaml`: id, namespace, title, version, description, values and profiles.
enum BenchmarkFile {
    static func parse(_ node: Node, file: String, folder: String) throws -> RuleBenchmark {
        let f = try YAMLFields(node, file: file, what: "the benchmark",
                               allowed: ["id", "namespace", "title", "version", "description", "values", "profiles"])
        let id = try f.required("id")
        guard RuleFile.isName(id, underscore: false) else { throw f.error("id", "benchmark id '\(id)' may hold only letters, digits, '-' and '.'") }
        let namespace = try f.string("namespace") ?? "io.vigil"
        guard RuleFile.isName(namespace, underscore: false) else {
            throw f.error("namespace", "namespace '\(namespace)' may hold only letters, digits, '-' and '.' (reverse DNS, no '_')")
        }
        var values: [RuleValue] = []
        if let node = f.mapping["values"] {
            guard let m = node.mapping else { throw f.error("values", "'values' must map value names to their definitions") }
            for (k, v) in m {
                let name = k.scalar?.string ?? ""
                guard RuleFile.isName(name) else {
                    throw RuleError(file: file, line: YAMLFields.line(k), "value name '\(name)' may hold only letters, digits, '_', '-' and '.'")
                }
                let vf = try YAMLFields(v, file: file, what: "value '\(name)'", allowed: ["title", "description", "type", "default", "options"])
                let type = try vf.string("type") ?? "string"
                guard ["string", "number", "boolean"].contains(type) else {
                    throw vf.error("type", "value type must be string, number or boolean, not '\(type)'")
                }
                // A string value may default to "" (say, an allow-list a site fills in by tailoring).
                let def = type == "string" && vf.has("default") ? try vf.string("default") ?? "" : try vf.required("default")
                if type == "number", Int(def) == nil { throw vf.error("default", "value '\(name)' is a number but its default '\(def)' is not an integer") }
                let options = try vf.pairs("options") ?? []
                values.append(RuleValue(id: name, title: try vf.string("title") ?? name, description: try vf.string("description") ?? "",
                                        type: type, defaultValue: def, options: options.map { ($0.key, $0.value) },
                                        file: file, line: YAMLFields.line(k)))
            }
        }
        var profiles: [RuleProfile] = []
        if let node = f.mapping["profiles"] {
            guard let m = node.mapping else { throw f.error("profiles", "'profiles' must map profile names to their definitions") }
            for (k, v) in m {
                let name = k.scalar?.string ?? ""
                guard RuleFile.isName(name, underscore: false) else {
                    throw RuleError(file: file, line: YAMLFields.line(k), "profile name '\(name)' may hold only letters, digits, '-' and '.'")
                }
                let pf = try YAMLFields(v, file: file, what: "profile '\(name)'", allowed: ["title", "description", "extends", "rules", "values"])
                profiles.append(RuleProfile(id: name, title: try pf.required("title"), description: try pf.string("description") ?? "",
                                            extends: try pf.string("extends"), rules: try pf.strings("rules") ?? [],
                                            values: (try pf.pairs("values") ?? []).map { ($0.key, $0.value) },
                                            file: file, line: YAMLFields.line(k)))
            }
        }
        return RuleBenchmark(id: id, namespace: namespace, title: try f.required("title"), version: try f.required("version"),
                             description: try f.string("description") ?? "", values: values, profiles: profiles,
                             rules: [], folder: folder, timestamp: "")
    }

    /// Names that must resolve: profile rules, extends and values; `${value}` in checks.
    static func crossCheck(_ b: RuleBenchmark) -> [RuleError] {
        var errors: [RuleError] = []
        let ruleIDs = Set(b.rules.map(\.id))
        let values = Dictionary(b.values.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let profileIDs = Set(b.profiles.map(\.id))
        for p in b.profiles {
            let (file, line) = (p.file, p.line)
            for r in p.rules where !ruleIDs.contains(r) {
                errors.append(RuleError(file: file, line: line, "profile '\(p.id)' names unknown rule '\(r)'"))
            }
            if let e = p.extends, !profileIDs.contains(e) {
                errors.append(RuleError(file: file, line: line, "profile '\(p.id)' extends unknown profile '\(e)'"))
            }
            var chain = [p.id], next = p.extends
            while let e = next, let parent = b.profiles.first(where: { $0.id == e }) {
                if chain.contains(e) {
                    errors.append(RuleError(file: file, line: line, "profile '\(p.id)' extends itself: \((chain + [e]).joined(separator: " -> "))"))
                    break
                }
                chain.append(e)
                next = parent.extends
            }
            for (id, choice) in p.values {
                guard let v = values[id] else {
                    errors.append(RuleError(file: file, line: line, "profile '\(p.id)' sets unknown value '\(id)'"))
                    continue
                }
                if v.type == "number", !v.options.contains(where: { $0.selector == choice }), Int(choice) == nil {
                    errors.append(RuleError(file: file, line: line, "profile '\(p.id)' sets number value '\(id)' to '\(choice)', which is neither an option nor an integer"))
                }
            }
        }
        let choices = DataStreamBuilder.valueChoices(b)
        for r in b.rules {
            if case .native(let n) = r.check { errors += RuleFile.crossCheck(n, rule: r, choices: choices) }
            for name in RuleCheckOVAL.valueReferences(r.check) + (r.fallback.map(RuleCheckOVAL.valueReferences) ?? []) where values[name] == nil {
                errors.append(RuleError(file: r.file, line: r.line, "rule '\(r.id)' uses unknown value '${\(name)}'"))
            }
            for case .file(let c) in [r.check] + (r.fallback.map { [$0] } ?? []) {
                guard let name = c.modeValue, let v = values[name] else { continue }
                for text in choices[name] ?? [] where RuleCheckOVAL.mode(text) == nil {
                    errors.append(RuleError(file: v.file, line: v.line, "value '\(name)' is the mode of rule '\(r.id)', so each of its "
                                            + "choices must be octal like \"0640\", not '\(text)'"))
                }
            }
        }
        return errors
    }
}
