"""A small tar writer with full control over every header field: ustar headers, PAX
records (long names, big ids, `SCHILY.xattr.*` with binary values written raw, as GNU tar
writes them), and no sanitising, so that hostile layers (absolute and `..` paths, links
out) can be written too.

An entry is a dict:
  path      the name as stored ("etc/passwd", "/abs", "../x"); written as given
  type      file | dir | symlink | hardlink | char | block | fifo | whiteout | opaque
  content   str or bytes (file); for whiteout/opaque nothing (the name is derived)
  target    link target (symlink) or linked path (hardlink)
  mode      permission bits incl. setuid/setgid/sticky (default 0o644, dirs 0o755)
  uid, gid  owners (default 0)
  mtime     seconds (default 1700000000)
  major, minor  device numbers (char/block)
  xattrs    {name: str | bytes}; a str starting with "base64:" is decoded
  size      for a file: a size to declare instead of the content's (hostile "bomb" entries
            give `zeros` instead of content: that many zero bytes, streamed)
"""
import base64

BLOCK = 512
DEFAULT_MTIME = 1700000000
TYPES = {"file": b"0", "hardlink": b"1", "symlink": b"2", "char": b"3", "block": b"4", "dir": b"5", "fifo": b"6"}


def _octal(value, width):
    text = b"%0*o" % (width - 1, value)
    if len(text) > width - 1:
        raise ValueError(f"{value} does not fit a {width}-byte field")
    return text + b"\0"


def _pax_record(key, value):
    body = b" " + key.encode() + b"=" + value + b"\n"
    n = len(body) + 1
    while len(str(n).encode()) + len(body) != n:
        n = len(str(n).encode()) + len(body)
    return str(n).encode() + body


def _value(v):
    if isinstance(v, bytes):
        return v
    if v.startswith("base64:"):
        return base64.b64decode(v[7:])
    return v.encode()


def _header(name, linkname, mode, uid, gid, size, mtime, typeflag, major=0, minor=0):
    h = bytearray(BLOCK)
    h[0:len(name)] = name
    h[100:108] = _octal(mode & 0o7777, 8)
    h[108:116] = _octal(min(uid, 0o7777777), 8)
    h[116:124] = _octal(min(gid, 0o7777777), 8)
    h[124:136] = _octal(size, 12)
    h[136:148] = _octal(mtime, 12)
    h[148:156] = b" " * 8
    h[156:157] = typeflag
    h[157:157 + len(linkname)] = linkname
    h[257:265] = b"ustar\x0000"
    h[329:337] = _octal(major, 8)
    h[337:345] = _octal(minor, 8)
    h[148:156] = b"%06o\0 " % sum(h)
    return bytes(h)


def _pad(n):
    return b"\0" * ((BLOCK - n % BLOCK) % BLOCK)


def normalise(entry):
    """The entry with whiteout/opaque turned into the empty regular files that mean them."""
    e = dict(entry)
    if e["type"] == "whiteout":
        head, _, base = e["path"].rstrip("/").rpartition("/")
        e.update(type="file", path=(head + "/" if head else "") + ".wh." + base, content=b"")
    elif e["type"] == "opaque":
        e.update(type="file", path=e["path"].rstrip("/") + "/.wh..wh..opq", content=b"")
    return e


def entry_chunks(entry):
    """The bytes of one entry (PAX header when needed, ustar header, content), as chunks."""
    e = normalise(entry)
    kind = e["type"]
    # Names are text; bytes that are not UTF-8 are written as given through surrogate escapes.
    name = e["path"].encode("utf-8", "surrogateescape")
    link = e.get("target", "").encode("utf-8", "surrogateescape")
    content = _value(e.get("content", b"")) if kind == "file" else b""
    zeros = e.get("zeros", 0) if kind == "file" else 0
    size = zeros if zeros else len(content)
    mode = e.get("mode", 0o755 if kind == "dir" else (0o777 if kind == "symlink" else 0o644))
    uid, gid, mtime = e.get("uid", 0), e.get("gid", 0), e.get("mtime", DEFAULT_MTIME)
    pax = []
    if len(name) > 100:
        pax.append(("path", name))
        name = name[:100]
    if len(link) > 100:
        pax.append(("linkpath", link))
        link = link[:100]
    for key, v in (("uid", uid), ("gid", gid)):
        if v > 0o7777777:
            pax.append((key, str(v).encode()))
    for xname, xvalue in sorted(e.get("xattrs", {}).items()):
        pax.append(("SCHILY.xattr." + xname, _value(xvalue)))
    if pax:
        records = b"".join(_pax_record(k, v) for k, v in pax)
        yield _header(b"PaxHeaders/" + name[:80], b"", 0o644, 0, 0, len(records), mtime, b"x")
        yield records + _pad(len(records))
    yield _header(name, link, mode, uid, gid, size, mtime, TYPES[kind], e.get("major", 0), e.get("minor", 0))
    if zeros:
        block = b"\0" * (1 << 20)
        left = zeros
        while left > 0:
            yield block[:min(left, len(block))]
            left -= len(block)
        yield _pad(zeros)
    elif content:
        yield content + _pad(len(content))


def tar_chunks(entries):
    """A whole tar stream: every entry, then the two zero blocks that end it."""
    for entry in entries:
        yield from entry_chunks(entry)
    yield b"\0" * (2 * BLOCK)
