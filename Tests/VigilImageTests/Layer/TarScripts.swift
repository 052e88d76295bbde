import Foundation

/// Python programs (run with `python3 -c`) that write tar fixtures and say what Python's
/// own tarfile module reads from a tar stream, to compare `TarReader` with.
enum TarScripts {
    /// `build OUT FORMAT` (pax, gnu, ustar): a tar with every entry kind; in pax and gnu
    /// also long names and link names, large ids, negative or fractional times, xattrs.
    static let build = #"""
import io, sys, tarfile
out, fmt = sys.argv[1], sys.argv[2]
FORMATS = {'pax': tarfile.PAX_FORMAT, 'gnu': tarfile.GNU_FORMAT, 'ustar': tarfile.USTAR_FORMAT}
def pattern(n, seed):
    return bytes((i * 31 + seed + (i >> 8)) & 0xFF for i in range(n))
with tarfile.open(out, 'w', format=FORMATS[fmt]) as t:
    def add(name, kind=tarfile.REGTYPE, data=None, pax=None, **kw):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.mtime = 1700000000
        for k, v in kw.items():
            setattr(ti, k, v)
        if pax:
            ti.pax_headers = pax
        if data is not None:
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        else:
            t.addfile(ti)
    add('./', tarfile.DIRTYPE, mode=0o755)
    add('etc/', tarfile.DIRTYPE, mode=0o755, uid=0, gid=0)
    add('etc/passwd', data=b'root:x:0:0:root:/root:/bin/sh\n', mode=0o644, uname='root', gname='root')
    add('etc/shadow', data=b'root:*:19000:0:99999:7:::\n', mode=0o640, gid=42)
    add('usr/bin/su', data=pattern(70000, 3), mode=0o4755)
    add('usr/lib/big', data=pattern(3 * 1024 * 1024 + 123, 7), mode=0o644, uid=1000, gid=1000)
    add('empty', data=b'', mode=0o600)
    add('contiguous', tarfile.CONTTYPE, data=b'contiguous file\n')
    add('etc/passwd.hard', tarfile.LNKTYPE, linkname='etc/passwd')
    add('etc/os-release', tarfile.SYMTYPE, linkname='../usr/lib/os-release', mode=0o777)
    add('dev/null', tarfile.CHRTYPE, devmajor=1, devminor=3, mode=0o666)
    add('dev/sda', tarfile.BLKTYPE, devmajor=8, devminor=0, mode=0o660, gid=6)
    add('run/initctl', tarfile.FIFOTYPE, mode=0o600)
    add('tmp/', tarfile.DIRTYPE, mode=0o1777)
    add('usr/share/' + 'p' * 90 + '/' + 'q' * 90, data=b'split name\n')
    if fmt != 'ustar':
        deep = 'usr/share/' + '/'.join(['d%03d-%s' % (i, 'x' * 40) for i in range(12)]) + '/file.txt'
        add(deep, data=b'deep\n', mode=0o644)
        add('usr/share/link-to-deep', tarfile.SYMTYPE, linkname='/' + deep)
        add('usr/share/hard-to-deep', tarfile.LNKTYPE, linkname=deep)
        add('home/big-ids', data=b'ids\n', uid=3000000000, gid=4000000000)
        add('home/old', data=b'old\n', mtime=-1000)
        add('home/future', data=b'future\n', mtime=99999999999)
    if fmt == 'pax':
        acl = bytes([2, 0, 0, 0, 1, 0, 6, 0, 255, 255, 255, 255, 4, 0, 4, 0, 255, 255, 255, 255, 32, 0, 4, 0,
                     255, 255, 255, 255])
        add('home/xattrs', data=b'x\n', pax={
            'SCHILY.xattr.user.comment': 'hello world',
            'SCHILY.xattr.security.capability': '\x01\x00\x00\x02\x00\x20\x00\x00',
            'SCHILY.xattr.system.posix_acl_access': acl.decode('utf-8', 'surrogateescape'),
            'mtime': '1700000123.987654321', 'atime': '1700000100.5', 'ctime': '-12.75'})
        add('home/unicod\u00e9-\u65e5\u672c', data=b'u\n')
"""#

    /// `dump TAR`: JSON, one object per member as Python's tarfile reads it (names and
    /// link names as hex bytes, times cut to whole seconds, xattrs as hex, content sha256).
    static let dump = #"""
import hashlib, json, sys, tarfile
def hexs(s):
    return s.encode('utf-8', 'surrogateescape').hex()
def seconds(v):
    return int(str(v).split('.')[0])
KINDS = {tarfile.REGTYPE: 'regular', tarfile.AREGTYPE: 'regular', tarfile.CONTTYPE: 'regular',
         tarfile.LNKTYPE: 'hardlink', tarfile.SYMTYPE: 'symlink', tarfile.CHRTYPE: 'characterDevice',
         tarfile.BLKTYPE: 'blockDevice', tarfile.DIRTYPE: 'directory', tarfile.FIFOTYPE: 'fifo'}
out = []
with tarfile.open(sys.argv[1], 'r:') as t:
    for m in t:
        kind = KINDS[m.type]
        e = {'path': hexs(m.name), 'kind': kind, 'mode': m.mode & 0o7777, 'uid': m.uid, 'gid': m.gid,
             'mtime': seconds(m.mtime), 'size': m.size if kind == 'regular' else 0,
             'link': hexs(m.linkname) if kind in ('symlink', 'hardlink') else '',
             'major': m.devmajor if kind in ('characterDevice', 'blockDevice') else 0,
             'minor': m.devminor if kind in ('characterDevice', 'blockDevice') else 0,
             'atime': seconds(m.pax_headers['atime']) if 'atime' in m.pax_headers else None,
             'ctime': seconds(m.pax_headers['ctime']) if 'ctime' in m.pax_headers else None,
             'xattrs': {k[len('SCHILY.xattr.'):]: hexs(v) for k, v in m.pax_headers.items()
                        if k.startswith('SCHILY.xattr.')}}
        if kind == 'regular':
            e['sha256'] = hashlib.sha256(t.extractfile(m).read()).hexdigest()
        out.append(e)
print(json.dumps(out))
"""#
}
