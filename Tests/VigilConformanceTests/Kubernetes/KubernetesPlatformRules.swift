import Foundation
import Yams

/// The rule folder of KubernetesPlatformDifferentialTests and the verdict each rule must have
/// on every fixture variant, worked out from the fixtures (node kind, `notApplicable`,
/// each deviation's `breaks`, the YAML files of the spec), never from either tool.
enum KubernetesPlatformRules {
    /// One rule: its id, `platform` and `check` YAML, and its verdict on a variant.
    struct Rule: Sendable {
        let id: String
        let platform: String?
        let check: String
        let expected: @Sendable (KubernetesNode, String, NodeSpec) throws -> String
    }

    /// The distribution a fixture node runs.
    static func distribution(_ node: KubernetesNode) -> String {
        switch node {
        case .kubeadmControlPlane, .kubeadmWorker: "kubeadm"
        case .k3sServer, .k3sAgent: "k3s"
        case .rke2Server: "rke2"
        }
    }

    /// Whether a component runs on a node kind: the control plane and etcd on the control
    /// plane, k3s server and rke2 server; the kubelet everywhere; kube-proxy where a node file
    /// shows it (k3s runs it in its process, rke2 as a static pod; kubeadm as a DaemonSet).
    static func runs(_ component: String, on node: KubernetesNode) -> Bool {
        switch component {
        case "kubelet": true
        case "kube-proxy": [.k3sServer, .k3sAgent, .rke2Server].contains(node)
        default: [.kubeadmControlPlane, .k3sServer, .rke2Server].contains(node)
        }
    }

    static let components = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd", "kubelet", "kube-proxy"]

    /// `{kubernetes: X}` for every component, distribution and `node`: pass where it holds
    /// (the check always passes), notapplicable elsewhere.
    static let platforms: [Rule] = (components + ["kubeadm", "k3s", "rke2", "node"]).map { name in
        Rule(id: "platform_" + name.replacingOccurrences(of: "-", with: "_"), platform: "{kubernetes: \(name)}",
             check: "  file: {path: /etc/os-release}\n") { node, _, _ in
            let holds = components.contains(name) ? runs(name, on: node) : name == "node" || name == distribution(node)
            return holds ? "pass" : "notapplicable"
        }
    }

    /// `{static_pod: X}`: pass where the node has X's kubeadm or rke2 manifest (kubeadm control
    /// plane: all but kube-proxy; rke2 server: all; never on k3s or a worker).
    static let staticPods: [Rule] = ["kube-apiserver", "etcd", "kube-proxy"].map { name in
        Rule(id: "static_pod_" + name.replacingOccurrences(of: "-", with: "_"), platform: "{static_pod: \(name)}",
             check: "  file: {path: /etc/os-release}\n") { node, _, _ in
            let holds = node == .rke2Server || (node == .kubeadmControlPlane && name != "kube-proxy")
            return holds ? "pass" : "notapplicable"
        }
    }

    static let pki = "{kubeadm: /etc/kubernetes/pki, k3s: /var/lib/rancher/k3s/server/tls, rke2: /var/lib/rancher/rke2/server/tls}"
    static let serverCred = (k3s: "/var/lib/rancher/k3s/server/cred", rke2: "/var/lib/rancher/rke2/server/cred")
    static let agent = (k3s: "/var/lib/rancher/k3s/agent", rke2: "/var/lib/rancher/rke2/agent")

