#!/usr/bin/env python3
"""Inputs for the fuzz target fuzz-image-layer: layer tars (ustar, GNU, PAX) holding the
cases of applying layers (links, whiteouts, opaque directories, hard links, device nodes)
and hostile ones (absolute and '..' paths, links out, a symlink root, deep paths), each led
by the harness's mode byte (bit 0: gzip it, bit 1: stack it on itself).

Usage: image_layer_seeds.py OUT_DIR [MUTANTS]   (seeds.py imports it; a test replays
OUT_DIR with a plain build of the target). MUTANTS adds that many damaged copies: bytes
flipped, cut short, blocks repeated.
"""
import io
import os
import random
import sys
import tarfile

tarfile.RECORDSIZE = 512  # no padding past the end-of-archive blocks: small inputs


def entry(name, kind="file", data=b"", link="", mode=0o644, uid=0, xattrs=None):
    return (name, kind, data, link, mode, uid, xattrs or {})


# An access ACL (user::rw-, user:1000:r--, group::r--, mask::r--, other::r--) as the
# xattr holds it, bytes kept as they are by tarfile's surrogateescape.
ACL = (b"\x02\x00\x00\x00" + b"\x01\x00\x06\x00\xff\xff\xff\xff" + b"\x02\x00\x04\x00\xe8\x03\x00\x00"
       + b"\x04\x00\x04\x00\xff\xff\xff\xff" + b"\x10\x00\x04\x00\xff\xff\xff\xff"
       + b"\x20\x00\x04\x00\xff\xff\xff\xff").decode("utf-8", "surrogateescape")

KINDS = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "link": tarfile.LNKTYPE,
         "fifo": tarfile.FIFOTYPE, "char": tarfile.CHRTYPE, "block": tarfile.BLKTYPE}

LAYERS = {
    "tree": [entry("./", "dir", mode=0o755), entry("etc/", "dir"), entry("etc/passwd", data=b"root:x:0:0:"),
             entry("etc/shadow", data=b"root:*:", mode=0o600), entry("bin/", "dir"), entry("bin/sh", data=b"sh"),
             entry("bin/bash", "link", link="bin/sh"), entry("lib", "symlink", link="usr/lib"),
             entry("lib/x", data=b"through"), entry("dev/", "dir"), entry("dev/null", "char", mode=0o666),
             entry("dev/sda", "block"), entry("run/fifo", "fifo")],
    "whiteouts": [entry("d/", "dir"), entry("d/a", data=b"a"), entry("d/.wh.a"), entry("o/", "dir"),
                  entry("o/.wh..wh..opq"), entry("o/n", data=b"n"), entry(".wh.gone"), entry("k", data=b"k"),
                  entry(".wh.k"), entry("l", "symlink", link="d"), entry("l/.wh..wh..opq"), entry(".wh.d")],
    "hostile": [entry("../escape", data=b"x"), entry("/abs", data=b"x"), entry("up", "symlink", link="../../.."),
                entry("up/etc/passwd", data=b"x"), entry("root", "symlink", link="/"), entry("root/x", data=b"y"),
                entry("h", "link", link="/etc/shadow"), entry("h2", "link", link="up"), entry(".wh..."),
                entry("loop", "symlink", link="loop/a"), entry("loop/b", data=b"z"), entry("./", "symlink", link="/")],
    "deep": [entry("/".join(["d"] * 300) + "/f", data=b"deep"), entry("s", "symlink", link="/".join(["d"] * 300)),
             entry("s/" + "/".join(["e"] * 300) + "/g", data=b"deeper"), entry("n" * 300, data=b"long name")],
    "replace": [entry("a/", "dir"), entry("a/c", data=b"c"), entry("a", data=b"file"), entry("a/d", data=b"d"),
                entry("b", "symlink", link="a"), entry("b/", "dir"), entry("x", "link", link="b"),
                entry("p/", "dir", xattrs={"user.k": "v", "security.capability": "\x01\x00\x00\x02"}),
                entry("acl", xattrs={"system.posix_acl_access": ACL})],
}


def tar_bytes(entries, fmt):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
        for name, kind, data, link, mode, uid, xattrs in entries:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.uid, info.mtime, info.linkname = KINDS[kind], mode, uid, 1700000000, link
            if xattrs and fmt == tarfile.PAX_FORMAT:
                info.pax_headers = {"SCHILY.xattr." + k: v for k, v in xattrs.items()}
            if kind in ("char", "block"):
                info.devmajor, info.devminor = 8, 1
            info.size = len(data) if kind == "file" else 0
            try:
                t.addfile(info, io.BytesIO(data) if kind == "file" else None)
            except ValueError:
                pass  # a name ustar cannot hold
    return out.getvalue()


def seeds():
    """(name, bytes) of every seed: each layer in each tar format, each mode byte."""
    out = []
    for layer, entries in sorted(LAYERS.items()):
        for fname, fmt in (("pax", tarfile.PAX_FORMAT), ("gnu", tarfile.GNU_FORMAT), ("ustar", tarfile.USTAR_FORMAT)):
            body = tar_bytes(entries, fmt)
            for mode in range(4):
                out.append(("%s-%s-%d" % (layer, fname, mode), bytes([mode]) + body))
    return out


def mutants(base, count, rnd):
    """`count` damaged copies of the seeds in `base`."""
    out = []
    for i in range(count):
        name, data = rnd.choice(base)
        data = bytearray(data)
        how = rnd.randrange(3)
        if how == 0:
            for _ in range(rnd.randint(1, 8)):
                data[rnd.randrange(1, len(data))] = rnd.randrange(256)
        elif how == 1:
            data = data[:rnd.randrange(1, len(data))]
        else:
            start = 1 + 512 * rnd.randrange(max(1, (len(data) - 1) // 512))
            data[start:start] = data[start:start + 512] * rnd.randint(1, 3)
        out.append(("mutant-%04d-%s" % (i, name), bytes(data)))
    return out


def write_all(out_dir, count=0):
    os.makedirs(out_dir, exist_ok=True)
    base = seeds()
    for name, data in base + mutants(base, count, random.Random(16)):
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    return len(base) + count


if __name__ == "__main__":
    print(write_all(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0))
