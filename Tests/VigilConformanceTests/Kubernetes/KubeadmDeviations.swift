/// The named deviations of the kubeadm fixtures and the CIS v1.12 items each breaks.
enum KubeadmDeviations {
    static let apiServer = KubeadmNode.manifests + "/kube-apiserver.yaml"
    static let controllerManager = KubeadmNode.manifests + "/kube-controller-manager.yaml"
    static let scheduler = KubeadmNode.manifests + "/kube-scheduler.yaml"
    static let etcd = KubeadmNode.manifests + "/etcd.yaml"
    static let kubeletConfig = "/var/lib/kubelet/config.yaml"
    static let dropIn = "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"
    static let userUID = 1000

    static func flag(_ name: String, _ breaks: [String], _ path: String, _ flag: String, _ value: String) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) { try $0.setFlag(path, flag, value) }
    }

    static func mode(_ name: String, _ breaks: [String], _ path: String, _ mode: Int) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) { try $0.setMode(path, mode) }
    }

    static func owner(_ name: String, _ breaks: [String], _ path: String, uid: Int = userUID, gid: Int = userUID) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) { try $0.setOwner(path, uid: uid, gid: gid) }
    }

    static let controlPlane: [NodeDeviation] = files + apiServerFlags + otherComponents + kubelet(controlPlane: true)
    static let worker: [NodeDeviation] = kubelet(controlPlane: false)

    static let files: [NodeDeviation] = [
        mode("apiserver-manifest-644", ["1.1.1"], apiServer, 0o644),
        owner("apiserver-manifest-user-owned", ["1.1.2"], apiServer),
        mode("controller-manager-manifest-640", ["1.1.3"], controllerManager, 0o640),
        owner("controller-manager-manifest-group-user", ["1.1.4"], controllerManager, uid: 0, gid: userUID),
        mode("scheduler-manifest-644", ["1.1.5"], scheduler, 0o644),
        owner("scheduler-manifest-user-owned", ["1.1.6"], scheduler),
        mode("etcd-manifest-666", ["1.1.7"], etcd, 0o666),
        owner("etcd-manifest-user-owned", ["1.1.8"], etcd),
        mode("etcd-data-dir-755", ["1.1.11"], "/var/lib/etcd", 0o755),
        owner("etcd-data-dir-root-owned", ["1.1.12"], "/var/lib/etcd", uid: 0, gid: 0),
        mode("admin-conf-644", ["1.1.13"], "/etc/kubernetes/admin.conf", 0o644),
        owner("admin-conf-user-owned", ["1.1.14"], "/etc/kubernetes/admin.conf"),
        mode("scheduler-conf-644", ["1.1.15"], "/etc/kubernetes/scheduler.conf", 0o644),
        owner("scheduler-conf-user-owned", ["1.1.16"], "/etc/kubernetes/scheduler.conf"),
        mode("controller-manager-conf-604", ["1.1.17"], "/etc/kubernetes/controller-manager.conf", 0o604),
        owner("controller-manager-conf-user-owned", ["1.1.18"], "/etc/kubernetes/controller-manager.conf"),
        owner("pki-cert-user-owned", ["1.1.19"], KubeadmNode.pki + "/front-proxy-client.crt"),
        owner("pki-nested-key-user-owned", ["1.1.19"], KubeadmNode.pki + "/etcd/peer.key"),
        mode("pki-cert-666", ["1.1.20"], KubeadmNode.pki + "/apiserver.crt", 0o666),
        mode("pki-key-644", ["1.1.21"], KubeadmNode.pki + "/apiserver.key", 0o644),
        mode("pki-nested-key-640", ["1.1.21"], KubeadmNode.pki + "/etcd/server.key", 0o640),
    ]

    static let apiServerFlags: [NodeDeviation] = [
        flag("apiserver-anonymous-auth", ["1.2.1"], apiServer, "--anonymous-auth", "true"),
        NodeDeviation(name: "apiserver-token-auth-file", breaks: ["1.2.2"]) {
            try $0.insertLine(apiServer, after: "--authorization-mode=", "    - --token-auth-file=/etc/kubernetes/known_tokens.csv")
        },
        NodeDeviation(name: "apiserver-no-kubelet-client-cert", breaks: ["1.2.4"]) {
            try $0.dropFlag(apiServer, "--kubelet-client-certificate")
        },
        NodeDeviation(name: "apiserver-no-kubelet-ca", breaks: ["1.2.5"]) {
            try $0.dropFlag(apiServer, "--kubelet-certificate-authority")
        },
        flag("apiserver-always-allow", ["1.2.6", "1.2.7", "1.2.8"], apiServer, "--authorization-mode", "AlwaysAllow"),
        flag("apiserver-authz-rbac-only", ["1.2.7"], apiServer, "--authorization-mode", "RBAC"),
        flag("apiserver-authz-node-only", ["1.2.8"], apiServer, "--authorization-mode", "Node"),
        flag("apiserver-always-admit", ["1.2.10"], apiServer, "--enable-admission-plugins", "NodeRestriction,EventRateLimit,AlwaysPullImages,AlwaysAdmit"),
        NodeDeviation(name: "apiserver-disable-serviceaccount-namespacelifecycle", breaks: ["1.2.12", "1.2.13"]) {
            try $0.insertLine(apiServer, after: "--enable-admission-plugins=", "    - --disable-admission-plugins=ServiceAccount,NamespaceLifecycle")
        },
        flag("apiserver-no-node-restriction", ["1.2.14"], apiServer, "--enable-admission-plugins", "EventRateLimit,AlwaysPullImages"),
        flag("apiserver-profiling", ["1.2.15"], apiServer, "--profiling", "true"),
        NodeDeviation(name: "apiserver-no-audit-log", breaks: ["1.2.16", "1.2.17", "1.2.18", "1.2.19"]) {
            for name in ["path", "maxage", "maxbackup", "maxsize"] { try $0.dropFlag(apiServer, "--audit-log-\(name)") }
        },
        flag("apiserver-audit-maxage-7", ["1.2.17"], apiServer, "--audit-log-maxage", "7"),
        flag("apiserver-audit-maxbackup-3", ["1.2.18"], apiServer, "--audit-log-maxbackup", "3"),
        flag("apiserver-audit-maxsize-10", ["1.2.19"], apiServer, "--audit-log-maxsize", "10"),
        flag("apiserver-sa-lookup-off", ["1.2.21"], apiServer, "--service-account-lookup", "false"),
        NodeDeviation(name: "apiserver-no-sa-key-file", breaks: ["1.2.22"]) {
            try $0.dropFlag(apiServer, "--service-account-key-file")
        },
        NodeDeviation(name: "apiserver-no-etcd-client-cert", breaks: ["1.2.23"]) {
            try $0.dropFlag(apiServer, "--etcd-keyfile")
        },
        NodeDeviation(name: "apiserver-no-tls-cert", breaks: ["1.2.24"]) {
            try $0.dropFlag(apiServer, "--tls-cert-file")
            try $0.dropFlag(apiServer, "--tls-private-key-file")
        },
        NodeDeviation(name: "apiserver-no-client-ca", breaks: ["1.2.25"]) { try $0.dropFlag(apiServer, "--client-ca-file") },
        NodeDeviation(name: "apiserver-no-etcd-ca", breaks: ["1.2.26"]) { try $0.dropFlag(apiServer, "--etcd-cafile") },
        flag("apiserver-weak-ciphers", ["1.2.29"], apiServer, "--tls-cipher-suites", "TLS_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
        flag("apiserver-extend-token-expiration", ["1.2.30"], apiServer, "--service-account-extend-token-expiration", "true"),
    ]

    static let otherComponents: [NodeDeviation] = [
        flag("controller-manager-profiling", ["1.3.2"], controllerManager, "--profiling", "true"),
        flag("controller-manager-no-sa-credentials", ["1.3.3"], controllerManager, "--use-service-account-credentials", "false"),
        NodeDeviation(name: "controller-manager-no-sa-key", breaks: ["1.3.4"]) {
            try $0.dropFlag(controllerManager, "--service-account-private-key-file")
        },
        NodeDeviation(name: "controller-manager-no-root-ca", breaks: ["1.3.5"]) { try $0.dropFlag(controllerManager, "--root-ca-file") },
        flag("controller-manager-rotate-server-cert-off", ["1.3.6"], controllerManager, "--feature-gates", "RotateKubeletServerCertificate=false"),
        flag("controller-manager-bind-all", ["1.3.7"], controllerManager, "--bind-address", "0.0.0.0"),
        flag("scheduler-profiling", ["1.4.1"], scheduler, "--profiling", "true"),
        flag("scheduler-bind-all", ["1.4.2"], scheduler, "--bind-address", "0.0.0.0"),
        NodeDeviation(name: "etcd-no-cert-file", breaks: ["2.1"]) { try $0.dropFlag(etcd, "--cert-file") },
        flag("etcd-client-cert-auth-off", ["2.2"], etcd, "--client-cert-auth", "false"),
        NodeDeviation(name: "etcd-auto-tls", breaks: ["2.3"]) {
            try $0.insertLine(etcd, after: "--advertise-client-urls=", "    - --auto-tls=true")
        },
        NodeDeviation(name: "etcd-no-peer-key-file", breaks: ["2.4"]) { try $0.dropFlag(etcd, "--peer-key-file") },
        flag("etcd-peer-client-cert-auth-off", ["2.5"], etcd, "--peer-client-cert-auth", "false"),
        NodeDeviation(name: "etcd-peer-auto-tls", breaks: ["2.6"]) {
            try $0.insertLine(etcd, after: "--peer-key-file=", "    - --peer-auto-tls=true")
        },
    ]

    /// Kubelet deviations, for both the control plane and the worker: the config file, the
    /// flags that override it (kubeadm-flags.env, /etc/default/kubelet), the unit and kubeconfig.
    /// On a control plane the kubelet's client CA is also the cluster CA of /etc/kubernetes/pki,
    /// so its mode and owner break section 1.1's PKI items too.
    static func kubelet(controlPlane: Bool) -> [NodeDeviation] { [
        mode("kubelet-dropin-644", ["4.1.1"], dropIn, 0o644),
        owner("kubelet-dropin-user-owned", ["4.1.2"], dropIn),
        mode("kubelet-kubeconfig-644", ["4.1.5"], "/etc/kubernetes/kubelet.conf", 0o644),
        owner("kubelet-kubeconfig-user-owned", ["4.1.6"], "/etc/kubernetes/kubelet.conf"),
        mode("kubelet-client-ca-666", ["4.1.7"] + (controlPlane ? ["1.1.20"] : []), KubeadmNode.pki + "/ca.crt", 0o666),
        owner("kubelet-client-ca-user-owned", ["4.1.8"] + (controlPlane ? ["1.1.19"] : []), KubeadmNode.pki + "/ca.crt"),
        mode("kubelet-config-644", ["4.1.9"], kubeletConfig, 0o644),
        owner("kubelet-config-user-owned", ["4.1.10"], kubeletConfig),
        NodeDeviation(name: "kubelet-anonymous-auth-config", breaks: ["4.2.1"]) {
            try $0.replace(kubeletConfig, "anonymous:\n    enabled: false", with: "anonymous:\n    enabled: true")
        },
        NodeDeviation(name: "kubelet-anonymous-auth-default-file", breaks: ["4.2.1"]) {
            try $0.replace("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=", with: "KUBELET_EXTRA_ARGS=--anonymous-auth=true")
        },
        NodeDeviation(name: "kubelet-always-allow", breaks: ["4.2.2"]) {
            try $0.replace(kubeletConfig, "mode: Webhook", with: "mode: AlwaysAllow")
        },
        NodeDeviation(name: "kubelet-no-client-ca", breaks: ["4.2.3"]) {
            try $0.replace(kubeletConfig, "  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n", with: "")
        },
        NodeDeviation(name: "kubelet-read-only-port", breaks: ["4.2.4"]) {
            try $0.replace(kubeletConfig, "readOnlyPort: 0", with: "readOnlyPort: 10255")
        },
        NodeDeviation(name: "kubelet-streaming-timeout-0", breaks: ["4.2.5"]) {
            try $0.replace(kubeletConfig, "streamingConnectionIdleTimeout: 5m0s", with: "streamingConnectionIdleTimeout: 0s")
        },
        NodeDeviation(name: "kubelet-iptables-chains-off-flag", breaks: ["4.2.6"]) {
            try $0.replace("/var/lib/kubelet/kubeadm-flags.env", "--pod-infra", with: "--make-iptables-util-chains=false --pod-infra")
        },
        NodeDeviation(name: "kubelet-hostname-override", breaks: ["4.2.7"]) {
            try $0.replace("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=", with: "KUBELET_EXTRA_ARGS=--hostname-override=node-a")
        },
        NodeDeviation(name: "kubelet-rotate-certificates-off", breaks: ["4.2.10"]) {
            try $0.replace(kubeletConfig, "rotateCertificates: true", with: "rotateCertificates: false")
        },
        NodeDeviation(name: "kubelet-weak-ciphers", breaks: ["4.2.12"]) {
            try $0.replace(kubeletConfig, "- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", with: "- TLS_RSA_WITH_AES_128_CBC_SHA")
        },
        NodeDeviation(name: "kubelet-no-pid-limit", breaks: ["4.2.13"]) {
            try $0.replace(kubeletConfig, "podPidsLimit: 4096\n", with: "")
        },
        NodeDeviation(name: "kubelet-seccomp-default-off", breaks: ["4.2.14"]) {
            try $0.replace(kubeletConfig, "seccompDefault: true", with: "seccompDefault: false")
        },
    ] }
}
