/// The named deviations of the k3s fixtures and the CIS v1.12 items each breaks. They sit
/// where k3s users make them: config.yaml, a config.yaml.d drop-in (`key+:` appends to the
/// list of config.yaml), the unit's ExecStart, and file modes under /var/lib/rancher/k3s.
enum K3sDeviations {
    static let data = K3sNode.data
    static let config = K3sNode.config
    static let dropIn = K3sNode.config + ".d/50-debug.yaml"

    /// A config.yaml.d drop-in that appends one argument to a component's list.
    static func dropInArg(_ name: String, _ breaks: [String], _ key: String, _ argument: String) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) { $0.yaml(dropIn, "\(key)+:\n  - \"\(argument)\"\n") }
    }

    /// An argument added to the unit's ExecStart, as `INSTALL_K3S_EXEC` would add it.
    static func unitArg(_ name: String, _ breaks: [String], unit: String, command: String, _ argument: String) -> NodeDeviation {
        NodeDeviation(name: name, breaks: breaks) {
            try $0.replace(unit, "    \(command) \\\n", with: "    \(command) \\\n\t'\(argument)' \\\n")
        }
    }

    static let server: [NodeDeviation] = serverFiles + serverArgs + kubelet(unit: K3sNode.serverUnit, command: "server")

    static let serverFiles: [NodeDeviation] = [
        KubeadmDeviations.mode("etcd-data-dir-755", ["1.1.11"], data + "/server/db/etcd", 0o755),
        KubeadmDeviations.mode("admin-kubeconfig-644", ["1.1.13"], data + "/server/cred/admin.kubeconfig", 0o644),
        KubeadmDeviations.owner("admin-kubeconfig-user-owned", ["1.1.14"], data + "/server/cred/admin.kubeconfig"),
        KubeadmDeviations.mode("scheduler-kubeconfig-644", ["1.1.15"], data + "/server/cred/scheduler.kubeconfig", 0o644),
        KubeadmDeviations.mode("controller-kubeconfig-644", ["1.1.17"], data + "/server/cred/controller.kubeconfig", 0o644),
        KubeadmDeviations.owner("tls-cert-user-owned", ["1.1.19"], data + "/server/tls/serving-kube-apiserver.crt"),
        KubeadmDeviations.mode("tls-cert-666", ["1.1.20"], data + "/server/tls/client-ca.crt", 0o666),
        KubeadmDeviations.mode("tls-key-644", ["1.1.21"], data + "/server/tls/client-ca.key", 0o644),
        KubeadmDeviations.mode("tls-nested-key-640", ["1.1.21"], data + "/server/tls/etcd/server-ca.key", 0o640),
    ]

    static let serverArgs: [NodeDeviation] = [
        unitArg("unit-apiserver-anonymous-auth", ["1.2.1"], unit: K3sNode.serverUnit, command: "server", "--kube-apiserver-arg=anonymous-auth=true"),
        dropInArg("dropin-apiserver-always-allow", ["1.2.6", "1.2.7", "1.2.8"], "kube-apiserver-arg", "authorization-mode=AlwaysAllow"),
        NodeDeviation(name: "config-always-admit", breaks: ["1.2.10"]) {
            try $0.setFlag(config, "enable-admission-plugins", "NodeRestriction,EventRateLimit,AlwaysAdmit")
        },
        NodeDeviation(name: "config-no-node-restriction", breaks: ["1.2.14"]) {
            try $0.setFlag(config, "enable-admission-plugins", "EventRateLimit")
        },
        dropInArg("dropin-apiserver-profiling", ["1.2.15"], "kube-apiserver-arg", "profiling=true"),
        NodeDeviation(name: "config-no-audit-log", breaks: ["1.2.16", "1.2.17", "1.2.18", "1.2.19"]) {
            for name in ["path", "maxage", "maxbackup", "maxsize"] { try $0.dropFlag(config, "audit-log-\(name)") }
        },
        NodeDeviation(name: "config-audit-maxage-7", breaks: ["1.2.17"]) { try $0.setFlag(config, "audit-log-maxage", "7") },
        dropInArg("dropin-sa-lookup-off", ["1.2.21"], "kube-apiserver-arg", "service-account-lookup=false"),
        NodeDeviation(name: "config-extend-token-expiration", breaks: ["1.2.30"]) {
            try $0.setFlag(config, "service-account-extend-token-expiration", "true")
        },
        dropInArg("dropin-controller-manager-profiling", ["1.3.2"], "kube-controller-manager-arg", "profiling=true"),
        dropInArg("dropin-controller-manager-bind-all", ["1.3.7"], "kube-controller-manager-arg", "bind-address=0.0.0.0"),
        dropInArg("dropin-scheduler-profiling", ["1.4.1"], "kube-scheduler-arg", "profiling=true"),
        unitArg("unit-scheduler-bind-all", ["1.4.2"], unit: K3sNode.serverUnit, command: "server", "--kube-scheduler-arg=bind-address=0.0.0.0"),
        NodeDeviation(name: "etcd-config-client-cert-auth-off", breaks: ["2.2"]) {
            try $0.replace(data + "/server/db/etcd/config", "client-transport-security:\n  client-cert-auth: true",
                           with: "client-transport-security:\n  client-cert-auth: false")
        },
        NodeDeviation(name: "etcd-config-peer-auto-tls", breaks: ["2.6"]) {
            try $0.replace(data + "/server/db/etcd/config", "peer-transport-security:\n", with: "peer-transport-security:\n  auto-tls: true\n")
        },
    ]

    static let agent: [NodeDeviation] = kubelet(unit: K3sNode.agentUnit, command: "agent")

    /// Deviations of the kubelet and kube-proxy every k3s node runs.
    static func kubelet(unit: String, command: String) -> [NodeDeviation] { [
        // A control: the token in a world-readable env file is bad practice but no CIS 1/2/4 item.
        KubeadmDeviations.mode("unit-env-file-644", [], unit + ".env", 0o644),
        KubeadmDeviations.mode("kubeproxy-kubeconfig-644", ["4.1.3"], data + "/agent/kubeproxy.kubeconfig", 0o644),
        KubeadmDeviations.owner("kubeproxy-kubeconfig-user-owned", ["4.1.4"], data + "/agent/kubeproxy.kubeconfig"),
        KubeadmDeviations.mode("kubelet-kubeconfig-644", ["4.1.5"], data + "/agent/kubelet.kubeconfig", 0o644),
        KubeadmDeviations.owner("kubelet-kubeconfig-user-owned", ["4.1.6"], data + "/agent/kubelet.kubeconfig"),
        KubeadmDeviations.mode("kubelet-client-ca-666", ["4.1.7"], data + "/agent/client-ca.crt", 0o666),
        KubeadmDeviations.owner("kubelet-client-ca-user-owned", ["4.1.8"], data + "/agent/client-ca.crt"),
        unitArg("unit-kubelet-anonymous-auth", ["4.2.1"], unit: unit, command: command, "--kubelet-arg=anonymous-auth=true"),
        dropInArg("dropin-kubelet-always-allow", ["4.2.2"], "kubelet-arg", "authorization-mode=AlwaysAllow"),
        dropInArg("dropin-kubelet-read-only-port", ["4.2.4"], "kubelet-arg", "read-only-port=10255"),
        NodeDeviation(name: "config-kubelet-streaming-timeout-0", breaks: ["4.2.5"]) {
            try $0.setFlag(config, "streaming-connection-idle-timeout", "0")
        },
        dropInArg("dropin-kubelet-iptables-chains-off", ["4.2.6"], "kubelet-arg", "make-iptables-util-chains=false"),
        unitArg("unit-kubelet-rotate-certificates-off", ["4.2.10"], unit: unit, command: command, "--kubelet-arg=rotate-certificates=false"),
        NodeDeviation(name: "config-kubelet-weak-ciphers", breaks: ["4.2.12"]) {
            try $0.setFlag(config, "tls-cipher-suites", "TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_3DES_EDE_CBC_SHA")
        },
        dropInArg("dropin-kube-proxy-metrics-all", ["4.3.1"], "kube-proxy-arg", "metrics-bind-address=0.0.0.0:10249"),
    ] }
}
