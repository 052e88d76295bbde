import VigilCrypto

/// A benchmark written in Vigil's YAML rule format (`rules/README.md`): the contents of
/// `benchmark.yaml` and of every rule file, checked and ready to compile to SCAP.
public struct RuleBenchmark: Sendable {
    public var id: String
    /// Reverse DNS, without '_' (XCCDF ids are `xccdf_<namespace>_rule_<id>`).
    public var namespace: String
    public var title: String
    public var version: String
    public var description: String
    public var values: [RuleValue]
    public var profiles: [RuleProfile]
    /// In the order the files are found: folders first by name, then files by name.
    public var rules: [RuleSpec]
    /// The folder the benchmark was read from.
    public var folder: String
    /// When the content was last changed (the newest file), ISO 8601 without zone.
    public var timestamp: String
    /// Titles and descriptions of Groups, by folder (`RuleSpec.group`), from `group.yaml`.
    public var groups: [String: RuleGroupText] = [:]
}

/// A tunable of `benchmark.yaml`, an XCCDF `Value`.
public struct RuleValue: Sendable {
    public var id: String
    public var title: String
    public var description: String
    /// string, number or boolean.
    public var type: String
    public var defaultValue: String
    public var options: [(selector: String, value: String)]
    public var file: String
    public var line: Int
}

/// A profile of `benchmark.yaml`.
public struct RuleProfile: Sendable {
    public var id: String
    public var title: String
    public var description: String
    public var extends: String?
    public var rules: [String]
    /// Value id → an option's name or a literal value.
    public var values: [(id: String, choice: String)]
    public var file: String
    public var line: Int
}

/// One rule file.
public struct RuleSpec: Sendable {
    public var id: String
    public var title: String
    public var severity: String
    public var description: String
    public var rationale: String
    /// (kind, id): kind is nist-800-53, stig, srg, cci, cis or other.
    public var references: [(kind: String, id: String)]
    public var remediation: String
    public var platform: RulePlatform?
    public var check: RuleCheck
    /// With a native check: the standard check written after it in XCCDF, which tools
    /// without Vigil's check system evaluate (`fallback:` in the rule file).
    public var fallback: RuleCheck? = nil
    /// The folder below the benchmark's, "" for the top (it becomes an XCCDF Group).
    public var group: String
    public var file: String
    public var line: Int
}

/// Where a rule applies.
public enum RulePlatform: Sendable, Hashable {
    case package(String)
    case file(String)
    /// The component runs on the node, under any distribution (`{kubernetes: kube-apiserver}`).
    case kubernetesComponent(KubernetesComponent)
    /// The distribution is installed (`{kubernetes: k3s}`).
    case kubernetesDistribution(KubernetesDistribution)
    /// Some Kubernetes distribution is installed (`{kubernetes: node}`).
    case kubernetesNode
    /// The component runs as a static pod: its kubeadm or rke2 manifest exists (`{static_pod: etcd}`).
    case staticPod(KubernetesComponent)
}

/// The compact check kinds, and raw OVAL.
public enum RuleCheck: Sendable {
    case file(FileCheck)
    case line(LineCheck)
    case keyValue(KeyValueCheck)
    case sysctl(SysctlCheck)
    case package(name: String, installed: Bool)
    case service(ServiceCheck)
    case kernelArg(KernelArgCheck)
    case yaml(YAMLValueCheck)
    case flag(FlagCheck)
    case oval(xml: String, line: Int)
    case symlink(SymlinkCheck)
    /// A Vigil-native check (`NativeCheckKinds`), written in Vigil's XCCDF check system.
    case native(NativeRuleCheck)

    /// Whether the check is Vigil-native (every other kind compiles to OVAL).
    public var isNative: Bool {
        if case .native = self { return true }
        return false
    }
}

/// A native check as a rule file writes it: the spec, and where each parameter is (for
/// errors found once the benchmark's values are known).
public struct NativeRuleCheck: Sendable {
    public var spec: NativeCheckSpec
    /// The line of the kind's key.
    public var line: Int
    /// Parameter name → its line.
    public var parameterLines: [String: Int]
}

/// A path, or a folder and a PCRE its entries' names must match.
public struct FileSelection: Sendable {
    public var path: String
    public var namePattern: String?
    /// With `namePattern`: the matching files at any depth below `path`, not only its own
    /// entries (symbolic links to directories are not entered).
    public var recursive: Bool = false
}

/// `file`: exists or absent; mode, owner and group of every selected file.
public struct FileCheck: Sendable {
    public var path: RulePath
    public var namePattern: String?
    public var recursive: Bool
    public var exists: Bool
    /// The most permissive mode allowed (permission bits, with setuid, setgid and sticky).
    public var mode: UInt16?
    /// `mode: ${name}`: the most permissive mode is the value the profile chooses.
    public var modeValue: String?
    public var owner: Int?
    public var group: Int?
    public var missingPasses: Bool
}

/// `line`: some line (or, with `present: false`, no line) of the files matches.
public struct LineCheck: Sendable {
    public var files: [FileSelection]
    public var pattern: String
    public var present: Bool
}

/// How a value read from the system is compared.
public enum ValueTest: Sendable {
    case equals(String)
    case pattern(String)
    case allowed([String])
    case atMost(String)
    case atLeast(String)
    /// `at_least` and `at_most` together: both must hold.
    case range(atLeast: String, atMost: String)
}

/// `key_value`: every line that sets the key has a value that passes the test.
public struct KeyValueCheck: Sendable {
    public var files: [FileSelection]
    public var key: String
    public var equalsSeparator: Bool
    public var ignoreCase: Bool
    public var test: ValueTest
    public var missingPasses: Bool
}

/// `sysctl`: the running kernel's value and the sysctl.d configuration.
public struct SysctlCheck: Sendable {
    public var name: String
    public var value: String
    public var runtime: Bool
    public var configured: Bool
}

/// `service`: a systemd unit wanted by a target, and active.
public struct ServiceCheck: Sendable {
    public var unit: String
    public var enabled: Bool?
    public var active: Bool?
}

/// `kernel_arg`: an argument on the running kernel's command line and in the boot configuration.
public struct KernelArgCheck: Sendable {
    public var name: String
    public var value: String?
    public var runtime: Bool
    public var configured: Bool
}

/// `yaml`: the value at a path in a YAML or JSON file.
public struct YAMLValueCheck: Sendable {
    public var path: RulePath
    public var yamlPath: String
    public var test: ValueTest
    public var missingPasses: Bool
}

/// `symlink`: a path is a symbolic link whose canonical target is a given path or matches
/// a pattern (OVAL `unix:symlink_test`).
public struct SymlinkCheck: Sendable {
    public var path: String
    /// The canonical path the link must resolve to (exact), or nil with `targetPattern`.
    public var target: String?
    /// A PCRE the canonical path must match.
    public var targetPattern: String?
    /// `missing: pass`: nothing at the path passes (a regular file there still fails).
    public var missingPasses: Bool
}
