import Foundation
import XCTest
@testable import VigilImage
import VigilTarget

/// The tar reader on streams GNU tar writes, and on damaged and unusual ones.
final class LayerTarTests: XCTestCase {
    /// A directory tree with long names, links and modes, archived by GNU tar.
    private func makeTree(_ f: LayerFixtures) throws {
        let long = "root/" + String(repeating: "n", count: 90) + "/" + String(repeating: "m", count: 120) + ".conf"
        try f.run(["mkdir", "-p", "root/etc", "root/usr/bin", (long as NSString).deletingLastPathComponent])
        try f.write("root/etc/passwd", Array("root:x:0:0::/root:/bin/sh\n".utf8))
        try f.write(long, Array(repeating: 0x41, count: 5000))
        try f.write("root/usr/bin/tool", (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try f.run(["chmod", "4755", "root/usr/bin/tool"])
        try f.run(["ln", "root/etc/passwd", "root/etc/passwd-"])
        try f.run(["ln", "-s", "/" + String(repeating: "t", count: 150), "root/etc/long-link"])
        try f.run(["ln", "-s", "passwd", "root/etc/short-link"])
        try f.run(["touch", "-d", "2020-01-02 03:04:05.678", "root/etc/passwd"])
    }

    func testGnuTarFormatsMatchPython() throws {
        let f = try LayerFixtures()
        try makeTree(f)
        for format in ["gnu", "posix", "ustar", "oldgnu"] where format != "ustar" {
            let tar = "tree-\(format).tar"
            try f.run(["tar", "--format=\(format)", "--numeric-owner", "--owner=1234", "--group=5678", "-cf", tar, "root"])
            let entries = try f.read(try f.layer(tar))
            try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, [tar]))
            XCTAssertTrue(entries.contains { $0.kind == .hardlink && $0.linkName.hasPrefix("root/etc/passwd") }, format)
            XCTAssertTrue(entries.contains { $0.path.utf8.count > 200 }, format)
            XCTAssertTrue(entries.contains { $0.linkName.utf8.count > 150 }, format)
        }
    }

