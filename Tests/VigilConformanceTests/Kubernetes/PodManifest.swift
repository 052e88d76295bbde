/// A static pod manifest as kubeadm and rke2 write them: one container whose `command`
/// (kubeadm: binary and flags) or `command` plus `args` (rke2's pkg/staticpod, marshalled
/// with sorted keys, so `args` comes first) carries the flags, and hostPath volumes for the
/// files the flags name.
enum PodManifest {
    static func render(name: String, image: String, command: [String], args: [String] = [],
                       hostPaths: [(name: String, path: String)], priorityClass: String = "system-node-critical") -> String {
        var text = """
            apiVersion: v1
            kind: Pod
            metadata:
              labels:
                component: \(name)
                tier: control-plane
              name: \(name)
              namespace: kube-system
            spec:
              containers:

            """
        if args.isEmpty {
            text += "  - command:\n" + command.map { "    - \($0)\n" }.joined()
        } else {
            text += "  - args:\n" + args.map { "    - \($0)\n" }.joined()
            text += "    command:\n" + command.map { "    - \($0)\n" }.joined()
        }
        text += "    image: \(image)\n    imagePullPolicy: IfNotPresent\n    name: \(name)\n"
        text += "    resources:\n      requests:\n        cpu: 250m\n"
        if !hostPaths.isEmpty {
            text += "    volumeMounts:\n"
            text += hostPaths.map { "    - mountPath: \($0.path)\n      name: \($0.name)\n      readOnly: true\n" }.joined()
        }
        text += "  hostNetwork: true\n  priority: 2000001000\n  priorityClassName: \(priorityClass)\n"
        text += "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"
        if !hostPaths.isEmpty {
            text += "  volumes:\n"
            text += hostPaths.map { "  - hostPath:\n      path: \($0.path)\n      type: DirectoryOrCreate\n    name: \($0.name)\n" }.joined()
        }
        return text + "status: {}\n"
    }

    /// TLS 1.2+ AEAD cipher suites, the list CIS and the STIG accept.
    static let strongCiphers = [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ].joined(separator: ",")

    /// A kubeconfig with embedded (placeholder) credentials, as kubeadm and k3s write them.
    static func kubeconfig(user: String, server: String) -> String {
        """
        apiVersion: v1
        clusters:
        - cluster:
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
            server: \(server)
          name: kubernetes
        contexts:
        - context:
            cluster: kubernetes
            user: \(user)
          name: \(user)@kubernetes
        current-context: \(user)@kubernetes
        kind: Config
        preferences: {}
        users:
        - name: \(user)
          user:
            client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
            client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFCi0tLS0tRU5EIFJTQSBQUklWQVRFIEtFWS0tLS0tCg==

        """
    }
}
