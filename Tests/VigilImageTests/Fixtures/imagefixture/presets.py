"""Named image specs for the tests (`build-image.py --preset NAME`).

  debian         three layers (gzip, zstd, none) over a Debian 12 root: whiteouts, an opaque
                 directory, hard links across layers, xattrs and a POSIX ACL, devices, a fifo,
                 set-id programs, a symlinked parent
  debian-fixed   the same with a fourth layer that fixes some failing rules
  debian-broken  the same with a fourth layer that breaks `/etc/shadow`'s mode
  large          the Debian image with a fourth layer of 200 MB of zeros (gzip)
  edges          layers that are easy to apply wrong (edges.py)
  two-platform   an index: linux/amd64 and linux/arm64/v8, each with its own /etc/platform
  two-platform-flat  the same, both manifests listed in index.json itself
  hostile-NAME   a small good layer, then a layer with one hostile thing (HOSTILE below);
                 `marker` is a host path the hostile entry aims at (it must stay untouched)
"""
from .debianroot import Tree, base_layer, second_layer, third_layer
from .edges import edges


def debian(compressions=("gzip", "zstd", "none"), extra=None):
    layers = [{"compression": c, "entries": e} for c, e in zip(compressions, (base_layer(), second_layer(), third_layer()))]
    if extra:
        layers.append({"compression": "gzip", "entries": extra})
    return {"platforms": [{"os": "linux", "architecture": "amd64", "layers": layers}]}


def fixed_layer():
    t = Tree(mtime=1700300000)
    t.dirs.update({"etc", "etc/ssh", "etc/sysctl.d"})
    t.file("etc/ssh/ssh_host_rsa_key", "private\n", 0o600)
    t.file("etc/sysctl.d/90-hardening.conf", "kernel.randomize_va_space = 2\nfs.suid_dumpable = 0\n"
           "net.ipv4.conf.all.send_redirects = 0\nnet.ipv4.ip_forward = 0\n")
    return t.entries


def broken_layer():
    t = Tree(mtime=1700300000)
    t.dirs.update({"etc"})
    t.file("etc/shadow", "root:$6$abc$def:19000:0:99999:7:::\n", 0o666, gid=42)
    return t.entries


def large():
    """The Debian image with a fourth layer (gzip) holding 200 MB of zeros: long enough to
    decompress that a scan can be caught (and killed) while it spools the layer, and under
    the expansion limit's floor (256 MB)."""
    spec = debian()
    spec["platforms"][0]["layers"].append({"compression": "gzip", "entries": [
        {"path": "var/", "type": "dir"}, {"path": "var/large", "type": "file", "zeros": 200 << 20}]})
    return spec


