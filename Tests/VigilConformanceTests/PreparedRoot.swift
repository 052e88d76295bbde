import Foundation

/// oscap 1.3.7 reads packages offline through libapt with `RootDir` set, which also
/// reads the host's `/etc/apt/apt.conf.d`. On Docker-built hosts `docker-clean` there
/// empties the cache paths, and apt then fails in any root ("dpkginfo_init has failed",
/// every package absent). This apt configuration, given to oscap as `APT_CONFIG`, skips
/// the host's parts so that the reference tool reads the root's dpkg database. Vigil
/// reads `/var/lib/dpkg/status` itself, as newer OpenSCAP releases do.
enum OscapAptWorkaround {
    static func config(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("apt.conf").path
        try "Dir::Etc::Parts \"/nonexistent-apt-parts\";\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// An offline root file system for differential tests of `rules/linux-baseline`: half
/// hardened, so that some rules pass and others fail. Owners are set when the tests run
/// as root (as in CI); otherwise files belong to the test user and owner rules fail.
enum PreparedRoot {
    static func make(in dir: URL) throws -> String {
        let fm = FileManager.default
        func write(_ path: String, _ text: String, mode: Int, uid: Int = 0, gid: Int = 0) throws {
            let url = dir.appendingPathComponent(String(path.dropFirst()))
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
            chmod(url.path, mode_t(mode))
            if getuid() == 0 { chown(url.path, uid_t(uid), gid_t(gid)) }
        }
        func link(_ path: String, to target: String) throws {
            let url = dir.appendingPathComponent(String(path.dropFirst()))
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: url.path, withDestinationPath: target)
        }
        try write("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n", mode: 0o644)
        try write("/etc/hostname", "prepared-root\n", mode: 0o644)
        // Accounts: passwd and group right, shadow right, gshadow too open.
        try write("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nsshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n", mode: 0o644)
        try write("/etc/group", "root:x:0:\nshadow:x:42:\n", mode: 0o644)
        try write("/etc/shadow", "root:$6$abc$def:19000:0:99999:7:::\n", mode: 0o640, gid: 42)
        try write("/etc/gshadow", "root:*::\n", mode: 0o644)
        try write("/etc/login.defs", """
            # login.defs
            PASS_MAX_DAYS\t99999
            PASS_MIN_DAYS\t1
            PASS_WARN_AGE\t7
            UMASK\t\t077
            ENCRYPT_METHOD SHA512
            """, mode: 0o644)
        // SSH: root login off and FIPS MACs, but a non-FIPS cipher and X11 forwarding on.
        try write("/etc/ssh/sshd_config", """
            Include /etc/ssh/sshd_config.d/*.conf
            PermitRootLogin no
            PermitEmptyPasswords no
            X11Forwarding yes
            IgnoreRhosts yes
            HostbasedAuthentication no
            MaxAuthTries 6
            ClientAliveInterval 600
            ClientAliveCountMax 1
            LogLevel VERBOSE
            Ciphers aes256-ctr,aes128-ctr,chacha20-poly1305@openssh.com
            MACs hmac-sha2-512,hmac-sha2-256
            KexAlgorithms ecdh-sha2-nistp256,ecdh-sha2-nistp384
            Banner /etc/issue.net
            UsePAM yes
            """, mode: 0o600)
        try write("/etc/ssh/sshd_config.d/50-local.conf", "PermitUserEnvironment no\nStrictModes yes\n", mode: 0o644)
        try write("/etc/ssh/ssh_host_ed25519_key", "private\n", mode: 0o600)
        try write("/etc/ssh/ssh_host_ed25519_key.pub", "public\n", mode: 0o644)
        try write("/etc/ssh/ssh_host_rsa_key", "private\n", mode: 0o644)
        try write("/etc/ssh/ssh_host_rsa_key.pub", "public\n", mode: 0o666)
        try write("/etc/issue", "Authorized uses only. All activity may be monitored and reported.\n", mode: 0o644)
        try write("/etc/issue.net", "Authorized uses only. All activity may be monitored and reported.\n", mode: 0o644)
        try write("/etc/hosts.equiv", "+\n", mode: 0o644)
        // Kernel: some hardening configured, some missing or wrong; FIPS on the command line.
        try write("/etc/sysctl.d/90-hardening.conf", """
            kernel.randomize_va_space = 2
            kernel.dmesg_restrict = 1
            fs.suid_dumpable = 1
            fs.protected_hardlinks = 1
            fs.protected_symlinks = 1
            net.ipv4.conf.all.accept_redirects = 0
            net.ipv4.conf.default.accept_redirects = 0
            net.ipv4.conf.all.send_redirects = 1
            net.ipv4.tcp_syncookies = 1
            net.ipv4.ip_forward = 1
            kernel/kptr_restrict = 1
            """, mode: 0o644)
        try write("/etc/default/grub", "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"fips=1 audit=1\"\n", mode: 0o644)
        try write("/etc/crontab", "# crontab\n", mode: 0o644)
        // Packages: openssh-server and auditd installed, telnetd absent, rsh-server present.
        func package(_ name: String) -> String {
            "Package: \(name)\nStatus: install ok installed\nPriority: optional\nVersion: 1.0-1\nArchitecture: amd64\nDescription: \(name)\n"
        }
        try write("/var/lib/dpkg/status", ["openssh-server", "auditd", "rsh-server", "libc6", "sudo", "chrony"].map(package).joined(separator: "\n"),
                  mode: 0o644)
        // dpkg's architecture tables, which apt (behind oscap's dpkginfo probe) needs.
        for table in ["cputable", "tupletable"] {
            try write("/usr/share/dpkg/\(table)", (try? String(contentsOfFile: "/usr/share/dpkg/\(table)", encoding: .utf8)) ?? "", mode: 0o644)
        }
        try write("/lib/systemd/system/auditd.service", "[Unit]\nDescription=audit\n[Install]\nWantedBy=multi-user.target\n", mode: 0o644)
        try write("/lib/systemd/system/ssh.service", "[Unit]\nDescription=ssh\n[Install]\nWantedBy=multi-user.target\n", mode: 0o644)
        try link("/etc/systemd/system/multi-user.target.wants/auditd.service", to: "/lib/systemd/system/auditd.service")
        try write("/etc/audit/auditd.conf", "log_file = /var/log/audit/audit.log\nmax_log_file_action = keep_logs\n", mode: 0o640)
        try write("/etc/security/pwquality.conf", "minlen = 12\n", mode: 0o644)
        // A Kubernetes node's kubelet: anonymous access on, read-only port off.
        try write("/var/lib/kubelet/config.yaml", """
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            authentication:
              anonymous:
                enabled: true
              webhook:
                enabled: true
            readOnlyPort: 0
            """, mode: 0o644)
        return dir.path
    }
}
