import Foundation
import XCTest
@testable import VigilImage

/// Where contents end up, the digests, and the spool.
final class LayerReaderTests: XCTestCase {
    /// An uncompressed layer inside a larger file (as in an archive): contents are ranges of
    /// that file, no copy, and read back as Python reads them.
    func testUncompressedContentsAreRangesOfTheBlobItself() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "pax"])
        let tar = try f.bytes("layer.tar")
        let before = [UInt8](repeating: 0x55, count: 1234), after = [UInt8](repeating: 0xAA, count: 777)
        try f.write("archive", before + tar + after)
        let layer = try f.layer("archive", offset: Int64(before.count), length: Int64(tar.count),
                                digest: try f.sha256("layer.tar"), diffID: try f.sha256("layer.tar"))
        let spool = f.path("spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let entries = try f.read(layer, spoolDirectory: spool)
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["layer.tar"]))
        for entry in entries where entry.kind == .regular {
            let content = try XCTUnwrap(entry.content)
            XCTAssertTrue(content.file === layer.location.file, entry.path)
            XCTAssertGreaterThanOrEqual(content.offset, Int64(before.count))
            XCTAssertLessThanOrEqual(content.offset + content.length, Int64(before.count + tar.count))
        }
        let big = try XCTUnwrap(entries.first { $0.path == "usr/lib/big" }?.content)
        XCTAssertEqual(contentBytes(big), Array(tar[Int(big.offset) - before.count..<Int(big.offset + big.length) - before.count]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spool), [])
    }

    /// A compressed layer's contents go to a spool file that has no name at any time.
    func testSpoolIsNeverVisibleAndOutlivesTheRead() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "gnu"])
        let spool = f.path("spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        var listings: [[String]] = []
        let entries = try f.read(try f.layer(try f.compress("layer.tar", with: "zstd")), spoolDirectory: spool) { _ in
            listings.append(try FileManager.default.contentsOfDirectory(atPath: spool))
        }
        XCTAssertEqual(listings.count, entries.count)
        XCTAssertTrue(listings.allSatisfy(\.isEmpty), "\(listings.filter { !$0.isEmpty })")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spool), [])
        let contents = entries.compactMap(\.content)
        XCTAssertTrue(contents.allSatisfy { $0.file === contents[0].file && $0.file.path.isEmpty })
        var st = stat()
        XCTAssertEqual(fstat(contents[0].file.fd, &st), 0)
        XCTAssertEqual(st.st_nlink, 0, "the spool is unlinked")
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        // Python's reading of the same stream, compared with contents read from the spool.
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["layer.tar"]))
    }

    func testStoredDigestMismatchNamesBothDigests() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "ustar"])
        let gz = try f.compress("layer.tar", with: "gzip")
        let wrong = "sha256:" + String(repeating: "ab", count: 32)
        let error = f.readError(try f.layer(gz, digest: wrong))
        let actual = try f.sha256(gz)
        XCTAssertEqual(error?.message, "digest mismatch: the layer's stored content has digest \(actual), not \(wrong) "
                       + "as the manifest says")
        XCTAssertEqual(error?.layer, "layer 2 (sha256:abababababab…)")
        // Uppercase hex is the same digest.
        XCTAssertFalse(try f.read(try f.layer(gz, digest: actual.uppercased().replacingOccurrences(of: "SHA256", with: "sha256"))).isEmpty)
    }

    func testDiffIDMismatchNamesBothDigests() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "ustar"])
        let zst = try f.compress("layer.tar", with: "zstd")
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        let error = f.readError(try f.layer(zst, digest: try f.sha256(zst), diffID: wrong))
        XCTAssertEqual(error?.message, "digest mismatch: the layer's uncompressed tar stream has digest "
                       + "\(try f.sha256("layer.tar")), not \(wrong) as the image config's diff_ids says")
        // Uncompressed: the one stream is checked against both.
        let plain = f.readError(try f.layer("layer.tar", digest: try f.sha256("layer.tar"), diffID: wrong))
        XCTAssertTrue(plain?.message.contains("not \(wrong) as the image config's diff_ids says") == true)
    }

    func testUnsupportedOrMalformedDigests() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "ustar"])
        let sha512 = "sha512:" + String(repeating: "ab", count: 64)
        XCTAssertTrue(f.readError(try f.layer("layer.tar", digest: sha512))?.message
            .hasPrefix("unsupported digest algorithm 'sha512'") == true)
        XCTAssertTrue(f.readError(try f.layer("layer.tar", diffID: "sha256:abc"))?.message.contains("64 hex digits") == true)
        XCTAssertTrue(f.readError(try f.layer("layer.tar", diffID: "abc"))?.message.contains("malformed digest") == true)
    }

    /// A damaged blob whose digest is wrong: the mismatch is what is reported, first.
    func testDamagedLayerReportsTheDigestMismatch() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "gnu"])
        let gz = try f.compress("layer.tar", with: "gzip")
        let digest = try f.sha256(gz)
        var bytes = try f.bytes(gz)
        for i in 5000..<5100 { bytes[i] = 0 }
        try f.write("damaged.gz", bytes)
        let error = f.readError(try f.layer("damaged.gz", digest: digest))
        XCTAssertTrue(error?.message.hasPrefix("digest mismatch: the layer's stored content has digest") == true,
                      "\(String(describing: error))")
        XCTAssertTrue(error?.message.contains("reading it failed too: corrupt gzip data") == true, "\(String(describing: error))")
        XCTAssertNil(error?.entry)
        // The file shorter than its location: truncated, whatever the digest.
        try f.write("short.gz", Array(bytes.prefix(100)))
        let short = try f.layer("short.gz", length: Int64(bytes.count), digest: digest)
        XCTAssertTrue(f.readError(short)?.message.contains("truncated: the file") == true)
    }

    func testErrorsOfTheEntryCallbackPassThrough() throws {
        struct Stop: Error {}
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "ustar"])
        XCTAssertThrowsError(try f.read(try f.layer("layer.tar")) { _ in throw Stop() }) { XCTAssertTrue($0 is Stop) }
    }
}

