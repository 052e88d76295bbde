import Foundation
import XCTest
@testable import VigilImage
import VigilTarget

/// PAX extended headers: xattrs in both spellings, global headers, malformed records and
/// the limits on header and path sizes.
final class LayerPaxTests: XCTestCase {
    /// Writes `t.tar` (PAX format) with Python: `body` adds members to tarfile `t`.
    private func makeTar(_ f: LayerFixtures, globals: String = "{}", _ body: String) throws {
        try f.python("""
        import base64, io, tarfile
        def add(t, name, data=b'', pax=None, **kw):
            ti = tarfile.TarInfo(name); ti.size = len(data)
            for k, v in kw.items(): setattr(ti, k, v)
            if pax: ti.pax_headers = pax
            t.addfile(ti, io.BytesIO(data))
        with tarfile.open('t.tar', 'w', format=tarfile.PAX_FORMAT, pax_headers=\(globals)) as t:
        \(body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """)
    }

    func testLibarchiveXattrsAreDecoded() throws {
        let f = try LayerFixtures()
        try makeTar(f, """
        add(t, 'f', b'x', pax={
            'LIBARCHIVE.xattr.user.with%20space': base64.b64encode(b'\\x00\\xff binary').decode(),
            'LIBARCHIVE.xattr.user.url': base64.urlsafe_b64encode(b'\\xfb\\xff\\xfe').decode().rstrip('='),
            'SCHILY.xattr.user.plain': 'plain', 'SCHILY.xattr.user.empty': ''})
        """)
        let entry = try XCTUnwrap(try f.read(try f.layer("t.tar")).first)
        XCTAssertEqual(entry.xattrs["user.with space"], [0x00, 0xFF] + Array(" binary".utf8))
        XCTAssertEqual(entry.xattrs["user.url"], [0xFB, 0xFF, 0xFE])
        XCTAssertEqual(entry.xattrs["user.plain"], Array("plain".utf8))
        XCTAssertEqual(entry.xattrs["user.empty"], [])
        XCTAssertEqual(entry.xattrs.count, 4)
    }

    /// Global headers apply to every later entry; an entry's own header wins; `path` in a
    /// global header is ignored.
    func testGlobalHeadersApplyToLaterEntries() throws {
        let f = try LayerFixtures()
        try makeTar(f, globals: "{'uid': '4242', 'mtime': '1600000000.5', 'SCHILY.xattr.user.g': 'global', 'comment': 'c'}", """
        add(t, 'a', b'a')
        add(t, 'b', b'b', pax={'uid': '7', 'SCHILY.xattr.user.g': 'local'})
        """)
        // A second global header part-way, with a path record, then a third entry.
        try f.python("""
        import io, tarfile
        buf = tarfile.TarInfo('g2').create_pax_global_header({'gid': '99', 'path': 'hijack'})
        data = open('t.tar', 'rb').read().rstrip(b'\\0')
        data = data + b'\\0' * (-len(data) % 512)
        ti = tarfile.TarInfo('c'); ti.size = 1
        entry = ti.tobuf(tarfile.USTAR_FORMAT) + b'c' + b'\\0' * 511
        open('t.tar', 'wb').write(data + buf + entry + b'\\0' * 1024)
        """)
        let entries = try f.read(try f.layer("t.tar"))
        XCTAssertEqual(entries.map(\.path), ["a", "b", "c"])
        XCTAssertEqual(entries.map(\.uid), [4242, 7, 4242])
        XCTAssertEqual(entries.map(\.gid), [0, 0, 99])
        XCTAssertEqual(entries.map(\.modifyTime), [1_600_000_000, 1_600_000_000, 1_600_000_000])
        XCTAssertEqual(entries.map { $0.xattrs["user.g"] }, [Array("global".utf8), Array("local".utf8), Array("global".utf8)])
    }

