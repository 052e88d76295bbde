/// The arguments k3s passes to the components it runs when the user sets none of its own
/// (`<component>-arg` or a k3s option): the `k3s_default` of a `flag` check with a
/// `component`, when the rule gives none. From k3s v1.31: the `argsMap` of `apiServer`,
/// `controllerManager` and `scheduler` in pkg/daemons/control/server.go, and the kubelet and
/// kube-proxy arguments of pkg/daemons/agent/agent_linux.go (`kubeletArgsAndConfig`, whose
/// configuration part k3s writes as the drop-in agent/etc/kubelet.conf.d/00-k3s-defaults.conf;
/// `kubeProxyArgs`). Only the settings the CIS benchmark and the STIG look at are listed;
/// paths are k3s's own. Not listed although k3s passes it: the kubelet's
/// `hostname-override` (the node name), which CIS 4.2.7 would then always fail on k3s.
enum K3sDefaults {
    static let server = "/var/lib/rancher/k3s/server"
    static let agent = "/var/lib/rancher/k3s/agent"

    static let table: [KubernetesComponent: [String: String]] = [
        .apiServer: [
            "anonymous-auth": "false",
            "profiling": "false",
            "authorization-mode": "Node,RBAC",
            "enable-admission-plugins": "NodeRestriction",
            "bind-address": "127.0.0.1",
            "secure-port": "6444",
            "allow-privileged": "true",
            "client-ca-file": server + "/tls/client-ca.crt",
            "tls-cert-file": server + "/tls/serving-kube-apiserver.crt",
            "tls-private-key-file": server + "/tls/serving-kube-apiserver.key",
            "kubelet-certificate-authority": server + "/tls/server-ca.crt",
            "kubelet-client-certificate": server + "/tls/client-kube-apiserver.crt",
            "kubelet-client-key": server + "/tls/client-kube-apiserver.key",
            "service-account-key-file": server + "/tls/service.key",
            "service-account-signing-key-file": server + "/tls/service.current.key",
            "etcd-cafile": server + "/tls/etcd/server-ca.crt",
            "etcd-certfile": server + "/tls/etcd/client.crt",
            "etcd-keyfile": server + "/tls/etcd/client.key",
            "requestheader-client-ca-file": server + "/tls/request-header-ca.crt",
            "proxy-client-cert-file": server + "/tls/client-auth-proxy.crt",
            "proxy-client-key-file": server + "/tls/client-auth-proxy.key",
            "storage-backend": "etcd3",
        ],
        .controllerManager: [
            "profiling": "false",
            "bind-address": "127.0.0.1",
            "secure-port": "10257",
            "use-service-account-credentials": "true",
            "service-account-private-key-file": server + "/tls/service.current.key",
            "root-ca-file": server + "/tls/server-ca.crt",
            "kubeconfig": server + "/cred/controller.kubeconfig",
            "allocate-node-cidrs": "true",
        ],
        .scheduler: [
            "profiling": "false",
            "bind-address": "127.0.0.1",
            "secure-port": "10259",
            "kubeconfig": server + "/cred/scheduler.kubeconfig",
        ],
        .kubelet: [
            "anonymous-auth": "false",
            "authorization-mode": "Webhook",
            "read-only-port": "0",
            "client-ca-file": agent + "/client-ca.crt",
            "tls-cert-file": agent + "/serving-kubelet.crt",
            "tls-private-key-file": agent + "/serving-kubelet.key",
            "healthz-bind-address": "127.0.0.1",
            "kubeconfig": agent + "/kubelet.kubeconfig",
            "fail-swap-on": "false",
            "serialize-image-pulls": "false",
        ],
        .proxy: [
            "proxy-mode": "iptables",
            "healthz-bind-address": "127.0.0.1",
            "kubeconfig": agent + "/kubeproxy.kubeconfig",
        ],
    ]

    /// What k3s passes for `flag` to `component`, or nil when it passes nothing.
    static func value(_ component: KubernetesComponent, flag: String) -> String? {
        table[component]?[flag]
    }
}
