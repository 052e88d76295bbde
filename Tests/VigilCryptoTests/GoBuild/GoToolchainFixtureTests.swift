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
        // Debian's own go and gofmt binaries too: built by the distribution, not by us.
        let distribution = ["go", "gofmt"].map { URL(fileURLWithPath: fx.toolchain.go).deletingLastPathComponent().appendingPathComponent($0) }
        for url in [fx.standard, fx.boring, fx.standardStripped, fx.boringStripped, fx.i386] + distribution {
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

    /// The hand-built fixtures of `GoBuildInfoFormatTests` are what Go's own reader
    /// (`go version -m`) reads: pointer and inline formats, 32/64-bit, both byte orders,
    /// with and without section headers.
    func testHandBuiltFixturesAgreeWithGo() throws {
        let fx = try GoProgramFixtures.shared()
        let mod = GoBlob.modinfo(settings: ["-ldflags=\"-s -w\"", "CGO_ENABLED=0", "GOARCH=mips"])
        var n = 0
        for (is64, be) in [(true, false), (true, true), (false, false), (false, true)] {
            for sections in [true, false] {
                for inline in [true, false] {
                    var f = ELFFixture(is64: is64, bigEndian: be, machine: is64 ? 62 : 8, withSections: sections)
                    f.data = (inline ? GoBlob.inline(version: "go1.17.13", modinfo: mod, ptrSize: is64 ? 8 : 4, bigEndian: be)
                              : GoBlob.pointer(version: "go1.17.13", modinfo: mod, is64: is64, bigEndian: be, address: f.dataAddress))
                        + [UInt8](repeating: 0, count: 64)
                    let url = fx.toolchain.work.appendingPathComponent("hand-\(n)")
                    n += 1
                    try Data(f.bytes()).write(to: url)
                    // `go version` looks only at executable files.
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                    let theirs = try fx.toolchain.versionM(url)
                    let ours = try info(url)
                    let label = "64-bit \(is64), big-endian \(be), sections \(sections), inline \(inline)"
                    XCTAssertEqual(theirs.version, "go1.17.13", label)
                    XCTAssertEqual(ours.blob.version, theirs.version, label)
                    XCTAssertEqual(ours.blob.moduleInfo.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }, theirs.lines, label)
                }
            }
        }
    }
}
