import Foundation

/// What each rule of `rules/fips` must give on each fixture root, with the reason.
enum FIPSExpectedVerdicts {
    static let kubernetesFlagRules = ["apiserver_tls_cipher_suites", "apiserver_tls_min_version", "controller_manager_tls_min_version",
                                      "etcd_tls_cipher_suites", "kubelet_tls_cipher_suites", "kubelet_tls_min_version",
                                      "scheduler_tls_min_version"]
    static let kubernetesNativeRules = ["kubernetes_binaries_fips_go", "kubernetes_pki_expiry", "kubernetes_pki_key_strength",
                                        "kubernetes_pki_signature_digest"]
    static let runtimeRules = ["openssl_runtime_fips", "openssl_runtime_legacy_absent", "openssl_runtime_refuses_md5"]
    static let sshAlgorithmRules = ["sshd_fips_ciphers", "sshd_fips_macs", "sshd_fips_kex", "sshd_stig_kex",
                                    "ssh_client_fips_ciphers", "ssh_client_fips_macs", "ssh_client_fips_kex"]
    static let cryptoPolicyRules = ["crypto_policy_fips", "crypto_policy_not_overridden", "crypto_policy_min_rsa_size", "crypto_policy_no_sha1"]
    static let serviceRules = ["service_certificate_expiry", "service_certificate_key_strength",
                               "service_certificate_signature_digest", "service_private_key_strength"]
    /// The rules of the standard checks (OVAL only): the kernel's and the Kubernetes flags'.
    static let scapPure = ["kernel_fips_mode", "kernel_fips_boot_argument"] + kubernetesFlagRules

    /// Rules that check the running system: not applicable on any offline root.
    static var offlineNotApplicable: [String: (String, String)] {
        var out = ["kernel_fips_mode": ("notapplicable", "the running kernel's crypto.fips_enabled: no running kernel offline")]
        for r in runtimeRules { out[r] = ("notapplicable", "OpenSSL run-time state: nothing runs on an offline root") }
        return out
    }

    /// Stock Debian 12: what "FIPS is not set up" means fails, nothing else does.
    static var stock: [String: (String, String)] {
        var out = offlineNotApplicable
        out["kernel_fips_boot_argument"] = ("fail", "GRUB_CMDLINE_LINUX has no fips=1")
        out["openssl_fips_provider_active"] = ("fail", "Debian's openssl.cnf activates no provider (the fips lines are comments)")
        out["openssl_default_properties_fips"] = ("fail", "no default_properties = fips=yes")
        out["openssl_fips_module_integrity"] = ("notapplicable", "no fips provider section and no fips.so: nothing to check")
        out["openssl_legacy_provider_inactive"] = ("pass", "Debian does not activate legacy (legacy.so is installed, not configured)")
        for r in sshAlgorithmRules { out[r] = ("fail", "OpenSSH 9.2's defaults offer chacha20, umac, curve25519 and sntrup761") }
        out["ssh_host_key_strength"] = ("pass", "ssh-keygen -A: RSA 3072, ECDSA P-256, Ed25519 (no DSA)")
        for r in cryptoPolicyRules { out[r] = ("notapplicable", "Debian has no /etc/crypto-policies") }
        for r in serviceRules { out[r] = ("notapplicable", "no service certificate or key installed (ssl-cert not installed)") }
        out["trust_store_anchor_strength"] = ("pass", "Debian's bundle: SHA-1 self-signatures and expired anchors are set aside, keys >= 2048")
        out["trust_store_anchor_allowlist"] = ("fail", "the allow-list is empty until a site sets it in a tailoring")
        for r in kubernetesFlagRules + kubernetesNativeRules { out[r] = ("notapplicable", "not a Kubernetes node") }
        return out
    }

    /// The FIPS-configured root: every rule passes but the run-time ones and the allow-list
    /// (empty by default; it passes in a tailoring naming every anchor, see the test).
    static var fips: [String: (String, String)] {
        var out = offlineNotApplicable
        for rule in stock.keys where out[rule] == nil { out[rule] = ("pass", "configured for FIPS by the fixture") }
        out["trust_store_anchor_allowlist"] = ("fail", "the allow-list is empty until a site sets it in a tailoring")
        return out
    }

