import Foundation

/// The files of an OpenShift 4 control-plane node (RHCOS 4.12, OVN-Kubernetes) that the
/// ocp4 node profiles and the rhcos4 content read, in their hardened form: root-owned
/// static pod resources and PKI, Open vSwitch files owned by openvswitch:hugetlbfs
/// (800:801), the kubelet's config with protectKernelDefaults, audit log folders 700.
enum OpenShiftNodeFiles {
    static let openvswitch = (uid: 800, gid: 801)

    /// The KubeletConfiguration as RHCOS writes /etc/kubernetes/kubelet.conf (JSON) and as
    /// the compliance operator dumps a role's `configz` (both hardened alike).
    static let kubeletConfig = """
        {"kind":"KubeletConfiguration","apiVersion":"kubelet.config.k8s.io/v1beta1",
        "staticPodPath":"/etc/kubernetes/manifests","syncFrequency":"0s","readOnlyPort":0,
        "authentication":{"x509":{"clientCAFile":"/etc/kubernetes/kubelet-ca.crt"},
          "webhook":{"enabled":true,"cacheTTL":"0s"},"anonymous":{"enabled":false}},
        "authorization":{"mode":"Webhook","webhook":{"cacheAuthorizedTTL":"0s"}},
        "eventRecordQPS":5,"streamingConnectionIdleTimeout":"5m0s","protectKernelDefaults":true,
        "makeIPTablesUtilChains":true,"rotateCertificates":true,"tlsMinVersion":"VersionTLS12",
        "tlsCipherSuites":["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256","TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"],
        "featureGates":{"RotateKubeletServerCertificate":true,"RotateKubeletClientCertificate":true},
        "evictionHard":{"imagefs.available":"10%","imagefs.inodesFree":"5%","memory.available":"200Mi",
          "nodefs.available":"5%","nodefs.inodesFree":"4%"},
        "evictionSoft":{"imagefs.available":"15%","imagefs.inodesFree":"10%","memory.available":"500Mi",
          "nodefs.available":"10%","nodefs.inodesFree":"5%"},
        "serverTLSBootstrap":true}

        """

    static let staticPods = "/etc/kubernetes/static-pod-resources"

    static func master() -> NodeSpec {
        var s = NodeSpec()
        s.file("/etc/os-release", """
            NAME="Red Hat Enterprise Linux CoreOS"
            VERSION="412.86.202301311551-0"
            ID="rhcos"
            ID_LIKE="rhel fedora"
            VERSION_ID="4.12"
            PLATFORM_ID="platform:el8"
            PRETTY_NAME="Red Hat Enterprise Linux CoreOS 412.86.202301311551-0 (Ootpa)"
            OPENSHIFT_VERSION="4.12"
            RHEL_VERSION="8.6"

            """, mode: 0o644)
        s.file("/etc/redhat-release", "Red Hat Enterprise Linux CoreOS release 4.12\n", mode: 0o644)
        s.file("/etc/kubernetes/kubelet.conf", kubeletConfig, mode: 0o644, yaml: true)
        s.file("/etc/kubernetes/kubelet-ca.crt", pem("kubelet-ca"), mode: 0o644)
        s.file("/var/lib/kubelet/kubeconfig", kubeconfig("system:node:master-0"), mode: 0o600, yaml: true)
        s.file("/var/lib/kubelet/config.json", "{\"auths\":{}}\n", mode: 0o600)
        s.file("/etc/systemd/system/kubelet.service", """
            [Unit]
            Description=Kubernetes Kubelet
            Wants=rpc-statd.service network-online.target crio.service
            After=network-online.target crio.service

            [Service]
            Type=notify
            ExecStart=/usr/bin/kubelet --config=/etc/kubernetes/kubelet.conf --bootstrap-kubeconfig=/etc/kubernetes/kubeconfig --kubeconfig=/var/lib/kubelet/kubeconfig --container-runtime-endpoint=/var/run/crio/crio.sock --node-labels=node-role.kubernetes.io/master
            Restart=always

            [Install]
            WantedBy=multi-user.target

            """, mode: 0o644)
        s.file("/etc/sysctl.d/90-kubelet.conf", """
            vm.overcommit_memory=1
            kernel.panic=10
            kernel.panic_on_oops=1
            kernel.keys.root_maxbytes=25000000
            kernel.keys.root_maxkeys=1000000

            """, mode: 0o644)
        s.file("/etc/containers/policy.json", "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"registry.redhat.io\":[{\"type\":\"signedBy\",\"keyType\":\"GPGKeys\",\"keyPath\":\"/etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release\"}]}}}\n", mode: 0o644)
        s.file("/etc/cni/net.d/100-crio-bridge.conf", "{\"cniVersion\":\"0.3.1\",\"name\":\"crio\",\"type\":\"bridge\"}\n", mode: 0o644)
        s.file("/etc/kubernetes/cni/net.d/00-multus.conf", "{\"cniVersion\":\"0.3.1\",\"name\":\"multus-cni-network\",\"type\":\"multus\",\"delegates\":[{\"cniVersion\":\"0.4.0\",\"name\":\"ovn-kubernetes\",\"type\":\"ovn-k8s-cni-overlay\"}]}\n", mode: 0o600)
        s.file("/var/run/multus/cni/net.d/10-ovn-kubernetes.conf", "{\"cniVersion\":\"0.4.0\",\"name\":\"ovn-kubernetes\",\"type\":\"ovn-k8s-cni-overlay\"}\n", mode: 0o644)
        s.file("/run/ovn-kubernetes/cni/ovn-cni-server.sock", "", mode: 0o600)
        s.file("/var/lib/ovn/etc/ovnnb_db.db", "OVSDB CLUSTER 0\n", mode: 0o640)
        s.file("/var/lib/ovn/etc/ovnsb_db.db", "OVSDB CLUSTER 0\n", mode: 0o640)
        let ovs = openvswitch
        s.directory("/etc/openvswitch", mode: 0o750, uid: ovs.uid, gid: ovs.gid)
        s.file("/etc/openvswitch/conf.db", "OVSDB JSON 0\n", mode: 0o640, uid: ovs.uid, gid: ovs.gid)
        s.file("/etc/openvswitch/.conf.db.~lock~", "", mode: 0o600, uid: ovs.uid, gid: ovs.gid)
        s.file("/etc/openvswitch/system-id.conf", "4c8b1e0a-0000-4000-8000-000000000001\n", mode: 0o644, uid: ovs.uid, gid: ovs.gid)
        for pid in ["/run/openvswitch/ovs-vswitchd.pid", "/run/openvswitch/ovsdb-server.pid", "/var/run/openvswitch/ovs-vswitchd.pid"] {
            s.file(pid, "1234\n", mode: 0o644, uid: ovs.uid, gid: ovs.gid)
        }
        staticPodResources(&s)
        s.directory("/var/lib/etcd", mode: 0o700)
        s.directory("/var/lib/etcd/member", mode: 0o700)
        s.file("/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal", "wal\n", mode: 0o600)
        s.file("/var/lib/etcd/member/snap/db", "bolt\n", mode: 0o600)
        for dir in ["kube-apiserver", "oauth-apiserver", "openshift-apiserver"] {
            s.directory("/var/log/\(dir)", mode: 0o700)
            s.file("/var/log/\(dir)/audit.log", "{\"kind\":\"Event\"}\n", mode: 0o600)
        }
        s.file("/etc/audit/rules.d/30-ocp-audit.rules", """
            -a always,exit -F dir=/var/log/kube-apiserver/ -F perm=r -F auid>=1000 -F auid!=unset -F key=access-audit-trail
            -a always,exit -F dir=/var/log/oauth-apiserver/ -F perm=r -F auid>=1000 -F auid!=unset -F key=access-audit-trail
            -a always,exit -F dir=/var/log/openshift-apiserver/ -F perm=r -F auid>=1000 -F auid!=unset -F key=access-audit-trail

            """, mode: 0o600)
        return s
    }

