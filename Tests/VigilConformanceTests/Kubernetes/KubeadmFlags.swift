/// The hardened command lines and configuration files of a kubeadm control plane and kubelet.
extension KubeadmNode {
    static let apiServerFlags = [
        "--advertise-address=192.168.56.10",
        "--allow-privileged=true",
        "--anonymous-auth=false",
        "--audit-log-maxage=30",
        "--audit-log-maxbackup=10",
        "--audit-log-maxsize=100",
        "--audit-log-path=/var/log/kubernetes/audit/audit.log",
        "--audit-policy-file=/etc/kubernetes/config/audit-policy.yaml",
        "--authorization-mode=Node,RBAC",
        "--client-ca-file=\(pki)/ca.crt",
        "--enable-admission-plugins=NodeRestriction,EventRateLimit,AlwaysPullImages",
        "--admission-control-config-file=/etc/kubernetes/config/admission-control.yaml",
        "--enable-bootstrap-token-auth=true",
        "--encryption-provider-config=/etc/kubernetes/config/encryption-config.yaml",
        "--etcd-cafile=\(pki)/etcd/ca.crt",
        "--etcd-certfile=\(pki)/apiserver-etcd-client.crt",
        "--etcd-keyfile=\(pki)/apiserver-etcd-client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-certificate-authority=\(pki)/ca.crt",
        "--kubelet-client-certificate=\(pki)/apiserver-kubelet-client.crt",
        "--kubelet-client-key=\(pki)/apiserver-kubelet-client.key",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--profiling=false",
        "--proxy-client-cert-file=\(pki)/front-proxy-client.crt",
        "--proxy-client-key-file=\(pki)/front-proxy-client.key",
        "--request-timeout=60s",
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-client-ca-file=\(pki)/front-proxy-ca.crt",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-username-headers=X-Remote-User",
        "--secure-port=6443",
        "--service-account-extend-token-expiration=false",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=\(pki)/sa.pub",
        "--service-account-lookup=true",
        "--service-account-signing-key-file=\(pki)/sa.key",
        "--service-cluster-ip-range=10.96.0.0/12",
        "--tls-cert-file=\(pki)/apiserver.crt",
        "--tls-cipher-suites=\(PodManifest.strongCiphers)",
        "--tls-min-version=VersionTLS12",
        "--tls-private-key-file=\(pki)/apiserver.key",
    ]

    static let controllerManagerFlags = [
        "--allocate-node-cidrs=true",
        "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--bind-address=127.0.0.1",
        "--client-ca-file=\(pki)/ca.crt",
        "--cluster-cidr=10.244.0.0/16",
        "--cluster-name=kubernetes",
        "--cluster-signing-cert-file=\(pki)/ca.crt",
        "--cluster-signing-key-file=\(pki)/ca.key",
        "--controllers=*,bootstrapsigner,tokencleaner",
        "--feature-gates=RotateKubeletServerCertificate=true",
        "--kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--leader-elect=true",
        "--profiling=false",
        "--requestheader-client-ca-file=\(pki)/front-proxy-ca.crt",
        "--root-ca-file=\(pki)/ca.crt",
        "--service-account-private-key-file=\(pki)/sa.key",
        "--service-cluster-ip-range=10.96.0.0/12",
        "--terminated-pod-gc-threshold=10",
        "--use-service-account-credentials=true",
    ]

    static let schedulerFlags = [
        "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--bind-address=127.0.0.1",
        "--kubeconfig=/etc/kubernetes/scheduler.conf",
        "--leader-elect=true",
        "--profiling=false",
    ]

