import Foundation

/// The shell steps that move a stock root to FIPS (run after `FIPSRootScripts.stock`, with
/// its prelude): OpenSSL's FIPS provider, the crypto-policies tree, SSH's STIG lists, a
/// service certificate, and a kubeadm PKI.
extension FIPSRootScripts {
    /// `fipsmodule.cnf` activating `fips` with the `module-mac` of a stand-in module at
    /// MODULESDIR/fips.so and `install-mac`/`install-status`, computed by `openssl mac`;
    /// `base` activated, `default_properties = fips=yes`; `fips=1` on the kernel command line;
    /// the STIG lists in `sshd_config.d` and `ssh_config.d`; a RHEL-style crypto-policies tree
    /// on FIPS (FIPS.pol with min_rsa_size 2048 and no SHA-1, back-ends linked into the
    /// policy's profile); the snakeoil certificate (RSA 3072, SHA-256, a year) and its key; a
    /// Let's Encrypt layout (cert, chain, fullchain, privkey, README: ECDSA P-256, 365 days) and
    /// nginx's `dhparam.pem` and `ticket.key` beside certificates (not certificates: skipped).
    static let fips = #"""
        MOD="$R/usr/lib/x86_64-linux-gnu/ossl-modules/fips.so"
        head -c 65536 /dev/urandom > "$MOD"
        printf INSTALL_SELF_TEST_KATS_RUN > "$R/.status"
        printf '[fips_sect]\nactivate = 1\ninstall-version = 1\nconditional-errors = 1\nsecurity-checks = 1\nmodule-mac = %s\ninstall-mac = %s\ninstall-status = INSTALL_SELF_TEST_KATS_RUN\n' \
          "$(mac "$MOD")" "$(mac "$R/.status")" > "$R/usr/lib/ssl/fipsmodule.cnf"
        rm "$R/.status"
        sed -i 's|^# .include fipsmodule.cnf|.include /usr/lib/ssl/fipsmodule.cnf|; s|^# providers = provider_sect|providers = provider_sect\nalg_section = algorithm_sect|; s|^# \[provider_sect\]|[provider_sect]|; s|^# fips = fips_sect|fips = fips_sect\nbase = base_sect|' "$R/etc/ssl/openssl.cnf"
        printf '\n[base_sect]\nactivate = 1\n\n[algorithm_sect]\ndefault_properties = fips=yes\n' >> "$R/etc/ssl/openssl.cnf"
        sed -i 's|^GRUB_CMDLINE_LINUX=""|GRUB_CMDLINE_LINUX="fips=1"|' "$R/etc/default/grub"
        printf 'Ciphers aes256-gcm@openssh.com,aes256-ctr,aes128-gcm@openssh.com,aes128-ctr\nMACs hmac-sha2-512,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-256-etm@openssh.com\nKexAlgorithms ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256\n' > "$R/etc/ssh/sshd_config.d/50-stig.conf"
        cp "$R/etc/ssh/sshd_config.d/50-stig.conf" "$R/etc/ssh/ssh_config.d/50-stig.conf"
        CP="$R/etc/crypto-policies"; SP="$R/usr/share/crypto-policies"
        mkdir -p "$CP/state" "$CP/back-ends" "$CP/policies/modules" "$CP/local.d" "$SP/policies/modules" "$SP/FIPS"
        echo FIPS > "$CP/config"; echo FIPS > "$CP/state/current"
        printf '# FIPS policy (trimmed)\nmac = AEAD HMAC-SHA2-256 HMAC-SHA2-384 HMAC-SHA2-512\ngroup = ECDHE-P256 ECDHE-P384 ECDHE-P521 FFDHE-2048 FFDHE-3072\nhash = SHA2-256 SHA2-384 SHA2-512 SHA3-256 SHA3-384 SHA3-512\nsign = ECDSA-SHA2-256 ECDSA-SHA2-384 ECDSA-SHA2-512 RSA-PSS-SHA2-256 RSA-SHA2-256 RSA-SHA2-384\ncipher = AES-256-GCM AES-128-GCM AES-256-CTR AES-128-CTR\nprotocol = TLS1.3 TLS1.2 DTLS1.2\nmin_rsa_size = 2048\nmin_dh_size = 2048\nsha1_in_certs = 0\n' > "$SP/policies/FIPS.pol"
        for b in bind gnutls java krb5 libreswan libssh nss openssh opensshserver openssl opensslcnf; do
          echo "# $b FIPS" > "$SP/FIPS/$b.txt"; ln -s "/usr/share/crypto-policies/FIPS/$b.txt" "$CP/back-ends/$b.config"
        done
        openssl req -x509 -newkey rsa:3072 -sha256 -days 365 -nodes -subj "/CN=vigil-fixture" \
          -keyout "$R/etc/ssl/private/ssl-cert-snakeoil.key" -out "$R/etc/ssl/certs/ssl-cert-snakeoil.pem" 2>/dev/null
        L="$R/etc/letsencrypt/live/example.org"; T="$R/.le-ca"; mkdir -p "$L" "$R/etc/nginx/ssl"; ca_init "$T"
        openssl ecparam -name prime256v1 -out "$T/p256"
        ca_sign "$T" ec:"$T/p256" example.org "$L/cert.pem" sha256
        cp "$T/leaf.key" "$L/privkey.pem"; cp "$T/ca.crt" "$L/chain.pem"; cat "$L/cert.pem" "$L/chain.pem" > "$L/fullchain.pem"
        printf 'This directory contains your keys and certificates.\n' > "$R/etc/letsencrypt/live/README"
        openssl dhparam -dsaparam -out "$R/etc/nginx/ssl/dhparam.pem" 2048 2>/dev/null
        head -c 80 /dev/urandom > "$R/etc/nginx/ssl/ticket.key"
        rm -rf "$T"

