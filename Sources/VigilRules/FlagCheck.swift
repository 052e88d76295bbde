import Foundation

/// `flag`: a Kubernetes component's command-line flag, read from its static pod
/// manifest's `command:`/`args:` items (`- --name=value` or `- --name` `- value`), with
/// pflag's meaning: the last occurrence wins, and a boolean flag alone means true.
/// With `component` instead of `files`, every source of the component's settings on the
/// node is read (`ComponentFlagOVAL`): manifests, k3s/rke2 configuration, units, the
/// running process, and a configuration file (`config`).
public struct FlagCheck: Sendable {
    /// What the flag's effective value must satisfy.
    public enum Condition: Sendable {
        case present
        case absent
        /// The last occurrence's value passes the test; an absent flag is judged by `missingPasses`.
        case value(ValueTest)
    }

    /// The manifests read; empty when `component` is given.
    public var files: [FileSelection]
    /// The component whose sources are read, per installed distribution.
    public var component: KubernetesComponent?
    /// The setting in the component's configuration file, with the test it must pass.
    public var config: ComponentConfigSetting?
    /// What k3s passes when no source sets the flag (the rule's, else `K3sDefaults`, else `default`).
    public var k3sDefault: String?
    /// A top-level k3s option that sets this (boolean) flag to true.
    public var k3sOption: String?
    /// The test on the flag's value as written (`--name=VALUE`), before a boolean flag's
    /// test is rewritten over `--name[=VALUE]`; nil for present/absent.
    public var valueTest: ValueTest?
    /// A boolean flag checked with `value`: the value it must have.
    public var booleanValue: Bool?
    /// `contains`/`lacks`: the item and whether it must be there.
    public var listItem: (item: String, contains: Bool)?
    /// Without the leading `--`.
    public var name: String
    /// A boolean flag: `--name` alone means true and never takes the next item as its value.
    public var boolean: Bool
    public var condition: Condition
    /// The upstream default, in effect when the flag is absent (documentation and the test's comment).
    public var defaultValue: String?
    public var missingPasses: Bool

    static let keys = ["files", "component", "name", "boolean", "present", "value", "value_pattern", "contains", "lacks",
                       "at_least", "at_most", "default", "missing", "config", "config_value", "config_pattern",
                       "k3s_default", "k3s_option"]

    /// pflag's `strconv.ParseBool` spellings.
    static let trueWords = ["1", "t", "T", "TRUE", "true", "True"]
    static let falseWords = ["0", "f", "F", "FALSE", "false", "False"]

    static func parse(_ f: YAMLFields) throws -> FlagCheck {
        let name = try f.required("name")
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) != nil else {
            throw f.error("name", "'\(name)' is not a flag name (give it without the leading --)")
        }
        let boolean = try f.bool("boolean") ?? false
        let kinds = ["present", "value", "value_pattern", "contains", "lacks", "at_least", "at_most"]
        let given = kinds.filter { f.has($0) }
        var condition: Condition
        var listItem: (item: String, contains: Bool)?
        if given == ["present"] {
            condition = try f.bool("present")! ? .present : .absent
            for key in ["default", "missing"] where f.has(key) {
                throw f.error(key, "'\(key)' has no meaning with 'present': an absent flag is what 'present' checks")
            }
        } else if given.count == 1, given[0] == "contains" || given[0] == "lacks" {
            let item = try f.required(given[0])
            guard !item.contains(",") else { throw f.error(given[0], "'\(given[0])' is one item of the list, without ','") }
            let one = RuleCheckOVAL.re(item)
            listItem = (item, given[0] == "contains")
            condition = .value(.pattern(given[0] == "contains" ? "(?:.*,)?\(one)(?:,.*)?" : "(?!(?:.*,)?\(one)(?:,|$)).*"))
        } else if given.contains("present") || given.contains("contains") || given.contains("lacks") || given.isEmpty {
            throw RuleError(file: f.file, line: f.line, "check 'flag' needs exactly one of \(kinds.joined(separator: ", ")) (at_least with at_most for a range)\(given.count > 1 ? ", not \(given.joined(separator: " and "))" : "")")
        } else {
            condition = .value(try RuleFile.valueTest(f, kinds: ["value", "value_pattern", "at_most", "at_least"]))
        }
        var valueTest: ValueTest?
        var booleanValue: Bool?
        if case .value(let t) = condition { valueTest = t }
        if boolean, case .value(let t) = condition {
            guard case .equals(let v) = t, trueWords.contains(v) || falseWords.contains(v) else {
                throw RuleError(file: f.file, line: f.line, "a boolean flag is checked with present or with value: true or false")
            }
            // The capture is `--name` or `--name=word`; alone, the flag means true.
            let isTrue = trueWords.contains(v)
            let words = (isTrue ? trueWords : falseWords).joined(separator: "|")
            valueTest = .pattern(words)
            booleanValue = isTrue
            condition = .value(.pattern("--\(RuleCheckOVAL.re(name))(?:=(?:\(words)))\(isTrue ? "?" : "")"))
        }
        let defaultValue = try f.string("default")
        var missingPasses = try RuleFile.missing(f)
        if case .value(let t) = condition, let d = defaultValue, let passes = defaultPasses(d, t, name: name, boolean: boolean) {
            if f.has("missing"), passes != missingPasses {
                throw f.error("missing", "the default '\(d)' \(passes ? "passes" : "fails") this check, so 'missing' must be \(passes ? "pass" : "fail")")
            }
            missingPasses = passes
        }
        // `present: false` is met exactly when no source sets the flag; `present: true` never is then.
        if case .absent = condition { missingPasses = true }
        var check = FlagCheck(files: [], name: name, boolean: boolean, condition: condition,
                              defaultValue: defaultValue, missingPasses: missingPasses)
        check.valueTest = valueTest
        check.booleanValue = booleanValue
        check.listItem = listItem
        try check.parseSources(f)
        return check
    }

    /// Whether the upstream default satisfies the test; nil when it depends on a `${value}`.
    static func defaultPasses(_ d: String, _ t: ValueTest, name: String, boolean: Bool) -> Bool? {
        let value = boolean ? "--\(name)=\(d)" : d
        func int(_ s: String) -> Int? { RuleCheckOVAL.valueName(s) == nil ? Int(s) : nil }
        switch t {
        case .equals(let v): return RuleCheckOVAL.valueName(v) == nil ? v == value : nil
        case .pattern(let p):
            guard let re = try? NSRegularExpression(pattern: "^(?:\(p))$") else { return nil }
            return re.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
        case .allowed: return nil
        case .atMost(let b): guard let b = int(b), let v = Int(d) else { return nil }; return v <= b
        case .atLeast(let b): guard let b = int(b), let v = Int(d) else { return nil }; return v >= b
        case .range(let lo, let hi): guard let lo = int(lo), let hi = int(hi), let v = Int(d) else { return nil }; return lo <= v && v <= hi
        }
    }
}
