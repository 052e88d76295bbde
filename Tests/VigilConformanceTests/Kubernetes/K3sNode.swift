/// k3s nodes (v1.31, installed by get.k3s.io) as k3s lays them out, hardened per the k3s
/// CIS hardening guide. k3s writes no manifests: the effective settings are its built-in
/// defaults, /etc/rancher/k3s/config.yaml, config.yaml.d/*.yaml (a `key+:` appends), and the
/// unit's ExecStart arguments. The kubelet defaults k3s applies are also in
/// agent/etc/kubelet.conf.d/00-k3s-defaults.conf.
enum K3sNode {
    static let data = "/var/lib/rancher/k3s"
    static let config = "/etc/rancher/k3s/config.yaml"
    static let serverUnit = "/etc/systemd/system/k3s.service"
    static let agentUnit = "/etc/systemd/system/k3s-agent.service"

    static func server() -> NodeSpec {
        var spec = NodeSpec()
        KubeadmNode.base(&spec, host: "k3s-server-1")
        spec.file(serverUnit, unit(description: "Lightweight Kubernetes", command: "server", arguments: ["--cluster-init", "--disable=traefik"]), mode: 0o644)
        spec.file(serverUnit + ".env", "K3S_TOKEN=\"K10c0ffee::server:5ecret\"\n", mode: 0o600)
        spec.yaml(config, """
            protect-kernel-defaults: true
            secrets-encryption: true
            write-kubeconfig-mode: "0600"
            kube-apiserver-arg:
              - "enable-admission-plugins=NodeRestriction,EventRateLimit"
              - "admission-control-config-file=\(data)/server/psa.yaml"
              - "audit-log-path=\(data)/server/logs/audit.log"
              - "audit-policy-file=\(data)/server/audit.yaml"
              - "audit-log-maxage=30"
              - "audit-log-maxbackup=10"
              - "audit-log-maxsize=100"
              - "service-account-extend-token-expiration=false"
            kube-controller-manager-arg:
              - "terminated-pod-gc-threshold=10"
            kubelet-arg:
              - "streaming-connection-idle-timeout=5m"
              - "tls-cipher-suites=\(PodManifest.strongCiphers)"

            """)
        spec.directory(config + ".d", mode: 0o700)
        spec.yaml(config + ".d/10-node.yaml", "node-label:\n  - \"topology.kubernetes.io/zone=edge-a\"\nnode-name: k3s-server-1\n")
        spec.yaml("/etc/rancher/k3s/k3s.yaml", PodManifest.kubeconfig(user: "default", server: "https://127.0.0.1:6443"))
        spec.directory(data + "/server", mode: 0o700)
        spec.file(data + "/server/token", "K10c0ffee::server:5ecret\n", mode: 0o600)
        spec.directory(data + "/server/tls", mode: 0o700)
        spec.directory(data + "/server/tls/etcd", mode: 0o700)
        for pair in ["client-ca", "server-ca", "request-header-ca", "client-admin", "client-controller", "client-scheduler",
                     "client-kube-apiserver", "serving-kube-apiserver", "client-auth-proxy", "etcd/server-ca", "etcd/peer-ca",
                     "etcd/client", "etcd/server-client", "etcd/peer-server-client"] {
            spec.keyPair("\(data)/server/tls/\(pair)")
        }
        spec.file(data + "/server/tls/service.key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n", mode: 0o600)
        spec.directory(data + "/server/cred", mode: 0o700)
        for name in ["admin", "controller", "scheduler", "api-server", "supervisor"] {
            spec.yaml("\(data)/server/cred/\(name).kubeconfig", PodManifest.kubeconfig(user: name, server: "https://127.0.0.1:6444"))
        }
        spec.file(data + "/server/cred/encryption-config.json",
                  "{\"kind\":\"EncryptionConfiguration\",\"apiVersion\":\"apiserver.config.k8s.io/v1\",\"resources\":[{\"resources\":[\"secrets\"],\"providers\":[{\"aescbc\":{\"keys\":[{\"name\":\"aescbckey\",\"secret\":\"c2VjcmV0\"}]}},{\"identity\":{}}]}]}\n",
                  mode: 0o600, yaml: true)
        spec.yaml(data + "/server/psa.yaml", KubeadmNode.eventRateLimitAdmission)
        spec.yaml(data + "/server/audit.yaml", "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n")
        spec.directory(data + "/server/logs", mode: 0o700)
        spec.directory(data + "/server/db", mode: 0o700)
        spec.directory(data + "/server/db/etcd", mode: 0o700)
        spec.yaml(data + "/server/db/etcd/config", "name: k3s-server-1-1a2b3c4d\ndata-dir: \(data)/server/db/etcd\nclient-transport-security:\n  client-cert-auth: true\n  cert-file: \(data)/server/tls/etcd/server-client.crt\n  key-file: \(data)/server/tls/etcd/server-client.key\n  trusted-ca-file: \(data)/server/tls/etcd/server-ca.crt\npeer-transport-security:\n  client-cert-auth: true\n  cert-file: \(data)/server/tls/etcd/peer-server-client.crt\n  key-file: \(data)/server/tls/etcd/peer-server-client.key\n  trusted-ca-file: \(data)/server/tls/etcd/peer-ca.crt\n")
        spec.file(data + "/server/db/etcd/member/snap/db", "etcd-bbolt-placeholder", mode: 0o600)
        agentFiles(&spec)
        return spec
    }