    /// The weak root: each rule broken as its description names; what stays FIPS passes. The
    /// Kubernetes flags are CIS's hardened ones (ChaCha20 suites, no TLS settings for etcd,
    /// the controller manager and the scheduler) with TLS 1.0/1.1 allowed.
    static var weak: [String: (String, String)] {
        var out = offlineNotApplicable
        let fails: [String: String] = [
            "openssl_legacy_provider_inactive": "legacy activated in a provider section",
            "openssl_default_properties_fips": "default_properties = ?fips=yes is only a preference",
            "openssl_fips_module_integrity": "fips.so changed after its module-mac was written",
            "crypto_policy_fips": "policy DEFAULT:SHA1",
            "crypto_policy_not_overridden": "back-ends still link to DEFAULT's profile although a sub-policy is set",
            "crypto_policy_min_rsa_size": "DEFAULT.pol sets min_rsa_size = 1024",
            "crypto_policy_no_sha1": "the SHA1 sub-policy adds SHA1 to hash and sign",
            "sshd_fips_ciphers": "an Include sets 3des-cbc first", "sshd_fips_macs": "an Include sets hmac-md5 first",
            "sshd_fips_kex": "an Include sets diffie-hellman-group1-sha1 first",
            "sshd_stig_kex": "an Include sets diffie-hellman-group1-sha1 first",
            "ssh_client_fips_ciphers": "Host * sets aes128-cbc", "ssh_client_fips_macs": "Host * sets hmac-md5",
            "ssh_client_fips_kex": "Host * sets curve25519-sha256", "ssh_host_key_strength": "a DSA host key",
            "service_certificate_key_strength": "an RSA 1024 certificate", "service_certificate_signature_digest": "a certificate signed with SHA-1 by a CA",
            "service_certificate_expiry": "an expired certificate and one expiring in 10 days",
            "service_private_key_strength": "a secp256k1 key", "trust_store_anchor_strength": "an RSA 1024 anchor in the bundle",
            "trust_store_anchor_allowlist": "the allow-list is empty",
            "kubernetes_pki_key_strength": "apiserver.crt is RSA 1024", "kubernetes_pki_signature_digest": "front-proxy-client.crt is signed with SHA-1",
            "kubernetes_pki_expiry": "etcd/peer.crt expired", "kubernetes_binaries_fips_go": "the kubelet is a standard Go build",
            "apiserver_tls_cipher_suites": "CIS's suites include ChaCha20-Poly1305",
            "kubelet_tls_cipher_suites": "CIS's suites include ChaCha20-Poly1305",
        ]
        for (rule, why) in fails { out[rule] = ("fail", why) }
        out["kernel_fips_boot_argument"] = ("pass", "fips=1 is kept")
        out["openssl_fips_provider_active"] = ("pass", "fips stays activated (activate = 1)")
        out["apiserver_tls_min_version"] = ("fail", "the weak API server allows VersionTLS10")
        out["kubelet_tls_min_version"] = ("fail", "the weak kubelet configuration allows VersionTLS11")
        out["controller_manager_tls_min_version"] = ("fail", "CIS's hardened controller manager sets no --tls-min-version")
        out["scheduler_tls_min_version"] = ("fail", "CIS's hardened scheduler sets no --tls-min-version")
        out["etcd_tls_cipher_suites"] = ("fail", "CIS's hardened etcd sets no --cipher-suites")
        return out
    }

    /// What names the culprit in the weak root's evidence, per rule (file and line where the
    /// kind gives one). The OVAL-only rules carry no evidence of this kind.
    static let weakEvidence: [String: [String]] = [
        "openssl_legacy_provider_inactive": ["legacy active: /usr/lib/ssl/openssl.cnf:", "legacy = legacy_sect"],
        "openssl_default_properties_fips": ["/usr/lib/ssl/openssl.cnf:", "default_properties = ?fips=yes"],
        "openssl_fips_module_integrity": ["/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so: HMAC-SHA256", "differs from /usr/lib/ssl/fipsmodule.cnf:6: module-mac"],
        "crypto_policy_fips": ["/etc/crypto-policies/config:1: policy DEFAULT:SHA1"],
        "crypto_policy_min_rsa_size": ["/usr/share/crypto-policies/policies/DEFAULT.pol:3: min_rsa_size = 1024"],
        "crypto_policy_no_sha1": ["/usr/share/crypto-policies/policies/modules/SHA1.pmod:1: hash allows SHA1"],
        "crypto_policy_not_overridden": ["/etc/crypto-policies/back-ends/"],
        "sshd_fips_ciphers": ["/etc/ssh/sshd_config.d/10-weak.conf:1: Ciphers 3des-cbc"],
        "sshd_fips_macs": ["/etc/ssh/sshd_config.d/10-weak.conf:2: MACs hmac-md5"],
        "sshd_fips_kex": ["/etc/ssh/sshd_config.d/10-weak.conf:3: KexAlgorithms diffie-hellman-group1-sha1"],
        "sshd_stig_kex": ["/etc/ssh/sshd_config.d/10-weak.conf:3: KexAlgorithms diffie-hellman-group1-sha1"],
        "ssh_client_fips_ciphers": ["/etc/ssh/ssh_config.d/10-weak.conf:2: Ciphers aes128-cbc"],
        "ssh_client_fips_macs": ["/etc/ssh/ssh_config.d/10-weak.conf:3: MACs hmac-md5"],
        "ssh_client_fips_kex": ["/etc/ssh/ssh_config.d/10-weak.conf:4: KexAlgorithms curve25519-sha256"],
        "ssh_host_key_strength": ["/etc/ssh/ssh_host_dsa_key.pub: DSA 1024"],
        "service_certificate_key_strength": ["/etc/nginx/ssl/rsa1024.crt CN=rsa1024.example: RSA 1024"],
        "service_certificate_signature_digest": ["/etc/nginx/ssl/sha1.crt CN=sha1.example", "SHA1"],
        "service_certificate_expiry": ["/etc/nginx/ssl/expired.crt CN=expired.example: expired", "/etc/nginx/ssl/soon.pem CN=soon.example: expires"],
        "service_private_key_strength": ["/etc/ssl/private/secp256k1.key: EC secp256k1"],
        "trust_store_anchor_strength": ["/etc/ssl/certs/ca-certificates.crt#", "CN=Weak Root: RSA 1024"],
        "trust_store_anchor_allowlist": ["/etc/ssl/certs/ca-certificates.crt#1 ", "not in the trust-anchor allow-list"],
        "kubernetes_pki_key_strength": ["/etc/kubernetes/pki/apiserver.crt CN=kube-apiserver: RSA 1024"],
        "kubernetes_pki_signature_digest": ["/etc/kubernetes/pki/front-proxy-client.crt CN=front-proxy-client", "SHA1"],
        "kubernetes_pki_expiry": ["/etc/kubernetes/pki/etcd/peer.crt CN=kube-etcd-peer: expired"],
        "kubernetes_binaries_fips_go": ["/usr/bin/kubelet: go1.19", "standard"],
    ]
}
