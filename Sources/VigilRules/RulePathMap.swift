/// The `path` of a `file` or `yaml` check: one path, or a map from Kubernetes distribution
/// to the path that distribution uses (`path: {kubeadm: /etc/kubernetes/admin.conf, k3s: ...}`).
/// With a map, the path of every listed distribution installed on the node is checked, and
/// at least one listed distribution must be installed (`rules/README.md`).
public enum RulePath: Sendable {
    case single(String)
    /// In the order written; never empty (the YAML reader refuses a key written twice).
    case perDistribution([(distribution: KubernetesDistribution, path: String)])

    /// Every path the check may read.
    public var all: [String] {
        switch self {
        case .single(let p): [p]
        case .perDistribution(let entries): entries.map(\.path)
        }
    }

    /// Reads `key` of `f`: an absolute path, or a mapping of distribution names to absolute paths.
    static func parse(_ f: YAMLFields, _ key: String) throws -> RulePath {
        guard let node = f.mapping[key], node.mapping != nil else {
            return .single(try RuleFile.absolute(try f.required(key), f, key))
        }
        let names = KubernetesDistribution.allCases.map(\.rawValue).joined(separator: ", ")
        var entries: [(distribution: KubernetesDistribution, path: String)] = []
        for (name, value, line) in try f.pairs(key) ?? [] {
            guard let d = KubernetesDistribution(rawValue: name) else {
                throw RuleError(file: f.file, line: line, "unknown Kubernetes distribution '\(name)' in '\(key)'; expected one of: \(names)")
            }
            guard value.hasPrefix("/"), !value.contains("/../"), !value.hasSuffix("/..") else {
                throw RuleError(file: f.file, line: line, "'\(value)' must be an absolute path without '..'")
            }
            entries.append((d, value))
        }
        guard !entries.isEmpty else {
            throw f.error(key, "'\(key)' maps no distribution to a path; give at least one of: \(names)")
        }
        return .perDistribution(entries)
    }
}

extension FileCheck {
    /// The files this check selects below one of its paths.
    func selection(_ path: String) -> FileSelection {
        FileSelection(path: path, namePattern: namePattern, recursive: recursive)
    }
}
