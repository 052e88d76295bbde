/// The named deviations of the rke2 server fixture and the CIS v1.12 items each breaks.
/// A flag changed in config.yaml is changed in the manifest rke2 renders from it too, as
/// after a restart.
enum RKE2Deviations {
    static let manifests = RKE2Node.manifests
    static let config = RKE2Node.config
    static let apiServer = manifests + "/kube-apiserver.yaml"

    /// A `kube-apiserver-arg` in config.yaml and the matching flag in the rendered manifest.
    static func apiServerArg(_ name: String, _ breaks: [String], _ flag: String, _ value: String) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) {
            try $0.replace(config, "kube-apiserver-arg:\n", with: "kube-apiserver-arg:\n  - \"\(flag)=\(value)\"\n")
            try $0.setFlag(apiServer, "--" + flag, value)
        }
    }

    static let server: [NodeDeviation] = [
        KubeadmDeviations.mode("apiserver-manifest-644", ["1.1.1"], apiServer, 0o644),
        KubeadmDeviations.owner("scheduler-manifest-user-owned", ["1.1.6"], manifests + "/kube-scheduler.yaml"),
        KubeadmDeviations.mode("etcd-manifest-644", ["1.1.7"], manifests + "/etcd.yaml", 0o644),
        KubeadmDeviations.mode("etcd-data-dir-750", ["1.1.11"], RKE2Node.data + "/server/db/etcd", 0o750),
        KubeadmDeviations.owner("etcd-data-dir-root-owned", ["1.1.12"], RKE2Node.data + "/server/db/etcd", uid: 0, gid: 0),
        KubeadmDeviations.mode("admin-kubeconfig-644", ["1.1.13"], RKE2Node.data + "/server/cred/admin.kubeconfig", 0o644),
        KubeadmDeviations.mode("tls-key-644", ["1.1.21"], RKE2Node.tls + "/client-ca.key", 0o644),
        KubeadmDeviations.owner("tls-nested-cert-user-owned", ["1.1.19"], RKE2Node.tls + "/etcd/peer-ca.crt"),
        apiServerArg("apiserver-anonymous-auth", ["1.2.1"], "anonymous-auth", "true"),
        apiServerArg("apiserver-always-allow", ["1.2.6", "1.2.7", "1.2.8"], "authorization-mode", "AlwaysAllow"),
        apiServerArg("apiserver-profiling", ["1.2.15"], "profiling", "true"),
        apiServerArg("apiserver-audit-maxage-7", ["1.2.17"], "audit-log-maxage", "7"),
        KubeadmDeviations.flag("controller-manager-bind-all", ["1.3.7"], manifests + "/kube-controller-manager.yaml", "--bind-address", "0.0.0.0"),
        KubeadmDeviations.flag("scheduler-profiling", ["1.4.1"], manifests + "/kube-scheduler.yaml", "--profiling", "true"),
        NodeDeviation(name: "etcd-config-client-cert-auth-off", breaks: ["2.2"]) {
            try $0.replace(RKE2Node.etcdConfig, "  client-cert-auth: true\n  key-file: \(RKE2Node.tls)/etcd/server-client.key",
                           with: "  client-cert-auth: false\n  key-file: \(RKE2Node.tls)/etcd/server-client.key")
        },
        KubeadmDeviations.mode("kubelet-kubeconfig-644", ["4.1.5"], RKE2Node.data + "/agent/kubelet.kubeconfig", 0o644),
        KubeadmDeviations.mode("kubeproxy-kubeconfig-644", ["4.1.3"], RKE2Node.data + "/agent/kubeproxy.kubeconfig", 0o644),
        KubeadmDeviations.flag("kube-proxy-metrics-all", ["4.3.1"], manifests + "/kube-proxy.yaml", "--metrics-bind-address", "0.0.0.0:10249"),
    ]
}
