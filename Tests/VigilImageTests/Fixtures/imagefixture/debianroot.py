"""A small Debian 12 root as layer entries: enough that `rules/linux-baseline` has rules
that pass and rules that fail (accounts, SSH, login.defs, kernel settings, packages,
set-id programs, a world-writable directory with and one without the sticky bit)."""

SHADOW_GID, TTY_GID = 42, 5


class Tree:
    """Collects entries, adding each missing parent directory (0755 root) before a child."""

    def __init__(self, mtime=1700000000):
        self.entries, self.dirs, self.mtime = [], set(), mtime

    def _parents(self, path):
        parts = path.strip("/").split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.dirs:
                self.dirs.add(d)
                self.entries.append({"path": d + "/", "type": "dir", "mode": 0o755, "mtime": self.mtime})

    def add(self, path, type, **fields):
        self._parents(path)
        if type == "dir":
            self.dirs.add(path.strip("/"))
        fields.setdefault("mtime", self.mtime)
        self.entries.append(dict(path=path, type=type, **fields))
        return self

    def file(self, path, content, mode=0o644, **fields):
        return self.add(path, "file", content=content, mode=mode, **fields)

    def dir(self, path, mode=0o755, **fields):
        return self.add(path.rstrip("/") + "/", "dir", mode=mode, **fields)

    def link(self, path, target, **fields):
        return self.add(path, "symlink", target=target, **fields)


def acl(entries):
    """A POSIX ACL xattr value in the kernel's format: version 2, then (tag, perm, id) each."""
    tags = {"user_obj": 1, "user": 2, "group_obj": 4, "group": 8, "mask": 0x10, "other": 0x20}
    out = (2).to_bytes(4, "little")
    for tag, perm, ident in entries:
        out += tags[tag].to_bytes(2, "little") + perm.to_bytes(2, "little") + (ident & 0xFFFFFFFF).to_bytes(4, "little")
    return out


def capability(bits):
    """A `security.capability` xattr value (VFS_CAP_REVISION_2, effective) granting `bits`."""
    out = (0x02000001).to_bytes(4, "little")
    return out + (bits & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4) + (bits >> 32).to_bytes(4, "little") + bytes(4)


def dpkg_status(names):
    return "\n".join(f"Package: {n}\nStatus: install ok installed\nPriority: optional\nVersion: 1.0-1\n"
                     f"Architecture: amd64\nDescription: {n}\n" for n in names)


SSHD_CONFIG = """Include /etc/ssh/sshd_config.d/*.conf
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
Banner /etc/issue.net
UsePAM yes
"""

SYSCTL = """kernel.randomize_va_space = 2
kernel.dmesg_restrict = 1
fs.suid_dumpable = 1
fs.protected_hardlinks = 1
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.all.send_redirects = 1
net.ipv4.tcp_syncookies = 1
net.ipv4.ip_forward = 1
"""