    /// CIS file items as path maps and recursive trees: (item, component, path map, the rest of the check).
    static let items: [(item: String, component: String, path: String, rest: String)] = [
        ("1.1.11", "etcd", "{kubeadm: /var/lib/etcd, k3s: /var/lib/rancher/k3s/server/db/etcd, rke2: /var/lib/rancher/rke2/server/db/etcd}",
         "mode: \"0700\""),
        ("1.1.13", "kube-apiserver", conf("admin", "admin"), "mode: \"0600\""),
        ("1.1.14", "kube-apiserver", conf("admin", "admin"), "owner: root, group: root"),
        ("1.1.15", "kube-scheduler", conf("scheduler", "scheduler"), "mode: \"0600\""),
        ("1.1.16", "kube-scheduler", conf("scheduler", "scheduler"), "owner: root, group: root"),
        ("1.1.17", "kube-controller-manager", conf("controller-manager", "controller"), "mode: \"0600\""),
        ("1.1.18", "kube-controller-manager", conf("controller-manager", "controller"), "owner: root, group: root"),
        ("1.1.19", "kube-apiserver", pki, "name_pattern: '.', recursive: true, owner: root, group: root"),
        ("1.1.20", "kube-apiserver", pki, "name_pattern: '\\.crt$', recursive: true, mode: \"0644\""),
        ("1.1.21", "kube-apiserver", pki, "name_pattern: '\\.key$', recursive: true, mode: \"0600\""),
        ("4.1.3", "kube-proxy", "{k3s: \(agent.k3s)/kubeproxy.kubeconfig, rke2: \(agent.rke2)/kubeproxy.kubeconfig}", "mode: \"0600\""),
        ("4.1.4", "kube-proxy", "{k3s: \(agent.k3s)/kubeproxy.kubeconfig, rke2: \(agent.rke2)/kubeproxy.kubeconfig}", "owner: root, group: root"),
        ("4.1.5", "kubelet", kubeletConf, "mode: \"0600\""),
        ("4.1.6", "kubelet", kubeletConf, "owner: root, group: root"),
        ("4.1.7", "kubelet", "{kubeadm: /etc/kubernetes/pki/ca.crt, k3s: \(agent.k3s)/client-ca.crt, rke2: \(agent.rke2)/client-ca.crt}",
         "mode: \"0644\""),
        ("4.1.8", "kubelet", "{kubeadm: /etc/kubernetes/pki/ca.crt, k3s: \(agent.k3s)/client-ca.crt, rke2: \(agent.rke2)/client-ca.crt}",
         "owner: root, group: root"),
    ]

    static let kubeletConf = "{kubeadm: /etc/kubernetes/kubelet.conf, k3s: \(agent.k3s)/kubelet.kubeconfig, rke2: \(agent.rke2)/kubelet.kubeconfig}"

    static func conf(_ kubeadm: String, _ cred: String) -> String {
        "{kubeadm: /etc/kubernetes/\(kubeadm).conf, k3s: \(serverCred.k3s)/\(cred).kubeconfig, rke2: \(serverCred.rke2)/\(cred).kubeconfig}"
    }

    /// Each CIS item: notapplicable where the component does not run, else fail exactly on
    /// the variants that break it.
    static let cis: [Rule] = items.map { i in
        Rule(id: "cis_" + i.item.replacingOccurrences(of: ".", with: "_"), platform: "{kubernetes: \(i.component)}",
             check: "  file: {path: \(i.path), \(i.rest)}\n") { node, variant, _ in
            guard runs(i.component, on: node) else { return "notapplicable" }
            return try node.breaks(variant).contains(i.item) ? "fail" : "pass"
        }
    }

    /// CIS 1.1.13 again, as a folder per distribution and a name pattern (not recursive).
    static let patterned = Rule(
        id: "cis_1_1_13_pattern", platform: "{kubernetes: kube-apiserver}",
        check: "  file: {path: {kubeadm: /etc/kubernetes, k3s: \(serverCred.k3s), rke2: \(serverCred.rke2)}, "
            + "name_pattern: '^(?:super-)?admin\\.(?:conf|kubeconfig)$', mode: \"0600\"}\n") { node, variant, _ in
        guard runs("kube-apiserver", on: node) else { return "notapplicable" }
        return try node.breaks(variant).contains("1.1.13") ? "fail" : "pass"
    }

    /// `yaml` path maps: (id, platform, paths by distribution, YAML path keys, passing value).
    static let yamlChecks: [(id: String, platform: String, paths: [(String, String)], keys: [String], value: String)] = [
        ("kubelet_anonymous_config", "kubelet", kubeletConfigs, ["authentication", "anonymous", "enabled"], "false"),
        ("kubelet_read_only_port_config", "kubelet", kubeletConfigs, ["readOnlyPort"], "0"),
        ("kubelet_authorization_config", "kubelet", kubeletConfigs, ["authorization", "mode"], "Webhook"),
        ("rke2_profile_cis", "rke2", [("rke2", "/etc/rancher/rke2/config.yaml")], ["profile"], "cis"),
        ("k3s_protect_kernel_defaults", "k3s", [("k3s", "/etc/rancher/k3s/config.yaml")], ["protect-kernel-defaults"], "true"),
    ]