    /// Extended attributes as GNU tar records them (`--xattrs`, PAX `SCHILY.xattr.*`).
    func testGnuTarXattrsMatchPython() throws {
        let f = try LayerFixtures()
        try makeTree(f)
        do {
            try f.python("import os\nos.setxattr('root/etc/passwd', 'user.bin', b'\\x00\\x01\\xffbin')\n"
                         + "os.setxattr('root/usr/bin/tool', 'user.text', b'hello')")
        } catch {
            throw XCTSkip("this file system keeps no user xattrs")
        }
        try f.run(["tar", "--xattrs", "--xattrs-include=user.*", "--format=posix", "-cf", "x.tar", "root"])
        let entries = try f.read(try f.layer("x.tar"))
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["x.tar"]))
        XCTAssertEqual(entries.first { $0.path.hasPrefix("root/etc/passwd") && $0.kind == .regular }?.xattrs["user.bin"], [0, 1, 0xFF] + Array("bin".utf8))
        XCTAssertEqual(entries.first { $0.path == "root/usr/bin/tool" }?.xattrs, ["user.text": Array("hello".utf8)])
    }

    func testOldV7HeadersAndTrailingSlashDirectories() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["u.tar", "ustar"])
        var bytes = try f.bytes("u.tar")
        var offset = 0
        // Make every header an old V7 one: no magic, owner names or devices; regular files
        // and directories typed '\0' (directories keep their trailing slash).
        while offset + 512 <= bytes.count, bytes[offset..<(offset + 512)].contains(where: { $0 != 0 }) {
            let size = Int(String(decoding: bytes[(offset + 124)..<(offset + 135)], as: UTF8.self), radix: 8)!
            let type = bytes[offset + 156]
            if type == UInt8(ascii: "0") || type == UInt8(ascii: "5") { bytes[offset + 156] = 0 }
            for i in 257..<500 { bytes[offset + i] = 0 }
            TarBytes.fixChecksum(&bytes, header: offset)
            offset += 512 + (type == UInt8(ascii: "0") || type == UInt8(ascii: "7") ? (size + 511) / 512 * 512 : 0)
        }
        try f.write("v7.tar", bytes)
        let entries = try f.read(try f.layer("v7.tar"))
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["v7.tar"]))
        XCTAssertEqual(entries.first { $0.path == "etc/" }?.kind, .directory)
    }

    func testEndWithoutZeroBlocksIsAccepted() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["full.tar", "gnu"])
        let full = try f.read(try f.layer("full.tar"))
        var bytes = try f.bytes("full.tar")
        while bytes.count >= 512, bytes.suffix(512).allSatisfy({ $0 == 0 }) { bytes.removeLast(512) }
        try f.write("cut.tar", bytes)
        let cut = try f.read(try f.layer("cut.tar"))
        XCTAssertEqual(cut.map(\.path), full.map(\.path))
        // One zero block, then the end: accepted too.
        try f.write("one.tar", bytes + [UInt8](repeating: 0, count: 512))
        XCTAssertEqual(try f.read(try f.layer("one.tar")).count, full.count)
    }

    func testZeroBlockFollowedByHeadersIsAnError() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["a.tar", "ustar"])
        var bytes = try f.bytes("a.tar")
        while bytes.suffix(512).allSatisfy({ $0 == 0 }) { bytes.removeLast(512) }
        try f.write("b.tar", bytes + [UInt8](repeating: 0, count: 512) + bytes)
        let error = f.readError(try f.layer("b.tar"))
        XCTAssertTrue(error?.message.contains("zero block") == true, "\(String(describing: error))")
    }

    func testTruncatedInsideHeaderAndInsideContent() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["a.tar", "pax"])
        let bytes = try f.bytes("a.tar")
        let entries = try f.read(try f.layer("a.tar"))
        let big = try XCTUnwrap(entries.first { $0.path == "usr/lib/big" }?.content)
        try f.write("data.tar", Array(bytes.prefix(Int(big.offset) + 1000)))
        let inData = f.readError(try f.layer("data.tar"))
        XCTAssertEqual(inData?.entry, "usr/lib/big")
        XCTAssertTrue(inData?.message.hasPrefix("truncated") == true, "\(String(describing: inData))")
        XCTAssertEqual(inData?.layer, "layer 2")
        XCTAssertEqual(inData?.image, "oci:/images/test:1")
        try f.write("header.tar", Array(bytes.prefix(Int(big.offset + big.length + 511) / 512 * 512 + 100)))
        let inHeader = f.readError(try f.layer("header.tar"))
        XCTAssertTrue(inHeader?.message.contains("truncated: the stream ends inside a tar header") == true,
                      "\(String(describing: inHeader))")
        // Inside the padding after a content: still truncated.
        try f.write("padding.tar", Array(bytes.prefix(Int(big.offset + big.length) + 10)))
        XCTAssertTrue(f.readError(try f.layer("padding.tar"))?.message.contains("padding") == true)
    }

    func testCorruptChecksumIsAnError() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["a.tar", "gnu"])
        var bytes = try f.bytes("a.tar")
        let original = bytes
        bytes[3] ^= 0x20
        try f.write("bad.tar", bytes)
        let error = f.readError(try f.layer("bad.tar"))
        XCTAssertTrue(error?.message.hasPrefix("corrupt tar header: checksum") == true, "\(String(describing: error))")
        XCTAssertTrue(error?.message.hasSuffix("(in the first headers)") == true, "\(String(describing: error))")
        // A later header: the message says after which entry.
        let entries = try f.read(try f.layer("a.tar"))
        let su = try XCTUnwrap(entries.first { $0.path == "usr/bin/su" }?.content)
        bytes = original
        bytes[Int(su.offset + su.length + 511) / 512 * 512 + 1] ^= 0x01
        try f.write("bad2.tar", bytes)
        let later = f.readError(try f.layer("bad2.tar"))
        XCTAssertTrue(later?.message.hasSuffix("(in the headers after entry 'usr/bin/su')") == true,
                      "\(String(describing: later))")
    }

    func testSignedChecksumIsAccepted() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["a.tar", "ustar"])
        var bytes = try f.bytes("a.tar")
        // The first entry './' renamed with a byte over 0x7f, its checksum the signed sum.
        bytes[1] = 0xE9
        TarBytes.fixChecksum(&bytes, header: 0, signed: true)
        try f.write("signed.tar", bytes)
        let entries = try f.read(try f.layer("signed.tar"))
        XCTAssertEqual(PathBytes.bytes(entries[0].path), [0x2E, 0xE9])
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["signed.tar"]))
    }

    func testUnknownEntryTypesAreErrorsNamingTheType() throws {
        let f = try LayerFixtures()
        for type in ["V", "M", "N", "D", "X"] {
            try f.python("""
            import io, tarfile
            with tarfile.open('t.tar', 'w', format=tarfile.GNU_FORMAT) as t:
                t.addfile(tarfile.TarInfo('ok'), io.BytesIO(b''))
                ti = tarfile.TarInfo('odd'); ti.type = b'\(type)'; t.addfile(ti)
            """)
            let error = f.readError(try f.layer("t.tar"))
            XCTAssertEqual(error?.message, "unsupported tar entry type '\(type)'")
            XCTAssertEqual(error?.entry, "odd")
        }
    }

    func testSparseFilesAreRefusedClearly() throws {
        let f = try LayerFixtures()
        try f.run(["truncate", "-s", "16M", "sparse"])
        try f.run(["sh", "-c", "echo data >> sparse"])
        for format in ["gnu", "posix"] {
            try f.run(["tar", "--sparse", "--format=\(format)", "-cf", "s.tar", "sparse"])
            let error = f.readError(try f.layer("s.tar"))
            XCTAssertTrue(error?.message.contains("sparse files are not supported") == true,
                          "\(format): \(String(describing: error))")
        }
    }
}

/// Edits of raw tar bytes for damaged or unusual fixtures.
enum TarBytes {
    /// Rewrites the checksum of the header at `header` (unsigned sum, or signed as old tars did).
    static func fixChecksum(_ bytes: inout [UInt8], header: Int, signed: Bool = false) {
        for i in 148..<156 { bytes[header + i] = 0x20 }
        let sum = bytes[header..<(header + 512)].reduce(0) { $0 + (signed ? Int(Int8(bitPattern: $1)) : Int($1)) }
        let field = Array(String(format: "%06o", sum).utf8) + [0, 0x20]
        for (i, b) in field.enumerated() { bytes[header + 148 + i] = b }
    }
}
