import Foundation

/// A deliberate deviation from a fixture's hardened form: its name (what a test asks for),
/// the CIS Kubernetes Benchmark items it breaks (v1.12 numbering, as in kube-bench's
/// cfg/cis-1.12; v1.11 numbers the same items alike), and the edit it makes.
struct NodeDeviation: Sendable {
    let name: String
    let breaks: [String]
    let apply: @Sendable (inout NodeSpec) throws -> Void
}

/// The node kinds the Kubernetes fixtures generate, each hardened or with one named deviation.
/// Use: `try KubernetesNode.kubeadmControlPlane.write("apiserver-profiling", under: dir)`
/// writes the tree; `breaks("apiserver-profiling")` is the CIS items it must fail (all other
/// applicable items pass); `notApplicable` the items whose component the node does not run.
enum KubernetesNode: String, CaseIterable {
    case kubeadmControlPlane = "kubeadm-control-plane"
    case kubeadmWorker = "kubeadm-worker"
    case k3sServer = "k3s-server"
    case k3sAgent = "k3s-agent"
    case rke2Server = "rke2-server"

    /// The variant name of the hardened form.
    static let hardened = "hardened"

    var hardenedSpec: NodeSpec {
        switch self {
        case .kubeadmControlPlane: KubeadmNode.controlPlane()
        case .kubeadmWorker: KubeadmNode.worker()
        case .k3sServer: K3sNode.server()
        case .k3sAgent: K3sNode.agent()
        case .rke2Server: RKE2Node.server()
        }
    }

    var deviations: [NodeDeviation] {
        switch self {
        case .kubeadmControlPlane: KubeadmDeviations.controlPlane + CoverageDeviations.kubeadmControlPlane
        case .kubeadmWorker: KubeadmDeviations.worker
        case .k3sServer: K3sDeviations.server
        case .k3sAgent: K3sDeviations.agent
        case .rke2Server: RKE2Deviations.server + CoverageDeviations.rke2Server
        }
    }

    /// CIS items whose component or file this node does not have, in every variant: a worker
    /// or agent runs no control plane or etcd; k3s runs its control plane in one process and
    /// writes no pod specs (1.1.1-1.1.8).
    var notApplicable: Set<String> {
        let all = CISKubernetesItems.automated.keys
        switch self {
        case .kubeadmWorker, .k3sAgent: return Set(all.filter { $0.hasPrefix("1.") || $0.hasPrefix("2.") })
        case .k3sServer: return Set((1...8).map { "1.1.\($0)" })
        case .kubeadmControlPlane, .rke2Server: return []
        }
    }

    /// "hardened" and every deviation's name.
    var variants: [String] { [Self.hardened] + deviations.map(\.name) }

    /// The CIS items a variant breaks: none for the hardened form.
    func breaks(_ variant: String) throws -> [String] {
        variant == Self.hardened ? [] : try deviation(variant).breaks
    }

    func spec(_ variant: String) throws -> NodeSpec {
        var spec = hardenedSpec
        if variant != Self.hardened { try deviation(variant).apply(&spec) }
        return spec
    }

    /// Writes the variant's tree under `dir` (a fresh temporary folder).
    func write(_ variant: String, under dir: URL) throws -> NodeFixture {
        let spec = try spec(variant)
        let unset = try NodeTreeWriter.write(spec, under: dir)
        return NodeFixture(node: self, variant: variant, root: dir, spec: spec, ownersNotSet: unset)
    }

    private func deviation(_ name: String) throws -> NodeDeviation {
        guard let found = deviations.first(where: { $0.name == name }) else {
            throw NodeSpecError(description: "\(rawValue) has no deviation \(name)")
        }
        return found
    }
}

/// A node tree written to disk: where, from what, and which owners could not be set
/// (all non-root owners when the tests do not run as root).
struct NodeFixture {
    let node: KubernetesNode
    let variant: String
    let root: URL
    let spec: NodeSpec
    let ownersNotSet: [String]

    func url(_ path: String) -> URL { root.appendingPathComponent(String(path.dropFirst())) }
}

/// Writes a NodeSpec under a folder: files and links first, then modes and owners, deepest
/// first, so that a 700 directory never blocks writing into it.
enum NodeTreeWriter {
    static func write(_ spec: NodeSpec, under root: URL) throws -> [String] {
        let fm = FileManager.default
        let entries = spec.paths.compactMap { spec[$0] }
        for entry in entries {
            let url = root.appendingPathComponent(String(entry.path.dropFirst()))
            switch entry.kind {
            case .directory:
                try fm.createDirectory(at: url, withIntermediateDirectories: true)
            case .file(let text):
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            case .link(let target):
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            }
        }
        var notSet: [String] = []
        for entry in entries.reversed() {
            let path = root.appendingPathComponent(String(entry.path.dropFirst())).path
            if case .link = entry.kind {
                if getuid() == 0 { lchown(path, uid_t(entry.uid), gid_t(entry.gid)) }
                continue
            }
            guard chmod(path, mode_t(entry.mode)) == 0 else { throw NodeSpecError(description: "chmod \(path)") }
            if getuid() == 0 {
                guard chown(path, uid_t(entry.uid), gid_t(entry.gid)) == 0 else { throw NodeSpecError(description: "chown \(path)") }
            } else if entry.uid != getuid() || entry.gid != getgid() {
                notSet.append(entry.path)
            }
        }
        return notSet
    }
}