    static let kubeletConfigs = [("kubeadm", "/var/lib/kubelet/config.yaml"),
                                 ("k3s", "/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf")]

    /// Each `yaml` rule: pass when the installed distribution is listed and its file holds the
    /// value at the keys (read from the spec with Yams); fail when it is not listed.
    static let yaml: [Rule] = yamlChecks.map { y in
        let map = "{" + y.paths.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        let yamlpath = "." + y.keys.joined(separator: ".")
        return Rule(id: "yaml_" + y.id, platform: "{kubernetes: \(y.platform)}",
                    check: "  yaml: {path: \(map), yamlpath: \(yamlpath), value: \"\(y.value)\"}\n") { node, _, spec in
            let holds = components.contains(y.platform) ? runs(y.platform, on: node) : y.platform == distribution(node)
            guard holds else { return "notapplicable" }
            guard let path = y.paths.first(where: { $0.0 == distribution(node) })?.1 else { return "fail" }
            return try scalar(spec, path, y.keys) == y.value ? "pass" : "fail"
        }
    }

    /// A scalar of a spec's YAML file as written, at `keys`; nil when the file or key is absent.
    static func scalar(_ spec: NodeSpec, _ path: String, _ keys: [String]) throws -> String? {
        guard case .file(let text)? = spec[path]?.kind, var node = try Yams.compose(yaml: text) else { return nil }
        for key in keys {
            guard let next = node.mapping?[key] else { return nil }
            node = next
        }
        return node.scalar?.string
    }

    /// A path map whose only distribution is not installed fails (no platform to make it
    /// notapplicable); where it is installed, its path decides.
    static let unlisted: [Rule] = ["kubeadm", "k3s", "rke2"].map { d in
        Rule(id: "only_\(d)_listed", platform: nil, check: "  file: {path: {\(d): /etc/os-release}, mode: \"0644\"}\n") { node, _, _ in
            distribution(node) == d ? "pass" : "fail"
        }
    }

    /// A folder the test adds to every node: real.key (600) and current.key, a link to it.
    static let linkFolder = "/opt/pki-links"

    /// A link a recursive tree selects is judged as the link (mode 777, root's): a mode check
    /// fails on it, an owner check passes.
    static let links: [Rule] = [
        Rule(id: "tree_link_mode", platform: nil,
             check: "  file: {path: \(linkFolder), name_pattern: '\\.key$', recursive: true, mode: \"0600\"}\n") { _, _, _ in "fail" },
        Rule(id: "tree_link_owner", platform: nil,
             check: "  file: {path: \(linkFolder), name_pattern: '\\.key$', recursive: true, owner: root}\n") { _, _, _ in "pass" },
    ]

    static let all: [Rule] = platforms + staticPods + cis + [patterned] + yaml + unlisted + links

    /// The CIS items whose deviations edit what these rules read: the file items, and the
    /// kubelet settings of the `yaml` rules (4.2.1, 4.2.2, 4.2.4: a config file edit, or a
    /// flag that leaves the file as it is).
    static let covered = Set(items.map(\.item) + ["4.2.1", "4.2.2", "4.2.4"])

    /// The variants a test runs: the hardened form, every deviation that breaks a covered item,
    /// the controls that break none, and the first other deviation (a flag), whose verdicts
    /// must all be the hardened form's.
    static func variants(_ node: KubernetesNode) -> [String] {
        let touching = node.deviations.filter { $0.breaks.isEmpty || !covered.isDisjoint(with: $0.breaks) }.map(\.name)
        let other = node.deviations.first { !$0.breaks.isEmpty && covered.isDisjoint(with: $0.breaks) }.map { [$0.name] } ?? []
        return [KubernetesNode.hardened] + touching + other
    }
}
