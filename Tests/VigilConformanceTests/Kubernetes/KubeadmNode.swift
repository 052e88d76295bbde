/// kubeadm nodes (Kubernetes v1.31, containerd, Debian packages from pkgs.k8s.io) as
/// kubeadm lays them out, hardened to CIS v1.12: static pod manifests under
/// /etc/kubernetes/manifests, kubeconfigs and the PKI under /etc/kubernetes, etcd data in
/// /var/lib/etcd, and the kubelet's unit, 10-kubeadm.conf drop-in, kubeadm-flags.env,
/// /etc/default/kubelet and /var/lib/kubelet/config.yaml.
enum KubeadmNode {
    static let version = "v1.31.2"
    static let etcdUID = 998
    static let manifests = "/etc/kubernetes/manifests"
    static let pki = "/etc/kubernetes/pki"

    static func controlPlane() -> NodeSpec {
        var spec = NodeSpec()
        base(&spec, host: "cp-1")
        kubelet(&spec)
        for name in ["admin", "super-admin", "controller-manager", "scheduler"] {
            spec.yaml("/etc/kubernetes/\(name).conf", PodManifest.kubeconfig(user: name, server: "https://192.168.56.10:6443"))
        }
        spec.directory(pki, mode: 0o755)
        spec.directory(pki + "/etcd", mode: 0o755)
        for pair in ["ca", "apiserver", "apiserver-kubelet-client", "apiserver-etcd-client", "front-proxy-ca",
                     "front-proxy-client", "etcd/ca", "etcd/server", "etcd/peer", "etcd/healthcheck-client"] {
            spec.keyPair("\(pki)/\(pair)")
        }
        spec.file(pki + "/sa.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n", mode: 0o600)
        spec.file(pki + "/sa.pub", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n", mode: 0o644)
        spec.directory(manifests, mode: 0o700)
        spec.yaml(manifests + "/kube-apiserver.yaml", PodManifest.render(
            name: "kube-apiserver", image: "registry.k8s.io/kube-apiserver:\(version)", command: ["kube-apiserver"] + apiServerFlags,
            hostPaths: [("k8s-certs", pki), ("audit-log", "/var/log/kubernetes/audit"), ("k8s-config", "/etc/kubernetes/config")]))
        spec.yaml(manifests + "/kube-controller-manager.yaml", PodManifest.render(
            name: "kube-controller-manager", image: "registry.k8s.io/kube-controller-manager:\(version)",
            command: ["kube-controller-manager"] + controllerManagerFlags,
            hostPaths: [("k8s-certs", pki), ("kubeconfig", "/etc/kubernetes/controller-manager.conf")]))
        spec.yaml(manifests + "/kube-scheduler.yaml", PodManifest.render(
            name: "kube-scheduler", image: "registry.k8s.io/kube-scheduler:\(version)", command: ["kube-scheduler"] + schedulerFlags,
            hostPaths: [("kubeconfig", "/etc/kubernetes/scheduler.conf")]))
        spec.yaml(manifests + "/etcd.yaml", PodManifest.render(
            name: "etcd", image: "registry.k8s.io/etcd:3.5.15-0", command: ["etcd"] + etcdFlags,
            hostPaths: [("etcd-certs", pki + "/etcd"), ("etcd-data", "/var/lib/etcd")]))
        controlPlaneConfigs(&spec)
        spec.directory("/var/lib/etcd", mode: 0o700, uid: etcdUID, gid: etcdUID)
        spec.directory("/var/lib/etcd/member", mode: 0o700, uid: etcdUID, gid: etcdUID)
        spec.file("/var/lib/etcd/member/snap/db", "etcd-bbolt-placeholder", mode: 0o600, uid: etcdUID, gid: etcdUID)
        spec.file("/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal", "wal", mode: 0o600, uid: etcdUID, gid: etcdUID)
        return spec
    }

    static func worker() -> NodeSpec {
        var spec = NodeSpec()
        base(&spec, host: "worker-1")
        kubelet(&spec)
        spec.directory(pki, mode: 0o755)
        spec.file(pki + "/ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", mode: 0o644)
        return spec
    }

    /// OS identity and accounts (an etcd system user), shared by both node kinds.
    static func base(_ spec: inout NodeSpec, host: String) {
        spec.file("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n", mode: 0o644)
        spec.file("/etc/hostname", host + "\n", mode: 0o644)
        spec.file("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\netcd:x:\(etcdUID):\(etcdUID):etcd user:/var/lib/etcd:/usr/sbin/nologin\n", mode: 0o644)
        spec.file("/etc/group", "root:x:0:\netcd:x:\(etcdUID):\n", mode: 0o644)
        spec.directory("/etc/kubernetes", mode: 0o755)
    }

    /// The kubelet as the kubeadm Debian package and `kubeadm join` leave it.
    static func kubelet(_ spec: inout NodeSpec) {
        spec.file("/usr/lib/systemd/system/kubelet.service", """
            [Unit]
            Description=kubelet: The Kubernetes Node Agent
            Documentation=https://kubernetes.io/docs/
            Wants=network-online.target
            After=network-online.target

            [Service]
            ExecStart=/usr/bin/kubelet
            Restart=always
            StartLimitInterval=0
            RestartSec=10

            [Install]
            WantedBy=multi-user.target

            """, mode: 0o600)
        spec.file("/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf", """
            # Note: This dropin only works with kubeadm and kubelet v1.11+
            [Service]
            Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
            Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
            # This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
            EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
            # This is a file that the user can use for overrides of the kubelet args as a last resort. Preferably, the user should use
            # the .NodeRegistration.KubeletExtraArgs object in the configuration files instead. KUBELET_EXTRA_ARGS should be sourced from this file.
            EnvironmentFile=-/etc/default/kubelet
            ExecStart=
            ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS

            """, mode: 0o600)
        spec.file("/var/lib/kubelet/kubeadm-flags.env",
                  "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n",
                  mode: 0o600)
        spec.file("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=\n", mode: 0o600)
        spec.yaml("/etc/kubernetes/kubelet.conf", PodManifest.kubeconfig(user: "system:node:node", server: "https://192.168.56.10:6443"))
        spec.directory("/var/lib/kubelet", mode: 0o700)
        spec.yaml("/var/lib/kubelet/config.yaml", kubeletConfig)
        spec.directory("/var/lib/kubelet/pki", mode: 0o755)
        spec.keyPair("/var/lib/kubelet/pki/kubelet")
        spec.file("/var/lib/kubelet/pki/kubelet-client-2026-11-30-09-12-44.pem",
                  "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n", mode: 0o600)
        spec.link("/var/lib/kubelet/pki/kubelet-client-current.pem", to: "/var/lib/kubelet/pki/kubelet-client-2026-11-30-09-12-44.pem")
    }
}