        """#

    /// Replaces every certificate file kubeadm's (and the kubelet's) PKI holds with a real one:
    /// a kubeadm CA (RSA 2048, SHA-256) issuing ECDSA P-256 and RSA 2048 leaves, a year each.
    /// An unpacked container image under k3s's agent directory holds Debian's CA bundle (with
    /// its expired roots): image content, not the node's PKI.
    static let kubernetesPKI = #"""
        T="$R/.pki-ca"; ca_init "$T"
        n=0
        for f in $(find "$R/etc/kubernetes/pki" "$R/var/lib/kubelet/pki" -type f \( -name '*.crt' -o -name '*.pem' \) | sort); do
          n=$((n + 1))
          case "$f" in */ca.crt|*/etcd/ca.crt|*/front-proxy-ca.crt) cp "$T/ca.crt" "$f"; continue ;; esac
          if [ $((n % 2)) = 0 ]; then alg=rsa:2048; else alg=ec:"$T/p256"; fi
          [ -f "$T/p256" ] || openssl ecparam -name prime256v1 -out "$T/p256"
          ca_sign "$T" "$alg" "$(basename "$f")" "$f" sha256
        done
        rm -rf "$T"
        S="$R/var/lib/rancher/k3s/agent/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/12/fs/etc/ssl/certs"
        mkdir -p "$S"; cp /etc/ssl/certs/ca-certificates.crt "$S/"

        """#

    /// The FIPS module activated with `activate = 0` (OpenSSL 3.0 activates it; 3.3 does not);
    /// the crypto policy DEFAULT with the SSH server's back-end overridden by a regular file;
    /// `fips=1` set the way Ubuntu Pro FIPS sets it, in `/etc/default/grub.d/99-ubuntu-fips.cfg`.
    /// With `OPENSSL33=1` the target's libcrypto is a stand-in holding OpenSSL 3.3.1's strings.
    static let activateZero = #"""
        sed -i 's|^activate = 1|activate = 0|' "$R/usr/lib/ssl/fipsmodule.cnf"
        sed -i 's|^GRUB_CMDLINE_LINUX="fips=1"|GRUB_CMDLINE_LINUX=""|' "$R/etc/default/grub"
        mkdir -p "$R/etc/default/grub.d"
        printf 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT fips=1"\n' > "$R/etc/default/grub.d/99-ubuntu-fips.cfg"
        CP="$R/etc/crypto-policies"; SP="$R/usr/share/crypto-policies"
        echo DEFAULT > "$CP/config"; echo DEFAULT > "$CP/state/current"; mkdir -p "$SP/DEFAULT"
        printf 'hash = SHA2-256 SHA2-384 SHA2-512\nsign = ECDSA-SHA2-256 RSA-SHA2-256\nmin_rsa_size = 2048\n' > "$SP/policies/DEFAULT.pol"
        for b in bind gnutls java krb5 libreswan libssh nss openssh opensshserver openssl opensslcnf; do
          echo "# $b DEFAULT" > "$SP/DEFAULT/$b.txt"; ln -sfn "/usr/share/crypto-policies/DEFAULT/$b.txt" "$CP/back-ends/$b.config"
        done
        rm "$CP/back-ends/opensshserver.config"; echo "Ciphers 3des-cbc" > "$CP/back-ends/opensshserver.config"
        if [ "${OPENSSL33:-}" = 1 ]; then
          printf '\0OpenSSL 3.3.1 4 Jun 2024\0OPENSSLDIR: "/usr/lib/ssl"\0MODULESDIR: "/usr/lib/x86_64-linux-gnu/ossl-modules"\0' \
            > "$R/usr/lib/x86_64-linux-gnu/libcrypto.so.3"
        fi

        """#
}
