import VigilCrypto
import Yams

/// Native checks in rule files: `check: {KIND: {param: value | [values]}}` and the
/// rule's `fallback:`; their value references and parameters are checked against the
/// benchmark's values by `crossCheck`.
extension RuleFile {
    /// The body of native check `kind`: a flat mapping of its parameters, each a scalar or
    /// a non-empty list of scalars.
    static func nativeCheck(_ kind: any NativeCheckKind.Type, _ body: Node, file: String, line: Int) throws -> NativeRuleCheck {
        let f = try YAMLFields(body, file: file, what: "check '\(kind.name)'", allowed: kind.parameterNames)
        var parameters: [(name: String, values: [String])] = []
        var lines: [String: Int] = [:]
        for (key, _) in f.mapping {
            let name = key.scalar?.string ?? ""
            guard let values = try f.strings(name), !values.isEmpty else {
                throw f.error(name, "'\(name)' in check '\(kind.name)' is an empty list")
            }
            parameters.append((name, values))
            lines[name] = YAMLFields.line(key)
        }
        return NativeRuleCheck(spec: NativeCheckSpec(kind: kind.name, parameters: parameters), line: line, parameterLines: lines)
    }

    /// A rule's `fallback:`: a standard check (one that compiles to OVAL), allowed only
    /// when the rule's check is native.
    static func parseFallback(_ node: Node, of check: RuleCheck, file: String, rule: String) throws -> RuleCheck {
        guard check.isNative else {
            throw RuleError(file: file, line: YAMLFields.line(node),
                            "the rule '\(rule)' has a 'fallback', but its check is a standard one (a fallback follows only a native check)")
        }
        return try parseCheck(node, file: file, rule: rule, native: false)
    }

    /// The problems of a native check once the benchmark's values are known: each
    /// `${name}` must name a value, and the check must accept its parameters with every
    /// choice of those values (default, options, profile choices), each problem at the
    /// line of its parameter.
    static func crossCheck(_ native: NativeRuleCheck, rule: RuleSpec, choices: [String: [String]]) -> [RuleError] {
        func at(_ e: NativeCheckError) -> RuleError {
            RuleError(file: rule.file, line: e.parameter.flatMap { native.parameterLines[$0] } ?? native.line,
                      "rule '\(rule.id)': \(e.message)")
        }
        let names = native.spec.valueReferences
        var errors: [RuleError] = []
        for name in names where choices[name] == nil {
            let p = native.spec.parameters.first { $0.values.contains { $0.contains("${\(name)}") } }
            errors.append(RuleError(file: rule.file, line: p.flatMap { native.parameterLines[$0.name] } ?? native.line,
                                    "rule '\(rule.id)' uses unknown value '${\(name)}'"))
        }
        guard errors.isEmpty else { return errors }
        // The default first, then each other choice of one value at a time.
        var trials: [(String?, [String: String])] = [(nil, choices.compactMapValues(\.first))]
        for name in names { for text in choices[name]?.dropFirst() ?? [] {
            var values = trials[0].1
            values[name] = text
            trials.append(("\(name) = '\(text)'", values))
        } }
        for (label, values) in trials {
            do { _ = try NativeCheckKinds.make(try native.spec.substituting(values)) } catch let e as NativeCheckError {
                var error = at(e)
                if let label { error = RuleError(file: error.file, line: error.line, error.message + " (with value \(label))") }
                return [error]
            } catch {
                return [RuleError(file: rule.file, line: native.line, "rule '\(rule.id)': \(error)")]
            }
        }
        return []
    }
}
