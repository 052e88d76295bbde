/// The hardened component arguments of an rke2 server with `profile: cis`, as its
/// pod-manifests carry them, and etcd's configuration file.
enum RKE2Flags {
    static let tls = RKE2Node.tls
    static let data = RKE2Node.data

    static let apiServer = [
        "--admission-control-config-file=/etc/rancher/rke2/rke2-pss.yaml",
        "--advertise-address=192.168.56.30",
        "--allow-privileged=true",
        "--anonymous-auth=false",
        "--api-audiences=https://kubernetes.default.svc.cluster.local,rke2",
        "--audit-log-maxage=30",
        "--audit-log-maxbackup=10",
        "--audit-log-maxsize=100",
        "--audit-log-path=\(data)/server/logs/audit.log",
        "--audit-policy-file=/etc/rancher/rke2/audit-policy.yaml",
        "--authorization-mode=Node,RBAC",
        "--bind-address=0.0.0.0",
        "--cert-dir=\(tls)/temporary-certs",
        "--client-ca-file=\(tls)/client-ca.crt",
        "--egress-selector-config-file=\(data)/server/etc/egress-selector-config.yaml",
        "--enable-admission-plugins=NodeRestriction",
        "--enable-aggregator-routing=true",
        "--enable-bootstrap-token-auth=true",
        "--encryption-provider-config=\(data)/server/cred/encryption-config.json",
        "--etcd-cafile=\(tls)/etcd/server-ca.crt",
        "--etcd-certfile=\(tls)/etcd/client.crt",
        "--etcd-keyfile=\(tls)/etcd/client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-certificate-authority=\(tls)/server-ca.crt",
        "--kubelet-client-certificate=\(tls)/client-kube-apiserver.crt",
        "--kubelet-client-key=\(tls)/client-kube-apiserver.key",
        "--profiling=false",
        "--proxy-client-cert-file=\(tls)/client-auth-proxy.crt",
        "--proxy-client-key-file=\(tls)/client-auth-proxy.key",
        "--requestheader-client-ca-file=\(tls)/request-header-ca.crt",
        "--secure-port=6443",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=\(tls)/service.key",
        "--service-account-lookup=true",
        "--service-account-signing-key-file=\(tls)/service.current.key",
        "--service-cluster-ip-range=10.43.0.0/16",
        "--tls-cert-file=\(tls)/serving-kube-apiserver.crt",
        "--tls-cipher-suites=\(PodManifest.strongCiphers)",
        "--tls-private-key-file=\(tls)/serving-kube-apiserver.key",
    ]

    static let controllerManager = [
        "--bind-address=127.0.0.1",
        "--cluster-cidr=10.42.0.0/16",
        "--cluster-signing-kube-apiserver-client-cert-file=\(tls)/client-ca.nochain.crt",
        "--feature-gates=RotateKubeletServerCertificate=true",
        "--kubeconfig=\(data)/server/cred/controller.kubeconfig",
        "--profiling=false",
        "--root-ca-file=\(tls)/server-ca.crt",
        "--secure-port=10257",
        "--service-account-private-key-file=\(tls)/service.current.key",
        "--terminated-pod-gc-threshold=1000",
        "--use-service-account-credentials=true",
    ]

    static let scheduler = [
        "--authentication-kubeconfig=\(data)/server/cred/scheduler.kubeconfig",
        "--authorization-kubeconfig=\(data)/server/cred/scheduler.kubeconfig",
        "--bind-address=127.0.0.1",
        "--kubeconfig=\(data)/server/cred/scheduler.kubeconfig",
        "--profiling=false",
        "--secure-port=10259",
    ]

    static let proxy = [
        "--cluster-cidr=10.42.0.0/16",
        "--conntrack-max-per-core=0",
        "--healthz-bind-address=127.0.0.1",
        "--hostname-override=rke2-server-1",
        "--kubeconfig=\(data)/agent/kubeproxy.kubeconfig",
        "--metrics-bind-address=127.0.0.1:10249",
        "--proxy-mode=iptables",
    ]

    /// etcd's configuration, in the file the manifest's `--config-file` names.
    static let etcdConfig = """
        advertise-client-urls: https://192.168.56.30:2379
        client-transport-security:
          cert-file: \(tls)/etcd/server-client.crt
          client-cert-auth: true
          key-file: \(tls)/etcd/server-client.key
          trusted-ca-file: \(tls)/etcd/server-ca.crt
        data-dir: \(data)/server/db/etcd
        election-timeout: 5000
        heartbeat-interval: 500
        initial-cluster: rke2-server-1-5c0e1a2b=https://192.168.56.30:2380
        initial-cluster-state: new
        listen-client-urls: https://127.0.0.1:2379,https://192.168.56.30:2379
        listen-metrics-urls: http://127.0.0.1:2381
        listen-peer-urls: https://127.0.0.1:2380,https://192.168.56.30:2380
        log-outputs:
        - stderr
        logger: zap
        name: rke2-server-1-5c0e1a2b
        peer-transport-security:
          cert-file: \(tls)/etcd/peer-server-client.crt
          client-cert-auth: true
          key-file: \(tls)/etcd/peer-server-client.key
          trusted-ca-file: \(tls)/etcd/peer-ca.crt
        snapshot-count: 10000

        """
}