    /// The revisioned static pod folders of the control plane, their kubeconfigs and PKI.
    private static func staticPodResources(_ s: inout NodeSpec) {
        let r = staticPods
        s.file("\(r)/kube-apiserver-pod-7/kube-apiserver-pod.yaml", pod("kube-apiserver", ["--openshift-config=/etc/kubernetes/static-pod-resources/configmaps/config/config.yaml"]), mode: 0o600, yaml: true)
        s.file("\(r)/kube-controller-manager-pod-5/kube-controller-manager-pod.yaml", pod("kube-controller-manager", ["--use-service-account-credentials=true"]), mode: 0o600, yaml: true)
        s.file("\(r)/kube-controller-manager-pod-5/configmaps/controller-manager-kubeconfig/kubeconfig", kubeconfig("system:kube-controller-manager"), mode: 0o600, yaml: true)
        s.file("\(r)/kube-scheduler-pod-4/kube-scheduler-pod.yaml", pod("kube-scheduler", ["--port=0"]), mode: 0o600, yaml: true)
        s.file("\(r)/kube-scheduler-pod-4/configmaps/scheduler-kubeconfig/kubeconfig", kubeconfig("system:kube-scheduler"), mode: 0o600, yaml: true)
        s.file("\(r)/etcd-pod-3/etcd-pod.yaml", pod("etcd", ["--client-cert-auth=true", "--peer-client-cert-auth=true"]), mode: 0o600, yaml: true)
        s.file("\(r)/kube-apiserver-certs/configmaps/client-ca/ca-bundle.crt", pem("client-ca"), mode: 0o644)
        s.file("\(r)/kube-apiserver-certs/secrets/node-kubeconfigs/localhost.kubeconfig", kubeconfig("system:admin"), mode: 0o600, yaml: true)
        s.file("\(r)/kube-apiserver-certs/secrets/node-kubeconfigs/lb-ext.kubeconfig", kubeconfig("system:admin"), mode: 0o600, yaml: true)
        s.file("\(r)/etcd-certs/configmaps/etcd-serving-ca/ca-bundle.crt", pem("etcd-serving-ca"), mode: 0o644)
        for (dir, name) in [("kube-apiserver-certs/secrets/aggregator-client", "tls"),
                            ("kube-apiserver-certs/secrets/kubelet-client", "tls"),
                            ("kube-controller-manager-certs/secrets/csr-signer", "tls"),
                            ("etcd-certs/secrets/etcd-all-certs", "etcd-serving-master-0")] {
            s.file("\(r)/\(dir)/\(name).crt", pem(name), mode: 0o600)
            s.file("\(r)/\(dir)/\(name).key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n", mode: 0o600)
        }
    }

    static func pem(_ name: String) -> String {
        "-----BEGIN CERTIFICATE-----\nMIIB\(name.utf8.count)\n-----END CERTIFICATE-----\n"
    }

    static func kubeconfig(_ user: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            certificate-authority-data: TUlJQg==
            server: https://localhost:6443
          name: local
        contexts:
        - context: {cluster: local, user: "\(user)"}
          name: local
        current-context: local
        users:
        - name: "\(user)"
          user: {client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem}

        """
    }

    static func pod(_ name: String, _ args: [String]) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
          namespace: openshift-\(name)
        spec:
          containers:
          - name: \(name)
            image: quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:0000
            command: ["/bin/bash", "-ec"]
            args:
        """ + args.map { "\n    - \($0)" }.joined() + "\n  hostNetwork: true\n  priorityClassName: system-node-critical\n"
    }
}
