/// Deviations added so that every rule of rules/kubernetes is seen failing somewhere: the
/// other half of items that two rules check (a certificate and its key), the encryption
/// provider, and the rke2 manifests' modes and owners the rke2 list does not touch.
enum CoverageDeviations {
    static let apiServer = KubeadmDeviations.apiServer
    static let etcd = KubeadmDeviations.etcd

    static func drop(_ name: String, _ breaks: [String], _ path: String, _ flag: String) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) { try $0.dropFlag(path, flag) }
    }

    static let kubeadmControlPlane: [NodeDeviation] = [
        drop("apiserver-no-kubelet-client-key", ["1.2.4"], apiServer, "--kubelet-client-key"),
        drop("apiserver-no-etcd-certfile", ["1.2.23"], apiServer, "--etcd-certfile"),
        drop("apiserver-no-encryption-provider", ["1.2.27"], apiServer, "--encryption-provider-config"),
        drop("etcd-no-key-file", ["2.1"], etcd, "--key-file"),
        drop("etcd-no-peer-cert-file", ["2.4"], etcd, "--peer-cert-file"),
    ]

    static let rke2Server: [NodeDeviation] = [
        KubeadmDeviations.owner("apiserver-manifest-user-owned", ["1.1.2"], RKE2Node.manifests + "/kube-apiserver.yaml"),
        KubeadmDeviations.mode("controller-manager-manifest-644", ["1.1.3"], RKE2Node.manifests + "/kube-controller-manager.yaml", 0o644),
        KubeadmDeviations.owner("controller-manager-manifest-group-user", ["1.1.4"], RKE2Node.manifests + "/kube-controller-manager.yaml",
                                uid: 0, gid: KubeadmDeviations.userUID),
        KubeadmDeviations.mode("scheduler-manifest-640", ["1.1.5"], RKE2Node.manifests + "/kube-scheduler.yaml", 0o640),
        KubeadmDeviations.owner("etcd-manifest-user-owned", ["1.1.8"], RKE2Node.manifests + "/etcd.yaml"),
    ]
}
