"""The `edges` preset: legitimate layers that are easy to apply wrong. A file that becomes
a directory and a directory that becomes a file, a whiteout and a re-creation in the same
layer, writes through a chain of symbolic links, PAX long names and link targets, owners
past the ustar fields, a mode of 0, names with spaces and non-ASCII letters, a name that
is not UTF-8 (Latin-1) and a link to it, hard links to
a hard link's target, an opaque directory over a directory of the layer below, a mode
changed by a later header."""
from .debianroot import Tree

LONG = "usr/share/" + "/".join(["a-directory-name-of-forty-characters-xxxx"] * 4)


def layer1():
    t = Tree()
    t.file("etc/os-release", 'ID=debian\nVERSION_ID="12"\n')
    t.file("opt/app/a", "a\n").file("opt/app/sub/b", "b\n").file("opt/file-becomes-dir", "file\n")
    t.file("opt/dir-becomes-file/child", "child\n")
    t.file(LONG + "/file-with-a-long-name", "long\n")
    t.link("opt/long-link", "/" + LONG + "/file-with-a-long-name")
    t.file("opt/big-owner", "owner\n", uid=3000000, gid=4000000)
    t.file("opt/no-mode", "secret\n", 0)
    t.file("opt/name with space é", "space\n")
    t.file("opt/latin-1 caf\udce9", "not UTF-8\n")
    t.link("opt/link-to-latin-1", "latin-1 caf\udce9")
    t.file("opt/empty", "")
    t.link("opt/l1", "l2").link("opt/l2", "app")
    t.add("opt/h1", "hardlink", target="opt/app/a")
    t.add("opt/h2", "hardlink", target="opt/app/a")
    t.file("opt/mode-changes", "same\n", 0o644)
    return t.entries


def layer2():
    t = Tree(mtime=1700100000)
    t.dirs.update({"opt", "opt/file-becomes-dir"})
    t.dir("opt", 0o711)
    t.add("opt/file-becomes-dir", "dir", mode=0o750).file("opt/file-becomes-dir/inside", "inside\n")
    t.file("opt/dir-becomes-file", "now a file\n")
    t.add("opt/app", "whiteout").dir("opt/app", 0o700).file("opt/app/new", "new\n")
    t.dirs.update({"opt/l1"})
    t.file("opt/l1/via-chain", "through l1 -> l2 -> app\n")
    t.file("opt/mode-changes", "same\n", 0o4750, gid=5)
    t.add("opt/h3", "hardlink", target="opt/h1")
    return t.entries


def layer3():
    t = Tree(mtime=1700200000)
    t.dirs.update({"opt", "opt/file-becomes-dir"})
    t.add("opt/file-becomes-dir", "opaque").file("opt/file-becomes-dir/only", "only\n")
    t.add("opt/empty", "whiteout")
    return t.entries


def edges():
    return {"platforms": [{"os": "linux", "architecture": "amd64", "layers": [
        {"compression": "zstd", "entries": layer1()}, {"compression": "gzip", "entries": layer2()},
        {"compression": "none", "entries": layer3()}]}]}
