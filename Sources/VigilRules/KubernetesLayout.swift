/// The Kubernetes distributions Vigil's rule compiler knows: how each is recognised on a
/// node and where it keeps its components' settings. Checks that name a `component` or give
/// a path per distribution are compiled from this table (`rules/README.md`).
public enum KubernetesDistribution: String, CaseIterable, Sendable, Hashable {
    /// kubeadm: static pod manifests in /etc/kubernetes/manifests, the kubelet as a systemd
    /// unit with kubeadm's drop-in and environment files.
    case kubeadm
    /// k3s: one `k3s` process runs every component; settings are k3s's defaults,
    /// /etc/rancher/k3s/config.yaml, its config.yaml.d drop-ins and the unit's arguments.
    case k3s
    /// rke2: static pod manifests under /var/lib/rancher/rke2/agent/pod-manifests written
    /// from /etc/rancher/rke2/config.yaml; the kubelet run by the rke2 process.
    case rke2
}

/// A Kubernetes node component whose settings rules check.
public enum KubernetesComponent: String, CaseIterable, Sendable, Hashable {
    case apiServer = "kube-apiserver"
    case controllerManager = "kube-controller-manager"
    case scheduler = "kube-scheduler"
    case etcd
    case kubelet
    case proxy = "kube-proxy"
}

/// Paths of each distribution's layout (all absolute, as on the node).
public enum KubernetesLayout {
    /// Files any one of which shows the distribution is installed on the node.
    public static func evidence(_ d: KubernetesDistribution) -> [String] {
        switch d {
        case .kubeadm:
            ["/etc/kubernetes/kubelet.conf", "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf",
             "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf"]
        case .k3s:
            [k3sServerUnit, k3sAgentUnit, "/usr/local/lib/systemd/system/k3s.service",
             "/usr/local/lib/systemd/system/k3s-agent.service"]
        case .rke2:
            ["/usr/local/lib/systemd/system/rke2-server.service", "/usr/local/lib/systemd/system/rke2-agent.service",
             "/usr/lib/systemd/system/rke2-server.service", "/usr/lib/systemd/system/rke2-agent.service",
             "/etc/systemd/system/rke2-server.service", "/etc/systemd/system/rke2-agent.service"]
        }
    }

    /// The static pod manifest of a component, where the distribution runs it as a static pod.
    public static func manifest(_ c: KubernetesComponent, _ d: KubernetesDistribution) -> String? {
        switch (d, c) {
        case (_, .kubelet): nil
        case (.kubeadm, .proxy): nil  // kubeadm runs kube-proxy as a DaemonSet
        case (.kubeadm, _): "/etc/kubernetes/manifests/\(c.rawValue).yaml"
        case (.rke2, _): "/var/lib/rancher/rke2/agent/pod-manifests/\(c.rawValue).yaml"
        case (.k3s, _): nil
        }
    }

    /// k3s's systemd units, as get.k3s.io installs them (a server, or an agent).
    public static let k3sServerUnit = "/etc/systemd/system/k3s.service"
    public static let k3sAgentUnit = "/etc/systemd/system/k3s-agent.service"
    /// Every place a k3s server unit is installed (a server runs the control plane).
    public static let k3sServerUnits = [k3sServerUnit, "/usr/local/lib/systemd/system/k3s.service"]
    /// k3s's embedded etcd: present on servers that run etcd (not with an external datastore).
    public static let k3sEtcdDirectory = "/var/lib/rancher/k3s/server/db/etcd"

    /// The configuration file of k3s or rke2 and its drop-ins (`config.yaml.d/*.yaml`).
    public static func configFiles(_ d: KubernetesDistribution) -> [String] {
        switch d {
        case .kubeadm: []
        case .k3s: ["/etc/rancher/k3s/config.yaml", "/etc/rancher/k3s/config.yaml.d/*.yaml"]
        case .rke2: ["/etc/rancher/rke2/config.yaml", "/etc/rancher/rke2/config.yaml.d/*.yaml"]
        }
    }

    /// The k3s/rke2 configuration key that passes extra arguments to a component
    /// (`kube-apiserver-arg`, `kubelet-arg`, `etcd-arg`, ...).
    public static func argumentKey(_ c: KubernetesComponent) -> String { c.rawValue + "-arg" }

    /// The kubelet's systemd unit, its drop-ins and the environment files kubeadm writes.
    public static let kubeletUnitFiles = [
        "/usr/lib/systemd/system/kubelet.service", "/etc/systemd/system/kubelet.service",
        "/usr/lib/systemd/system/kubelet.service.d/*.conf", "/etc/systemd/system/kubelet.service.d/*.conf",
    ]
    public static let kubeletEnvironmentFiles = [
        "/var/lib/kubelet/kubeadm-flags.env", "/etc/default/kubelet", "/etc/sysconfig/kubelet",
    ]

    /// The kubelet configuration k3s and rke2 write (KubeletConfiguration, `--config-dir`).
    public static func kubeletConfigDropIns(_ d: KubernetesDistribution) -> [String] {
        switch d {
        case .kubeadm: []
        case .k3s: ["/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/*.conf"]
        case .rke2: ["/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/*.conf"]
        }
    }
}

extension KubernetesLayout {
    /// The systemd units of k3s or rke2, whose command line may pass `--<component>-arg`.
    public static func serviceUnits(_ d: KubernetesDistribution) -> [String] {
        d == .kubeadm ? [] : evidence(d)
    }

    /// The configuration file k3s writes for its embedded etcd.
    public static let k3sEtcdConfig = "/var/lib/rancher/k3s/server/db/etcd/config"
}
