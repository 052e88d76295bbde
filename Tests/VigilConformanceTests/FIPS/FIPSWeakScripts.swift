import Foundation

/// The shell steps that break a FIPS-configured root (run after `fips` and `kubernetesPKI`),
/// each rule in the way its description names.
extension FIPSRootScripts {
    /// OpenSSL: legacy activated, `default_properties = ?fips=yes` (a preference only), the
    /// module tampered after fipsinstall. Crypto policy DEFAULT:SHA1 (min_rsa_size 1024, a SHA1
    /// sub-policy, back-ends still linked to DEFAULT's profile). SSH: an sshd Include that sets
    /// 3des-cbc, hmac-md5 and diffie-hellman-group1-sha1 first, a client `Host *` with
    /// aes128-cbc, hmac-md5 and curve25519, a DSA host key. Service certificates RSA 1024,
    /// SHA-1 signed by a CA, expired, expiring in 10 days; a secp256k1 key; an RSA 1024 anchor
    /// appended to the trust store.
    static let weak = #"""
        C="$R/etc/ssl/openssl.cnf"
        sed -i 's|^base = base_sect|base = base_sect\nlegacy = legacy_sect|; s|^default_properties = fips=yes|default_properties = ?fips=yes|' "$C"
        printf '\n[legacy_sect]\nactivate = 1\n' >> "$C"
        printf 'tampered' >> "$R/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so"
        CP="$R/etc/crypto-policies"; SP="$R/usr/share/crypto-policies"
        echo DEFAULT:SHA1 > "$CP/config"; echo DEFAULT:SHA1 > "$CP/state/current"; mkdir -p "$SP/DEFAULT"
        printf 'hash = SHA2-256 SHA2-384 SHA2-512\nsign = ECDSA-SHA2-256 RSA-PSS-SHA2-256 RSA-SHA2-256\nmin_rsa_size = 1024\n' > "$SP/policies/DEFAULT.pol"
        printf 'hash = SHA1+\nsign = RSA-SHA1+ ECDSA-SHA1+\n' > "$SP/policies/modules/SHA1.pmod"
        for b in bind gnutls java krb5 libreswan libssh nss openssh opensshserver openssl opensslcnf; do
          echo "# $b DEFAULT" > "$SP/DEFAULT/$b.txt"; ln -sfn "/usr/share/crypto-policies/DEFAULT/$b.txt" "$CP/back-ends/$b.config"
        done
        printf 'Ciphers 3des-cbc,aes256-ctr\nMACs hmac-md5,hmac-sha2-256\nKexAlgorithms diffie-hellman-group1-sha1,ecdh-sha2-nistp256\n' > "$R/etc/ssh/sshd_config.d/10-weak.conf"
        printf 'Host *\n    Ciphers aes128-cbc,aes128-ctr\n    MACs hmac-md5,hmac-sha2-256\n    KexAlgorithms curve25519-sha256\n' > "$R/etc/ssh/ssh_config.d/10-weak.conf"
        ssh-keygen -q -t dsa -N '' -f "$R/etc/ssh/ssh_host_dsa_key"
        W="$R/etc/nginx/ssl"; T="$R/.weak-ca"; mkdir -p "$W"; ca_init "$T"
        ca_sign "$T" rsa:1024 rsa1024.example "$W/rsa1024.crt" sha256
        ca_sign "$T" rsa:2048 sha1.example "$W/sha1.crt" sha1
        ca_sign "$T" rsa:2048 expired.example "$W/expired.crt" sha256 20200101000000Z 20210101000000Z
        openssl req -x509 -newkey rsa:2048 -sha256 -days 10 -nodes -subj "/CN=soon.example" -keyout "$T/soon.key" -out "$W/soon.pem" 2>/dev/null
        openssl ecparam -name secp256k1 -genkey -noout -out "$R/etc/ssl/private/secp256k1.key"
        openssl req -x509 -newkey rsa:1024 -sha256 -days 3650 -nodes -subj "/CN=Weak Root" -keyout "$T/weak.key" -out "$T/weak.pem" 2>/dev/null
        cat "$T/weak.pem" >> "$R/etc/ssl/certs/ca-certificates.crt"
        rm -rf "$T"

        """#

    /// The kubeadm PKI broken: the API server's certificate RSA 1024, the front proxy client's
    /// signed with SHA-1, etcd's peer certificate expired. (The standard Go kubelet and CIS's
    /// ChaCha20 suites are put in by the Swift side.)
    static let weakKubernetesPKI = #"""
        P="$R/etc/kubernetes/pki"; T="$R/.weak-kube-ca"; ca_init "$T"
        ca_sign "$T" rsa:1024 kube-apiserver "$P/apiserver.crt" sha256
        ca_sign "$T" rsa:2048 front-proxy-client "$P/front-proxy-client.crt" sha1
        ca_sign "$T" ec:"$(openssl ecparam -name prime256v1 -out "$T/p256" && echo "$T/p256")" kube-etcd-peer "$P/etcd/peer.crt" sha256 20200101000000Z 20210101000000Z
        rm -rf "$T"

        """#
}
