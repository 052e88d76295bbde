import Foundation
import XCTest
@testable import VigilImage
import VigilTarget

/// Every entry kind and header format, stored uncompressed, gzip'ed and zstd'ed: what
/// `LayerReader` reads is what Python's tarfile reads from the same stream.
final class LayerFormatTests: XCTestCase {
    private func check(format: String, compression: String?, file: StaticString = #filePath, line: UInt = #line) throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", format])
        let dump = try f.python(TarScripts.dump, ["layer.tar"])
        let name = try compression.map { try f.compress("layer.tar", with: $0) } ?? "layer.tar"
        let entries = try f.read(try f.layer(name, digest: try f.sha256(name), diffID: try f.sha256("layer.tar")))
        try TarComparison.assertSame(entries, pythonDump: dump, file: file, line: line)
        XCTAssertEqual(entries.filter { $0.kind == .characterDevice }.count, 1, file: file, line: line)
    }

    func testPaxUncompressed() throws { try check(format: "pax", compression: nil) }
    func testPaxGzip() throws { try check(format: "pax", compression: "gzip") }
    func testPaxZstd() throws { try check(format: "pax", compression: "zstd") }
    func testGnuUncompressed() throws { try check(format: "gnu", compression: nil) }
    func testGnuGzip() throws { try check(format: "gnu", compression: "gzip") }
    func testUstarZstd() throws { try check(format: "ustar", compression: "zstd") }
}
