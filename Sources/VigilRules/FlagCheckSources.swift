import Foundation

/// A setting in a component's configuration file (`config:` of a `flag` check with a
/// `component`): its YAML path and the test its value must pass there.
public struct ComponentConfigSetting: Sendable {
    /// A YAML path in the file (`.authentication.anonymous.enabled`).
    public var yamlPath: String
    /// The test on the value (on one item of a list with `entityCheck`).
    public var test: ValueTest
    /// The value is a YAML boolean (`true`/`false`), compared as one.
    public var boolean: Bool
    /// For a list: `at least one` (contains) or `none satisfy` (lacks); nil for a scalar.
    public var entityCheck: String?
}

extension FlagCheck {
    /// Reads `files` or `component`, and the keys that only go with `component`.
    mutating func parseSources(_ f: YAMLFields) throws {
        switch (f.has("files"), f.has("component")) {
        case (true, true): throw f.error("component", "check 'flag' takes 'files' or 'component', not both")
        case (false, false): throw RuleError(file: f.file, line: f.line, "check 'flag' needs 'files' (manifests) or 'component'")
        case (true, false):
            for key in ["config", "config_value", "config_pattern", "k3s_default", "k3s_option"] where f.has(key) {
                throw f.error(key, "'\(key)' goes with 'component', not with 'files'")
            }
            files = try RuleFile.files(f)
            return
        case (false, true): break
        }
        let name = try f.required("component")
        guard let c = KubernetesComponent(rawValue: name) else {
            throw f.error("component", "unknown component '\(name)'; expected one of: \(KubernetesComponent.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        component = c
        k3sOption = try f.string("k3s_option")
        if let option = k3sOption {
            guard option.range(of: #"^[a-z0-9][a-z0-9-]*$"#, options: .regularExpression) != nil else {
                throw f.error("k3s_option", "'\(option)' is not a k3s option name (lower case, without the leading --)")
            }
            guard boolean else { throw f.error("k3s_option", "'k3s_option' sets a boolean flag to true; give 'boolean: true'") }
        }
        k3sDefault = try f.string("k3s_default") ?? K3sDefaults.value(c, flag: self.name) ?? defaultValue
        try parseConfig(f, c)
    }

    /// Whether k3s's own setting passes when no k3s source sets the flag: `present` holds
    /// when k3s passes the flag itself, `absent` when it does not; a value test is judged
    /// on `k3sDefault` (as `missing` says when that depends on a `${value}`).
    var k3sMissingPasses: Bool {
        switch condition {
        case .present: return k3sDefault != nil
        case .absent: return k3sDefault == nil
        case .value(let t):
            guard let d = k3sDefault else { return missingPasses }
            return FlagCheck.defaultPasses(d, t, name: name, boolean: boolean) ?? missingPasses
        }
    }

    /// Whether the flag set to true by `k3s_option` passes the check.
    var k3sOptionPasses: Bool {
        switch condition {
        case .present: true
        case .absent: false
        case .value: booleanValue ?? false
        }
    }

    /// `config`, `config_value`, `config_pattern`.
    private mutating func parseConfig(_ f: YAMLFields, _ c: KubernetesComponent) throws {
        guard let path = try f.string("config") else {
            for key in ["config_value", "config_pattern"] where f.has(key) { throw f.error(key, "'\(key)' needs 'config'") }
            return
        }
        guard c == .kubelet || c == .etcd else {
            throw f.error("config", "'config' is read for kubelet and etcd only, not \(c.rawValue)")
        }
        guard path.hasPrefix("."), path.count > 1, !path.contains(" ") else {
            throw f.error("config", "'\(path)' is not a YAML path (like .authentication.anonymous.enabled)")
        }
        if f.has("config_value") && f.has("config_pattern") {
            throw f.error("config_pattern", "give 'config_value' or 'config_pattern', not both")
        }
        if let v = try f.string("config_value") {
            let isBool = FlagCheck.trueWords.contains(v) || FlagCheck.falseWords.contains(v)
            config = ComponentConfigSetting(yamlPath: path, test: .equals(isBool ? String(FlagCheck.trueWords.contains(v)) : v),
                                            boolean: boolean && isBool, entityCheck: nil)
            return
        }
        if let p = try f.string("config_pattern") {
            config = ComponentConfigSetting(yamlPath: path, test: .pattern(p), boolean: false, entityCheck: nil)
            return
        }
        guard let t = valueTest else {
            throw f.error("config", "'config' needs a value test (value, value_pattern, contains, lacks, at_least, at_most), not 'present'")
        }
        if let (item, contains) = listItem {
            config = ComponentConfigSetting(yamlPath: path, test: .equals(item), boolean: false,
                                            entityCheck: contains ? "at least one" : "none satisfy")
        } else if let b = booleanValue {
            config = ComponentConfigSetting(yamlPath: path, test: .equals(String(b)), boolean: true, entityCheck: nil)
        } else {
            config = ComponentConfigSetting(yamlPath: path, test: t, boolean: false, entityCheck: nil)
        }
    }
}