def two_platform(flat=False):
    def platform(arch, variant=None):
        t = Tree()
        t.file("etc/os-release", 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
        t.file("etc/platform", f"linux/{arch}\n")
        t.file(f"usr/lib/only-{arch}", arch + "\n")
        p = {"os": "linux", "architecture": arch, "layers": [{"compression": "gzip", "entries": t.entries}]}
        if variant:
            p["variant"] = variant
        return p
    return {"platforms": [platform("amd64"), platform("arm64", "v8")], "flat_index": flat}


def _up(marker):
    """`marker` (absolute) as a path that climbs out of any root: ../../../../../../../../marker."""
    return "../" * 16 + marker.lstrip("/")


HOSTILE = {
    # Entries are the hostile layer's; `fault` damages that layer's blob instead.
    "absolute": lambda m: [{"path": m, "type": "file", "content": "pwned\n"}],
    "dotdot": lambda m: [{"path": "etc/" + _up(m), "type": "file", "content": "pwned\n"}],
    "dotdot-inner": lambda m: [{"path": "etc/../../" + m.lstrip("/"), "type": "file", "content": "pwned\n"}],
    "hardlink-outside": lambda m: [{"path": "etc/stolen", "type": "hardlink", "target": _up(m)}],
    "hardlink-absolute": lambda m: [{"path": "etc/stolen", "type": "hardlink", "target": m}],
    "hardlink-missing": lambda m: [{"path": "etc/stolen", "type": "hardlink", "target": "etc/no-such-file"}],
    "hardlink-directory": lambda m: [{"path": "etc/stolen", "type": "hardlink", "target": "usr/share"}],
    "symlink-loop": lambda m: [{"path": "etc/a", "type": "symlink", "target": "b"}, {"path": "etc/b", "type": "symlink", "target": "a"},
                               {"path": "etc/a/x", "type": "file", "content": "through a loop\n"}],
    "symlink-out": lambda m: [{"path": "etc/evil", "type": "symlink", "target": _up(m.rsplit("/", 1)[0])},
                              {"path": "etc/evil/" + m.rsplit("/", 1)[1], "type": "file", "content": "pwned\n"}],
    "symlink-absolute-out": lambda m: [{"path": "etc/evil", "type": "symlink", "target": m.rsplit("/", 1)[0]},
                                       {"path": "etc/evil/" + m.rsplit("/", 1)[1], "type": "file", "content": "pwned\n"}],
    # /etc/login.defs (a file in the first layer) made a link out of the image, to a host file.
    "symlink-read-out": lambda m: [{"path": "etc/login.defs", "type": "symlink", "target": _up(m)}],
    "symlink-read-absolute": lambda m: [{"path": "etc/login.defs", "type": "symlink", "target": m}],
    "whiteout-parent": lambda m: [{"path": ".wh..", "type": "file", "content": ""}],
    "whiteout-parent-inner": lambda m: [{"path": "etc/.wh..", "type": "file", "content": ""}],
    "whiteout-dotdot": lambda m: [{"path": "etc/.wh.." + "/" + _up(m), "type": "file", "content": ""}],
    "device": lambda m: [{"path": "etc/login.defs", "type": "char", "mode": 0o644, "major": 1, "minor": 5}],
    "bomb": lambda m: [{"path": "var/bomb", "type": "file", "zeros": 1 << 30}],
}
FAULTS = ("truncate", "corrupt", "wrong-digest", "wrong-diffid")


def hostile(name, marker):
    good = Tree()
    good.file("etc/os-release", 'ID=debian\nVERSION_ID="12"\n').file("etc/login.defs", "PASS_MAX_DAYS\t60\n")
    good.file("usr/share/doc/filler", "".join(f"line {i} of some text that compresses\n" for i in range(20000)))
    top = Tree(mtime=1700100000)
    top.file("etc/motd", "hello\n")
    layer = {"compression": "zstd" if name == "bomb" else "gzip", "entries": top.entries}
    if name in FAULTS:
        # The damaged layer holds the filler too (enough compressed bytes to cut or damage
        # in the middle) and differs from the first, so that the two blobs are two files.
        layer["fault"] = name
        layer["entries"] = top.entries + good.entries
    else:
        layer["entries"] = top.entries + HOSTILE[name](marker)
    return {"platforms": [{"os": "linux", "architecture": "amd64",
                           "layers": [{"compression": "gzip", "entries": good.entries}, layer]}]}


NAMES = ["debian", "debian-fixed", "debian-broken", "large", "edges", "two-platform", "two-platform-flat"] + ["hostile-" + n for n in list(HOSTILE) + list(FAULTS)]


def preset(name, marker="/tmp/vigil-hostile-marker"):
    if name == "debian":
        return debian()
    if name == "debian-fixed":
        return debian(extra=fixed_layer())
    if name == "debian-broken":
        return debian(extra=broken_layer())
    if name == "large":
        return large()
    if name == "edges":
        return edges()
    if name in ("two-platform", "two-platform-flat"):
        return two_platform(flat=name.endswith("flat"))
    if name.startswith("hostile-") and (name[8:] in HOSTILE or name[8:] in FAULTS):
        return hostile(name[8:], marker)
    raise KeyError(f"no preset {name!r}; presets: {', '.join(NAMES)}")