    func testPaxHeaderOverTheLimitIsAnError() throws {
        let f = try LayerFixtures()
        try makeTar(f, "add(t, 'd/' * 700 + 'f', b'x')")
        var limits = ImageLimits()
        XCTAssertEqual(try f.read(try f.layer("t.tar"), limits: limits).first?.path.utf8.count, 1401)
        limits.maxHeaderBytes = 1024
        let error = f.readError(try f.layer("t.tar"), limits: limits)
        XCTAssertTrue(error?.message.contains("maxHeaderBytes") == true, "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("1024") == true, "\(String(describing: error))")
    }

    func testPathsOver4096BytesAreErrors() throws {
        let f = try LayerFixtures()
        try makeTar(f, "add(t, 'x/' * 2048 + 'f', b'x')")
        let error = f.readError(try f.layer("t.tar"))
        XCTAssertTrue(error?.message.contains("4097 bytes long, more than 4096") == true, "\(String(describing: error))")
        try makeTar(f, "add(t, 'l', type=tarfile.SYMTYPE, linkname='y' * 5000)")
        XCTAssertTrue(f.readError(try f.layer("t.tar"))?.message.contains("link target is 5000 bytes") == true)
        try makeTar(f, "add(t, 'x/' * 2047 + 'f', b'x')")
        XCTAssertEqual(try f.read(try f.layer("t.tar")).first?.path.utf8.count, 4095)
    }

    func testMalformedRecordsAreErrors() throws {
        let f = try LayerFixtures()
        // Records as written ("99 path=x\n"), or just "key=value" to be given its right length.
        for (record, fragment) in [("99 path=x\n", "malformed record"), ("5 path=x\n", "malformed record"),
                                   ("10 path=x\r", "malformed record"), ("pathx", "no 'key='"),
                                   ("uid=-1", "'uid' is not a number"), ("uid=4294967296", "'uid' is not a number"),
                                   ("mtime=1.2.3", "'mtime' is not a time"),
                                   ("GNU.sparse.size=1", "sparse files are not supported"),
                                   ("size=1x2345", "'size' is not a number")] {
            try f.python("""
            import io, tarfile
            body = b'\(record.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r"))'
            n = len(body) + 2 + len(str(len(body) + 2))
            n += len(str(n)) - len(str(len(body) + 2))
            data = body if body[:1].isdigit() else str(n).encode() + b' ' + body + b'\\n'
            hdr = tarfile.TarInfo('./PaxHeaders/f'); hdr.type = tarfile.XHDTYPE; hdr.size = len(data)
            ti = tarfile.TarInfo('f'); ti.size = 0
            out = hdr.tobuf(tarfile.USTAR_FORMAT) + data + b'\\0' * (-len(data) % 512) + ti.tobuf(tarfile.USTAR_FORMAT)
            open('t.tar', 'wb').write(out + b'\\0' * 1024)
            """)
            let error = f.readError(try f.layer("t.tar"))
            XCTAssertTrue(error?.message.contains(fragment) == true, "\(record): \(String(describing: error))")
        }
    }

    /// PAX `size` over the header's (how files over 8 GiB are written), and PAX `uid`/`gid`
    /// over the header's: Python and the reader agree.
    func testPaxNumbersOverrideTheHeaderFields() throws {
        let f = try LayerFixtures()
        try f.python("""
        import tarfile
        data = b'11 size=11\\n14 uid=123456\\n'
        hdr = tarfile.TarInfo('./PaxHeaders/f'); hdr.type = tarfile.XHDTYPE; hdr.size = len(data)
        ti = tarfile.TarInfo('f'); ti.size = 0; ti.uid = 1
        out = hdr.tobuf(tarfile.USTAR_FORMAT) + data + b'\\0' * (-len(data) % 512) + ti.tobuf(tarfile.USTAR_FORMAT)
        out += b'hello world' + b'\\0' * 501
        ti = tarfile.TarInfo('g'); ti.size = 2
        out += ti.tobuf(tarfile.USTAR_FORMAT) + b'ok' + b'\\0' * 510
        open('t.tar', 'wb').write(out + b'\\0' * 1024)
        """)
        let entries = try f.read(try f.layer("t.tar"))
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["t.tar"]))
        XCTAssertEqual(entries.map(\.size), [11, 2])
        XCTAssertEqual(entries.first?.uid, 123_456)
        XCTAssertEqual(contentBytes(try XCTUnwrap(entries.first?.content)), Array("hello world".utf8))
    }

    func testNonUTF8NamesAreKeptAsBytes() throws {
        let f = try LayerFixtures()
        try f.python("""
        import io, tarfile
        with tarfile.open('t.tar', 'w', format=tarfile.GNU_FORMAT, encoding='latin-1') as t:
            ti = tarfile.TarInfo('caf\\u00e9-\\u00ff'); ti.size = 1; t.addfile(ti, io.BytesIO(b'x'))
        """)
        let entry = try XCTUnwrap(try f.read(try f.layer("t.tar")).first)
        XCTAssertEqual(PathBytes.bytes(entry.path), Array("caf".utf8) + [0xE9, 0x2D, 0xFF])
    }
}
