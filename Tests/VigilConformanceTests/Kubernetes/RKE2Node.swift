/// An rke2 server (v1.31, `profile: cis`) as rke2 lays it out: static pod manifests under
/// /var/lib/rancher/rke2/agent/pod-manifests (binary in `command`, flags in `args`), etcd
/// configured through the YAML file its `--config-file` names, /etc/rancher/rke2/config.yaml
/// and config.yaml.d, TLS under server/tls, etcd data 700 etcd:etcd as the CIS profile needs.
enum RKE2Node {
    static let data = "/var/lib/rancher/rke2"
    static let manifests = data + "/agent/pod-manifests"
    static let tls = data + "/server/tls"
    static let config = "/etc/rancher/rke2/config.yaml"
    static let etcdConfig = data + "/server/db/etcd/config"

    static func server() -> NodeSpec {
        var spec = NodeSpec()
        KubeadmNode.base(&spec, host: "rke2-server-1")
        let uid = KubeadmNode.etcdUID
        spec.file("/usr/local/lib/systemd/system/rke2-server.service", """
            [Unit]
            Description=Rancher Kubernetes Engine v2 (server)
            Documentation=https://github.com/rancher/rke2#readme
            Wants=network-online.target
            After=network-online.target
            Conflicts=rke2-agent.service

            [Install]
            WantedBy=multi-user.target

            [Service]
            Type=notify
            EnvironmentFile=-/etc/default/%N
            EnvironmentFile=-/etc/sysconfig/%N
            EnvironmentFile=-/usr/local/lib/systemd/system/%N.env
            KillMode=process
            Delegate=yes
            LimitNOFILE=1048576
            LimitNPROC=infinity
            LimitCORE=infinity
            TasksMax=infinity
            TimeoutStartSec=0
            Restart=always
            RestartSec=5s
            ExecStartPre=-/sbin/modprobe br_netfilter
            ExecStartPre=-/sbin/modprobe overlay
            ExecStart=/usr/local/bin/rke2 server
            ExecStopPost=-/bin/sh -c "systemd-cgls /system.slice/%n | grep -Eo '[0-9]+ (containerd|kubelet)' | awk '{print $1}' | xargs -r kill"

            """, mode: 0o644)
        spec.yaml(config, """
            profile: cis
            write-kubeconfig-mode: "0600"
            secrets-encryption: true
            kube-apiserver-arg:
              - "audit-log-maxage=30"
              - "audit-log-maxbackup=10"
              - "audit-log-maxsize=100"
            kubelet-arg:
              - "streaming-connection-idle-timeout=5m"
              - "tls-cipher-suites=\(PodManifest.strongCiphers)"

            """)
        spec.directory(config + ".d", mode: 0o700)
        spec.yaml(config + ".d/10-node.yaml", "node-name: rke2-server-1\ntls-san:\n  - rke2.edge.example\n")
        spec.yaml("/etc/rancher/rke2/rke2.yaml", PodManifest.kubeconfig(user: "default", server: "https://127.0.0.1:6443"))
        spec.directory(manifests, mode: 0o700)
        let critical = "system-cluster-critical"
        let image = "index.docker.io/rancher/hardened-kubernetes:v1.31.2-rke2r1-build20241023"
        spec.yaml(manifests + "/kube-apiserver.yaml", PodManifest.render(
            name: "kube-apiserver", image: image, command: ["kube-apiserver"], args: RKE2Flags.apiServer,
            hostPaths: [("dir0", tls), ("dir1", data + "/server/logs"), ("file0", data + "/server/cred/encryption-config.json")],
            priorityClass: critical))
        spec.yaml(manifests + "/kube-controller-manager.yaml", PodManifest.render(
            name: "kube-controller-manager", image: image, command: ["kube-controller-manager"], args: RKE2Flags.controllerManager,
            hostPaths: [("dir0", tls), ("file0", data + "/server/cred/controller.kubeconfig")], priorityClass: critical))
        spec.yaml(manifests + "/kube-scheduler.yaml", PodManifest.render(
            name: "kube-scheduler", image: image, command: ["kube-scheduler"], args: RKE2Flags.scheduler,
            hostPaths: [("file0", data + "/server/cred/scheduler.kubeconfig")], priorityClass: critical))
        spec.yaml(manifests + "/kube-proxy.yaml", PodManifest.render(
            name: "kube-proxy", image: image, command: ["kube-proxy"], args: RKE2Flags.proxy,
            hostPaths: [("file0", data + "/agent/kubeproxy.kubeconfig")], priorityClass: critical))
        spec.yaml(manifests + "/etcd.yaml", PodManifest.render(
            name: "etcd", image: "index.docker.io/rancher/hardened-etcd:v3.5.16-k3s1-build20241016", command: ["etcd"],
            args: ["--config-file=\(etcdConfig)"], hostPaths: [("dir0", data + "/server/db/etcd"), ("dir1", tls + "/etcd")], priorityClass: critical))
        spec.directory(data + "/server", mode: 0o700)
        spec.directory(tls, mode: 0o700)
        spec.directory(tls + "/etcd", mode: 0o700)
        for pair in ["client-ca", "server-ca", "request-header-ca", "client-admin", "client-controller", "client-scheduler",
                     "client-kube-apiserver", "serving-kube-apiserver", "client-auth-proxy", "etcd/server-ca", "etcd/peer-ca",
                     "etcd/client", "etcd/server-client", "etcd/peer-server-client"] {
            spec.keyPair("\(tls)/\(pair)")
        }
        spec.file(tls + "/client-ca.nochain.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", mode: 0o644)
        spec.file(tls + "/service.current.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n", mode: 0o600)
        spec.yaml("/etc/rancher/rke2/rke2-pss.yaml", KubeadmNode.eventRateLimitAdmission)
        spec.yaml("/etc/rancher/rke2/audit-policy.yaml", "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n")
        spec.yaml(data + "/server/etc/egress-selector-config.yaml", "apiVersion: apiserver.k8s.io/v1beta1\nkind: EgressSelectorConfiguration\negressSelections:\n- name: cluster\n  connection:\n    proxyProtocol: Direct\n")
        spec.file(tls + "/service.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n", mode: 0o600)
        spec.directory(data + "/server/cred", mode: 0o700)
        for name in ["admin", "controller", "scheduler", "api-server", "supervisor"] {
            spec.yaml("\(data)/server/cred/\(name).kubeconfig", PodManifest.kubeconfig(user: name, server: "https://127.0.0.1:6443"))
        }
        spec.file(data + "/server/cred/encryption-config.json", "{\"kind\":\"EncryptionConfiguration\",\"apiVersion\":\"apiserver.config.k8s.io/v1\",\"resources\":[]}\n", mode: 0o600, yaml: true)
        spec.directory(data + "/server/logs", mode: 0o700)
        spec.directory(data + "/server/db", mode: 0o700)
        spec.directory(data + "/server/db/etcd", mode: 0o700, uid: uid, gid: uid)
        spec.yaml(etcdConfig, RKE2Flags.etcdConfig, uid: uid, gid: uid)
        spec.directory(data + "/server/db/etcd/member", mode: 0o700, uid: uid, gid: uid)
        spec.file(data + "/server/db/etcd/member/snap/db", "etcd-bbolt-placeholder", mode: 0o600, uid: uid, gid: uid)
        agent(&spec)
        return spec
    }

    /// The server's agent side: kubelet and kube-proxy kubeconfigs and certificates.
    static func agent(_ spec: inout NodeSpec) {
        spec.directory(data + "/agent", mode: 0o700)
        for name in ["kubelet", "kubeproxy", "rke2controller"] {
            spec.yaml("\(data)/agent/\(name).kubeconfig", PodManifest.kubeconfig(user: "system:\(name)", server: "https://127.0.0.1:6443"))
        }
        spec.file(data + "/agent/client-ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", mode: 0o644)
        for pair in ["serving-kubelet", "client-kubelet", "client-kube-proxy", "client-rke2-controller"] {
            spec.keyPair("\(data)/agent/\(pair)")
        }
        spec.file("/usr/local/bin/rke2", "#!/bin/sh\n# placeholder for the rke2 binary\n", mode: 0o755)
        // The kubelet defaults rke2 v1.31 writes (its agent is k3s's: the same drop-in).
        spec.directory(data + "/agent/etc/kubelet.conf.d", mode: 0o700)
        spec.yaml(data + "/agent/etc/kubelet.conf.d/00-rke2-defaults.conf",
                  K3sNode.kubeletDefaults(data: data, extra: ["protectKernelDefaults: true"]))
    }
}