/// The spool file on its own: offsets, reading back, a full disk.
final class SpoolFileTests: XCTestCase {
    func testAppendsAreReadBackAtTheirOffsets() throws {
        let f = try LayerFixtures()
        let spool = try SpoolFile(directory: f.dir.path)
        let small = [UInt8](repeating: 7, count: 1000), big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 / 3) }
        var offsets: [Int64] = []
        for chunk in [small, big, small, [], small] {
            offsets.append(try chunk.withUnsafeBytes { try spool.append($0) })
        }
        try spool.flush()
        XCTAssertEqual(offsets, [0, 1000, 1000 + Int64(big.count), 2000 + Int64(big.count), 2000 + Int64(big.count)])
        XCTAssertEqual(spool.size, 3000 + Int64(big.count))
        XCTAssertEqual(contentBytes(BlobLocation(file: spool.file, offset: 1000, length: Int64(big.count))), big)
        XCTAssertEqual(contentBytes(BlobLocation(file: spool.file, offset: offsets[4], length: 1000)), small)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: f.dir.path).filter { $0.hasPrefix("vigil-layer") }, [])
    }

    /// A full disk (here /dev/full, whose writes fail with ENOSPC) names the directory.
    func testAFullDiskIsAClearError() throws {
        let fd = open("/dev/full", O_RDWR)
        try XCTSkipIf(fd < 0, "no /dev/full")
        let spool = SpoolFile(descriptor: fd, directory: "/var/tmp/x")
        let big = [UInt8](repeating: 1, count: 2 << 20)
        XCTAssertThrowsError(try big.withUnsafeBytes { try spool.append($0) }) { error in
            XCTAssertTrue("\(error)".hasPrefix("the temporary directory '/var/tmp/x' is full (No space left on device)"),
                          "\(error)")
            XCTAssertTrue("\(error)".contains("set TMPDIR"), "\(error)")
        }
        XCTAssertThrowsError(try SpoolFile(directory: "/nonexistent/dir")) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot make a temporary file in '/nonexistent/dir'"), "\(error)")
        }
    }
}

/// Uncompressed layers with nothing to hash: content not read, only located.
final class LayerInPlaceTests: XCTestCase {
    func testContentIsSkippedYetAShortFileIsTruncated() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "gnu"])
        let size = Int64(try f.bytes("layer.tar").count)
        let entries = try f.read(try f.layer("layer.tar"))
        try TarComparison.assertSame(entries, pythonDump: try f.python(TarScripts.dump, ["layer.tar"]))
        // The file shorter than the layer's location says, inside the big file's content.
        let big = try XCTUnwrap(entries.first { $0.path == "usr/lib/big" }?.content)
        try f.run(["truncate", "-s", "\(big.offset + 2_000_000)", "layer.tar"])
        let error = f.readError(try f.layer("layer.tar", length: size))
        XCTAssertEqual(error?.entry, "usr/lib/big")
        XCTAssertTrue(error?.message.hasPrefix("truncated: the file") == true, "\(String(describing: error))")
    }

    func testUncompressedLayersChargeTheirSizeToTheBudget() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "ustar"])
        let size = Int64(try f.bytes("layer.tar").count)
        var limits = ImageLimits()
        limits.maxUncompressedBytes = size * 2 - 1
        let budget = ExpansionBudget(limits: limits)
        _ = try f.read(try f.layer("layer.tar"), budget: budget)
        XCTAssertEqual(budget.uncompressedBytes, size)
        XCTAssertThrowsError(try f.read(try f.layer("layer.tar"), budget: budget)) { error in
            XCTAssertTrue("\(error)".contains("maxUncompressedBytes"), "\(error)")
        }
    }
}
