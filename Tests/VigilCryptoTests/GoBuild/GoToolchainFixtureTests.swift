import Foundation
import XCTest
@testable import VigilCrypto

/// Real Go 1.19 binaries, decoded by Vigil and cross-checked against `go version -m`.
final class GoToolchainFixtureTests: XCTestCase {
    private func info(_ url: URL) throws -> GoBinaryInfo {
        let bytes = try [UInt8](Data(contentsOf: url))
        guard case .go(let info) = try GoBinaryInspector.inspect(MemoryByteSource(bytes)) else {
            XCTFail("\(url.lastPathComponent) not read as a Go binary"); throw NSError(domain: "t", code: 1)
        }
        return info
    }

    func testDecodingMatchesGoVersionM() throws {
        let fx = try GoProgramFixtures.shared()
        for url in [fx.standard, fx.boring, fx.standardStripped, fx.boringStripped, fx.i386] {
            let ours = try info(url)
            let theirs = try fx.toolchain.versionM(url)
            XCTAssertEqual(ours.blob.version, theirs.version, url.lastPathComponent)
            let lines = ours.blob.moduleInfo.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(lines, theirs.lines, url.lastPathComponent)
            XCTAssertEqual(ours.blob.format, "inline")
            XCTAssertEqual(ours.blob.location, ".go.buildinfo")
        }
    }

    func testBuildSettingsAreUnquoted() throws {
        let fx = try GoProgramFixtures.shared()
        let stripped = try info(fx.boringStripped)
        XCTAssertEqual(stripped.modules.setting("-ldflags"), "-s -w")
        XCTAssertEqual(stripped.modules.setting("GOEXPERIMENT"), "boringcrypto")
        XCTAssertEqual(stripped.modules.setting("CGO_ENABLED"), "1")
        XCTAssertEqual(stripped.modules.path, "example.com/fx")
        XCTAssertEqual(try info(fx.i386).modules.setting("GOARCH"), "386")
        XCTAssertEqual(try info(fx.i386).modules.setting("CGO_ENABLED"), "0")
    }

    func testStandardAndBoringCryptoAreTold() throws {
        let fx = try GoProgramFixtures.shared()
        for url in [fx.standard, fx.standardStripped] {
            let i = try info(url)
            XCTAssertEqual(i.crypto, .standard)
            XCTAssertEqual(i.markers, [.standardCrypto], url.lastPathComponent)
            XCTAssertEqual(i.summary, "go1.19.8, standard Go crypto (no BoringCrypto, GOFIPS140 unset)")
        }
        for url in [fx.boring, fx.boringStripped] {
            let i = try info(url)
            XCTAssertEqual(i.crypto, .boringcrypto)
            XCTAssertEqual(i.markers, [.boringCrypto, .fipsOnly], url.lastPathComponent)
            XCTAssertEqual(i.version, GoVersion("go1.19.8"))
            XCTAssertEqual(i.experiments, ["boringcrypto"])
        }
        let i386 = try info(fx.i386)
        XCTAssertEqual(i386.crypto, .standard)
        XCTAssertEqual(i386.markers, [], "Go emits the code markers on amd64 only")
    }

    /// With the section headers gone, the block is found in the first writable segment.
    func testSectionHeadersStrippedFromARealBinary() throws {
        let fx = try GoProgramFixtures.shared()
        var bytes = try [UInt8](Data(contentsOf: fx.boringStripped))
        for i in 40..<48 { bytes[i] = 0 }       // e_shoff
        for i in 60..<64 { bytes[i] = 0 }       // e_shnum, e_shstrndx
        let elf = try ELFImage(MemoryByteSource(bytes))
        XCTAssertTrue(elf.sections.isEmpty)
        guard case .go(let i) = try GoBinaryInspector.inspect(MemoryByteSource(bytes)) else { return XCTFail("not found") }
        XCTAssertEqual(i.blob.location, "writable segment")
        XCTAssertEqual(i.blob.version, "go1.19.8 X:boringcrypto")
        XCTAssertEqual(i.crypto, .boringcrypto)
    }

    /// Every prefix of a real binary is read without a trap: absent build information, or a
    /// problem, never a Go binary with other contents than the whole file's.
    func testTruncatedRealBinaryNeverTraps() throws {
        let fx = try GoProgramFixtures.shared()
        let bytes = try [UInt8](Data(contentsOf: fx.standardStripped))
        let whole = try info(fx.standardStripped)
        var cut = 0
        while cut < bytes.count {
            let source = MemoryByteSource(Array(bytes[..<cut]))
            if case .go(let i) = try? GoBinaryInspector.inspect(source) {
                XCTAssertEqual(i.blob, whole.blob, "prefix \(cut)")
            }
            cut += cut < 4096 ? 1 : 4099
        }
    }
}