    static let etcdFlags = [
        "--advertise-client-urls=https://192.168.56.10:2379",
        "--cert-file=\(pki)/etcd/server.crt",
        "--client-cert-auth=true",
        "--data-dir=/var/lib/etcd",
        "--experimental-initial-corrupt-check=true",
        "--initial-advertise-peer-urls=https://192.168.56.10:2380",
        "--initial-cluster=cp-1=https://192.168.56.10:2380",
        "--key-file=\(pki)/etcd/server.key",
        "--listen-client-urls=https://127.0.0.1:2379,https://192.168.56.10:2379",
        "--listen-metrics-urls=http://127.0.0.1:2381",
        "--listen-peer-urls=https://192.168.56.10:2380",
        "--name=cp-1",
        "--peer-cert-file=\(pki)/etcd/peer.crt",
        "--peer-client-cert-auth=true",
        "--peer-key-file=\(pki)/etcd/peer.key",
        "--peer-trusted-ca-file=\(pki)/etcd/ca.crt",
        "--snapshot-count=10000",
        "--trusted-ca-file=\(pki)/etcd/ca.crt",
    ]

    /// The KubeletConfiguration kubeadm writes, with CIS section 4.2's settings.
    static let kubeletConfig = """
        apiVersion: kubelet.config.k8s.io/v1beta1
        authentication:
          anonymous:
            enabled: false
          webhook:
            cacheTTL: 0s
            enabled: true
          x509:
            clientCAFile: /etc/kubernetes/pki/ca.crt
        authorization:
          mode: Webhook
          webhook:
            cacheAuthorizedTTL: 0s
            cacheUnauthorizedTTL: 0s
        cgroupDriver: systemd
        clusterDNS:
        - 10.96.0.10
        clusterDomain: cluster.local
        containerRuntimeEndpoint: ""
        cpuManagerReconcilePeriod: 0s
        eventRecordQPS: 5
        evictionPressureTransitionPeriod: 0s
        fileCheckFrequency: 0s
        healthzBindAddress: 127.0.0.1
        healthzPort: 10248
        httpCheckFrequency: 0s
        imageMaximumGCAge: 0s
        imageMinimumGCAge: 0s
        kind: KubeletConfiguration
        logging:
          flushFrequency: 0
          options:
            json:
              infoBufferSize: "0"
          verbosity: 0
        makeIPTablesUtilChains: true
        memorySwap: {}
        nodeStatusReportFrequency: 0s
        nodeStatusUpdateFrequency: 0s
        podPidsLimit: 4096
        protectKernelDefaults: true
        readOnlyPort: 0
        resolvConf: /run/systemd/resolve/resolv.conf
        rotateCertificates: true
        runtimeRequestTimeout: 0s
        seccompDefault: true
        serverTLSBootstrap: true
        shutdownGracePeriod: 0s
        shutdownGracePeriodCriticalPods: 0s
        staticPodPath: /etc/kubernetes/manifests
        streamingConnectionIdleTimeout: 5m0s
        syncFrequency: 0s
        tlsCipherSuites:
        \(PodManifest.strongCiphers.split(separator: ",").map { "- \($0)" }.joined(separator: "\n"))
        tlsMinVersion: VersionTLS12
        volumeStatsAggPeriod: 0s

        """

    /// An AdmissionConfiguration for the EventRateLimit plugin (CIS 1.2.9).
    static let eventRateLimitAdmission = """
        apiVersion: apiserver.config.k8s.io/v1
        kind: AdmissionConfiguration
        plugins:
        - name: EventRateLimit
          configuration:
            apiVersion: eventratelimit.admission.k8s.io/v1alpha1
            kind: Configuration
            limits:
            - type: Server
              qps: 5000
              burst: 20000

        """

    /// The files the API server's flags name: audit policy, admission and encryption configs.
    static func controlPlaneConfigs(_ spec: inout NodeSpec) {
        let dir = "/etc/kubernetes/config"
        spec.directory(dir, mode: 0o700)
        spec.yaml(dir + "/audit-policy.yaml", """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages:
            - RequestReceived
            rules:
            - level: Metadata
              resources:
              - group: ""
                resources: ["secrets", "configmaps", "tokenreviews"]
            - level: RequestResponse

            """)
        spec.yaml(dir + "/admission-control.yaml", eventRateLimitAdmission)
        spec.yaml(dir + "/encryption-config.yaml", """
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
            - resources:
              - secrets
              providers:
              - aescbc:
                  keys:
                  - name: key1
                    secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==
              - identity: {}

            """)
        spec.directory("/var/log/kubernetes/audit", mode: 0o700)
    }
}