    static func agent() -> NodeSpec {
        var spec = NodeSpec()
        KubeadmNode.base(&spec, host: "k3s-agent-1")
        spec.file(agentUnit, unit(description: "Lightweight Kubernetes", command: "agent", arguments: []), mode: 0o644)
        spec.file(agentUnit + ".env", "K3S_TOKEN=\"K10c0ffee::server:5ecret\"\nK3S_URL=\"https://192.168.56.20:6443\"\n", mode: 0o600)
        spec.yaml(config, """
            server: https://192.168.56.20:6443
            protect-kernel-defaults: true
            kubelet-arg:
              - "streaming-connection-idle-timeout=5m"
              - "tls-cipher-suites=\(PodManifest.strongCiphers)"

            """)
        spec.directory(config + ".d", mode: 0o700)
        spec.yaml(config + ".d/10-node.yaml", "node-name: k3s-agent-1\n")
        agentFiles(&spec)
        return spec
    }

    /// What every k3s node runs: the agent's kubeconfigs, certificates and kubelet defaults.
    static func agentFiles(_ spec: inout NodeSpec) {
        spec.file("/usr/local/bin/k3s", "#!/bin/sh\n# placeholder for the k3s binary\n", mode: 0o755)
        spec.directory(data + "/agent", mode: 0o700)
        for name in ["kubelet", "kubeproxy", "k3scontroller"] {
            spec.yaml("\(data)/agent/\(name).kubeconfig", PodManifest.kubeconfig(user: "system:\(name)", server: "https://127.0.0.1:6444"))
        }
        spec.file(data + "/agent/client-ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", mode: 0o644)
        spec.file(data + "/agent/server-ca.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", mode: 0o644)
        for pair in ["serving-kubelet", "client-kubelet", "client-kube-proxy", "client-k3s-controller"] {
            spec.keyPair("\(data)/agent/\(pair)")
        }
        spec.directory(data + "/agent/etc/kubelet.conf.d", mode: 0o700)
        spec.yaml(data + "/agent/etc/kubelet.conf.d/00-k3s-defaults.conf", kubeletDefaults(data: data, extra: ["failSwapOn: false"]))
    }

    /// The KubeletConfiguration drop-in k3s (and rke2, whose agent is k3s's) writes under
    /// `data`/agent/etc/kubelet.conf.d, with the distribution's `extra` top-level lines.
    static func kubeletDefaults(data: String, extra: [String]) -> String {
        """
        apiVersion: kubelet.config.k8s.io/v1beta1
        authentication:
          anonymous:
            enabled: false
          webhook:
            cacheTTL: 2m0s
            enabled: true
          x509:
            clientCAFile: \(data)/agent/client-ca.crt
        authorization:
          mode: Webhook
        cgroupDriver: systemd
        clusterDNS:
        - 10.43.0.10
        clusterDomain: cluster.local
        healthzBindAddress: 127.0.0.1
        kind: KubeletConfiguration
        readOnlyPort: 0
        serializeImagePulls: false
        tlsCertFile: \(data)/agent/serving-kubelet.crt
        tlsPrivateKeyFile: \(data)/agent/serving-kubelet.key

        """ + extra.map { $0 + "\n" }.joined()
    }

    /// The unit get.k3s.io writes; `arguments` are single-quoted as the installer quotes them.
    static func unit(description: String, command: String, arguments: [String]) -> String {
        """
        [Unit]
        Description=\(description)
        Documentation=https://k3s.io
        Wants=network-online.target
        After=network-online.target

        [Install]
        WantedBy=multi-user.target

        [Service]
        Type=notify
        EnvironmentFile=-/etc/default/%N
        EnvironmentFile=-/etc/sysconfig/%N
        EnvironmentFile=-/etc/systemd/system/k3s\(command == "agent" ? "-agent" : "").service.env
        KillMode=process
        Delegate=yes
        LimitNOFILE=1048576
        LimitNPROC=infinity
        LimitCORE=infinity
        TasksMax=infinity
        TimeoutStartSec=0
        Restart=always
        RestartSec=5s
        ExecStartPre=/bin/sh -xc '! /usr/bin/systemctl is-enabled --quiet nm-cloud-setup.service 2>/dev/null'
        ExecStartPre=-/sbin/modprobe br_netfilter
        ExecStartPre=-/sbin/modprobe overlay
        ExecStart=/usr/local/bin/k3s \\
            \(command) \\

        """ + arguments.map { "\t'\($0)' \\\n" }.joined() + "\n"
    }
}
