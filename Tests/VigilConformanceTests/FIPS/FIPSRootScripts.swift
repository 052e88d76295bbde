import Foundation

/// The shell steps that build the `rules/fips` fixture roots, each run by `/bin/sh -eu` with
/// `ROOT` set to the root (see `FIPSRoots`). They use only `cp`, `sed`, `openssl` and
/// `ssh-keygen`: fresh keys and dates every run, nothing taken from this host but the files a
/// stock Debian 12 holds (checked stock with `dpkg -S`/`dpkg --verify`).
enum FIPSRootScripts {
    /// Helpers: `ca_init DIR` makes a certificate authority, `ca_sign DIR KEYALG CN OUT DIGEST
    /// [STARTDATE ENDDATE]` issues a certificate from it (`-days 365` without dates), `mac FILE`
    /// is OpenSSL's fipsinstall HMAC-SHA256 of a file, written `AA:BB:...`.
    static let prelude = #"""
        R="$ROOT"
        KEY=f4556650ac31d35461610bac4ed81b1a181b2d8a43ea2854cbae22ca74560813
        mac() { OPENSSL_CONF=/dev/null openssl mac -digest SHA256 -macopt hexkey:$KEY -in "$1" HMAC | sed 's/../&:/g; s/:$//'; }
        ca_init() {
          mkdir -p "$1/new"; : > "$1/index.txt"; echo 01 > "$1/serial"
          openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -nodes -subj "/CN=Fixture CA" -keyout "$1/ca.key" -out "$1/ca.crt" 2>/dev/null
          printf '[ca]\ndefault_ca=d\n[d]\ndir=%s\ndatabase=$dir/index.txt\nserial=$dir/serial\nnew_certs_dir=$dir/new\ncertificate=$dir/ca.crt\nprivate_key=$dir/ca.key\ndefault_md=sha256\ndefault_days=365\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n' "$1" > "$1/ca.cnf"
        }
        ca_sign() {
          openssl req -new -newkey "$2" -nodes -subj "/CN=$3" -keyout "$1/leaf.key" -out "$1/leaf.csr" 2>/dev/null
          if [ $# -ge 7 ]; then dates="-startdate $6 -enddate $7"; else dates=""; fi
          openssl ca -batch -notext -config "$1/ca.cnf" -md "$5" $dates -in "$1/leaf.csr" -out "$4" 2>/dev/null
        }

        """#

    /// Stock Debian 12: OpenSSL 3.0's packaged configuration and libcrypto (its version
    /// strings), the CA bundle, a dpkg status trimmed to the packages the rules ask about,
    /// OpenSSH 9.2's packaged `sshd_config`/`ssh_config` and binaries, host keys generated as
    /// Debian's postinst does (`ssh-keygen -A`), and a GRUB default without `fips=1`. The copied
    /// files must be unchanged on this host (`dpkg --verify`), else the script fails.
    static let stock = #"""
        changed=$(dpkg --verify openssl libssl3 openssh-client openssh-server 2>&1 \
          | grep -E ' (/etc/ssl/openssl.cnf|/usr/lib/x86_64-linux-gnu/libcrypto.so.3|/usr/share/openssh/sshd_config|/etc/ssh/ssh_config|/usr/sbin/sshd|/usr/bin/ssh)$' || true)
        [ -z "$changed" ] || { echo "this host's files are not stock Debian 12, the stock root would not be: $changed" >&2; exit 3; }
        mkdir -p "$R/etc/ssl/certs" "$R/etc/ssl/private" "$R/usr/lib/ssl" "$R/usr/lib/x86_64-linux-gnu/ossl-modules" \
          "$R/var/lib/dpkg" "$R/etc/ssh/sshd_config.d" "$R/etc/ssh/ssh_config.d" "$R/usr/sbin" "$R/usr/bin" "$R/etc/default"
        cp /etc/ssl/openssl.cnf "$R/etc/ssl/openssl.cnf"
        ln -s /etc/ssl/openssl.cnf "$R/usr/lib/ssl/openssl.cnf"
        ln -s /etc/ssl/certs "$R/usr/lib/ssl/certs"
        ln -s /etc/ssl/private "$R/usr/lib/ssl/private"
        cp /usr/lib/x86_64-linux-gnu/libcrypto.so.3 "$R/usr/lib/x86_64-linux-gnu/"
        cp /usr/lib/x86_64-linux-gnu/ossl-modules/legacy.so "$R/usr/lib/x86_64-linux-gnu/ossl-modules/"
        cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/"
        awk -v RS= -v ORS='\n\n' '/^Package: (openssh-server|openssh-client|libssl3|openssl|ca-certificates)\n/' /var/lib/dpkg/status > "$R/var/lib/dpkg/status"
        cp /usr/share/openssh/sshd_config "$R/etc/ssh/sshd_config"
        cp /etc/ssh/ssh_config "$R/etc/ssh/ssh_config"
        cp /usr/sbin/sshd "$R/usr/sbin/sshd"
        cp /usr/bin/ssh "$R/usr/bin/ssh"
        ssh-keygen -q -A -f "$R" >/dev/null
        printf 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX=""\n' > "$R/etc/default/grub"

        """#
}
