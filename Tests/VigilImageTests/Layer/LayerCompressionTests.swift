import Foundation
import XCTest
@testable import VigilImage

/// gzip and zstd layers: several members and frames, damage, trailing data, detection.
final class LayerCompressionTests: XCTestCase {
    /// `layer.tar` (GNU format, every entry kind), its Python dump and its three parts
    /// (split at arbitrary byte offsets, not at entry boundaries).
    private func makeParts(_ f: LayerFixtures) throws -> Data {
        try f.python(TarScripts.build, ["layer.tar", "gnu"])
        let bytes = try f.bytes("layer.tar")
        let cuts = [0, 100_003, 1_500_001, bytes.count]
        for i in 0..<3 { try f.write("part\(i)", Array(bytes[cuts[i]..<cuts[i + 1]])) }
        return try f.python(TarScripts.dump, ["layer.tar"])
    }

    func testGzipMembersOneAfterAnotherContinueTheStream() throws {
        let f = try LayerFixtures()
        let dump = try makeParts(f)
        let members = try (0..<3).flatMap { try f.bytes(try f.compress("part\($0)", with: "gzip")) }
        try f.write("multi.gz", members)
        let entries = try f.read(try f.layer("multi.gz", digest: try f.sha256("multi.gz"), diffID: try f.sha256("layer.tar")))
        try TarComparison.assertSame(entries, pythonDump: dump)
    }

    func testZstdFramesAndSkippableFramesOneAfterAnother() throws {
        let f = try LayerFixtures()
        let dump = try makeParts(f)
        // A skippable frame: magic 0x184D2A5?, a 4-byte little-endian length, that many bytes.
        let skippable: [UInt8] = [0x53, 0x2A, 0x4D, 0x18, 5, 0, 0, 0] + Array("hello".utf8)
        let frames = try skippable + (0..<3).flatMap { try f.bytes(try f.compress("part\($0)", with: "zstd")) + skippable }
        try f.write("multi.zst", frames)
        let entries = try f.read(try f.layer("multi.zst", diffID: try f.sha256("layer.tar")))
        try TarComparison.assertSame(entries, pythonDump: dump)
    }

    func testTruncatedGzipAndZstdAreErrors() throws {
        let f = try LayerFixtures()
        _ = try makeParts(f)
        for tool in ["gzip", "zstd"] {
            let whole = try f.bytes(try f.compress("layer.tar", with: tool))
            for cut in [whole.count / 2, whole.count - 4, 3] {
                try f.write("cut", Array(whole.prefix(cut)))
                let error = f.readError(try f.layer("cut", compression: tool == "gzip" ? .gzip : .zstd))
                XCTAssertTrue(error?.message.hasPrefix("truncated: the \(tool) stream ends") == true,
                              "\(tool) cut at \(cut): \(String(describing: error))")
            }
        }
        try f.write("empty", [])
        XCTAssertTrue(f.readError(try f.layer("empty", compression: .gzip))?.message.contains("truncated") == true)
    }

    func testDataAfterTheLastGzipMemberIsAnError() throws {
        let f = try LayerFixtures()
        _ = try makeParts(f)
        let whole = try f.bytes(try f.compress("layer.tar", with: "gzip"))
        for (tail, fragment) in [(Array("garbage".utf8), "not another gzip member"), ([0], "not another gzip member"),
                                 ([0x1F], "not another gzip member"),
                                 ([0x1F, 0x8B, 0x08], "truncated: the gzip stream ends inside a member")] {
            try f.write("tail.gz", whole + tail)
            let error = f.readError(try f.layer("tail.gz"))
            XCTAssertTrue(error?.message.contains(fragment) == true, "\(tail): \(String(describing: error))")
        }
    }

    func testCorruptCompressedDataIsAnError() throws {
        let f = try LayerFixtures()
        _ = try makeParts(f)
        for tool in ["gzip", "zstd"] {
            var bytes = try f.bytes(try f.compress("layer.tar", with: tool))
            for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 64, by: 1) { bytes[i] ^= 0x5A }
            try f.write("bad", bytes)
            let error = f.readError(try f.layer("bad"))
            XCTAssertTrue(error?.message.contains("corrupt \(tool) data") == true
                          || error?.message.contains("corrupt tar") == true, "\(tool): \(String(describing: error))")
        }
    }

    func testZstdWindowOver128MiBIsRefused() throws {
        let f = try LayerFixtures()
        _ = try makeParts(f)
        let big = try f.run(["zstd", "--long=30", "-c"], input: Data(try f.bytes("layer.tar")))
        try f.write("long.zst", Array(big))
        let error = f.readError(try f.layer("long.zst"))
        XCTAssertTrue(error?.message.contains("at most 128 MiB") == true, "\(String(describing: error))")
        // A 64 MiB window is fine.
        let ok = try f.run(["zstd", "--long=26", "-c"], input: Data(try f.bytes("layer.tar")))
        try f.write("ok.zst", Array(ok))
        XCTAssertFalse(try f.read(try f.layer("ok.zst")).isEmpty)
    }

    func testCompressionIsDetectedFromTheFirstBytes() throws {
        let f = try LayerFixtures()
        _ = try makeParts(f)
        let gz = try f.compress("layer.tar", with: "gzip"), zst = try f.compress("layer.tar", with: "zstd")
        let plain = try f.read(try f.layer("layer.tar"))
        for name in [gz, zst] {
            XCTAssertEqual(try f.read(try f.layer(name)).map(\.path), plain.map(\.path), name)
        }
        XCTAssertEqual(try CompressionDetection.detect(try f.layer(gz).location), .gzip)
        XCTAssertEqual(try CompressionDetection.detect(try f.layer(zst).location), .zstd)
        XCTAssertEqual(try CompressionDetection.detect(try f.layer("layer.tar").location), LayerCompression.none)
        try f.python("import bz2, lzma\ndata = open('part1', 'rb').read()\n"
                     + "open('part1.bz2', 'wb').write(bz2.compress(data))\nopen('part1.xz', 'wb').write(lzma.compress(data))")
        for tool in ["bzip2", "xz"] {
            let error = f.readError(try f.layer("part1" + (tool == "xz" ? ".xz" : ".bz2")))
            XCTAssertEqual(error?.message.hasPrefix("unsupported compression: the layer is \(tool)-compressed"), true,
                           "\(String(describing: error))")
        }
        // A tar whose first name starts like bzip2's magic is still a tar.
        try f.python("import tarfile, io\nwith tarfile.open('bz.tar', 'w') as t: t.addfile(tarfile.TarInfo('BZh91AY'))")
        XCTAssertEqual(try f.read(try f.layer("bz.tar")).map(\.path), ["BZh91AY"])
    }

    /// A media type that says another compression than the bytes show: the bytes decide,
    /// as in containerd.
    func testTheBytesDecideOverTheStatedCompression() throws {
        let f = try LayerFixtures()
        let dump = try makeParts(f)
        let zst = try f.compress("layer.tar", with: "zstd"), gz = try f.compress("layer.tar", with: "gzip")
        for (name, stated) in [("layer.tar", LayerCompression.gzip), (zst, .gzip), (zst, LayerCompression.none),
                               (gz, .zstd), (gz, .gzip)] {
            try TarComparison.assertSame(try f.read(try f.layer(name, compression: stated)), pythonDump: dump)
        }
    }
}