def base_layer(tree=None):
    """The lowest layer: a merged-/usr Debian 12 root."""
    t = tree or Tree()
    for name in ("bin", "lib", "sbin", "lib64"):
        t.link(name, "usr/" + name)
    for d in ("usr/bin", "usr/lib/modprobe.d", "usr/lib64", "usr/sbin", "home", "proc", "sys", "run", "srv", "mnt"):
        t.dir(d)
    t.dir("root", 0o700).dir("tmp", 0o1777).dir("var/tmp", 0o1777).dir("var/spool/drop", 0o777)
    t.file("usr/lib/os-release", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
           'VERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n')
    t.link("etc/os-release", "../usr/lib/os-release")
    t.file("etc/hostname", "image\n")
    t.file("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
           "sshd:x:100:65534::/run/sshd:/usr/sbin/nologin\nuser:x:1000:1000::/home/user:/bin/bash\n")
    t.file("etc/group", "root:x:0:\ntty:x:5:\nshadow:x:42:\nuser:x:1000:\n")
    t.file("etc/shadow", "root:$6$abc$def:19000:0:99999:7:::\nuser:!:19000:0:99999:7:::\n", 0o640, gid=SHADOW_GID)
    t.file("etc/gshadow", "root:*::\n", 0o644)
    t.file("etc/login.defs", "PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nPASS_WARN_AGE\t7\nUMASK\t\t022\n"
           "ENCRYPT_METHOD SHA512\n")
    t.dir("etc/ssh").file("etc/ssh/sshd_config", SSHD_CONFIG, 0o600)
    t.file("etc/ssh/sshd_config.d/50-cloud.conf", "PasswordAuthentication yes\n")
    t.file("etc/ssh/ssh_host_ed25519_key", "private\n", 0o600).file("etc/ssh/ssh_host_rsa_key", "private\n", 0o644)
    t.file("etc/issue.net", "Debian GNU/Linux 12\n")
    t.file("etc/hosts.equiv", "+\n")
    t.file("etc/sysctl.d/90-hardening.conf", SYSCTL)
    t.file("etc/default/grub", 'GRUB_CMDLINE_LINUX="audit=1"\n')
    t.file("etc/crontab", "# crontab\n", 0o640,
           xattrs={"system.posix_acl_access": acl([("user_obj", 6, -1), ("user", 4, 1000), ("group_obj", 4, -1),
                                                   ("mask", 4, -1), ("other", 0, -1)])})
    # A directory with a default ACL only (libacl counts it as extended); a later layer
    # changes its parent's owner and mode, which keeps it.
    t.dir("srv/shared", 0o2775, gid=1000,
          xattrs={"system.posix_acl_default": acl([("user_obj", 7, -1), ("user", 7, 1000), ("group_obj", 5, -1),
                                                   ("mask", 7, -1), ("other", 5, -1)])})
    t.file("var/lib/dpkg/status", dpkg_status(["base-files", "libc6", "openssh-server", "sudo", "rsh-server", "auditd"]))
    t.file("usr/bin/passwd", "\x7fELF passwd\n", 0o4755, mtime=1690000000)
    t.file("usr/bin/su", "\x7fELF su\n", 0o4755)
    t.file("usr/bin/wall", "\x7fELF wall\n", 0o2755, gid=TTY_GID)
    t.file("usr/bin/ping", "\x7fELF ping\n", 0o755, xattrs={"security.capability": capability(1 << 13)})
    t.file("usr/bin/dash", "\x7fELF dash\n", 0o755).link("usr/bin/sh", "dash")
    t.add("usr/bin/chsh", "hardlink", target="usr/bin/passwd")
    t.dir("dev").add("dev/null", "char", mode=0o666, major=1, minor=3).add("dev/sda", "block", mode=0o660, major=8,
                                                                         minor=0, gid=6)
    t.add("run/initctl", "fifo", mode=0o600)
    t.file("var/opt/old/data", "old\n").file("var/opt/old/sub/more", "more\n")
    t.file("usr/share/doc/base-files/copyright", "x" * 5000)
    return t.entries


def second_layer():
    """Changes a later layer makes: whiteouts (a file, a directory), an opaque directory, a
    file rewritten with other owner and mode, hard links to a lower layer's file, a write
    through a symlinked parent (lib -> usr/lib), a file turned into a symbolic link, a new
    set-id program, a user xattr, a directory's mode changed."""
    t = Tree(mtime=1700100000)
    t.dirs.update({"etc", "etc/ssh", "usr", "usr/bin", "var", "var/opt", "lib", "usr/lib", "lib/modprobe.d"})
    t.add("etc/hosts.equiv", "whiteout")
    t.add("var/opt/old", "whiteout")
    t.dir("etc/ssh/sshd_config.d", 0o755).add("etc/ssh/sshd_config.d", "opaque")
    t.file("etc/ssh/sshd_config.d/60-vigil.conf", "PermitUserEnvironment no\n")
    t.file("etc/login.defs", "PASS_MAX_DAYS\t60\nPASS_MIN_DAYS\t1\nPASS_WARN_AGE\t7\nUMASK\t\t077\n"
           "ENCRYPT_METHOD SHA512\n", 0o600, uid=0, gid=SHADOW_GID)
    t.add("usr/bin/chfn", "hardlink", target="usr/bin/passwd")
    t.file("lib/modprobe.d/vigil.conf", "install usb-storage /bin/false\n", xattrs={"user.vigil": "hello"})
    t.link("etc/hostname", "/usr/lib/os-release")
    t.file("usr/bin/newtool", "\x7fELF newtool\n", 0o6755)
    t.add("usr/bin/newtool-link", "hardlink", target="usr/bin/newtool")
    t.dir("srv", 0o750, uid=1000, gid=1000)
    return t.entries


def third_layer():
    """An uncompressed top layer: a whiteout of the second layer's file, whose hard link stays."""
    t = Tree(mtime=1700200000)
    t.dirs.update({"etc", "usr", "usr/bin"})
    t.add("usr/bin/newtool", "whiteout")
    t.file("etc/motd", "Authorized uses only.\n")
    return t.entries
