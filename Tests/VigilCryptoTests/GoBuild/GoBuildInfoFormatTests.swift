import Foundation
import XCTest
@testable import VigilCrypto

/// Hand-built ELF files for the formats and settings Go 1.19 cannot produce here.
final class GoBuildInfoFormatTests: XCTestCase {
    private func read(_ fixture: ELFFixture) throws -> GoBinaryInfo {
        guard case .go(let info) = try GoBinaryInspector.inspect(MemoryByteSource(fixture.bytes())) else {
            XCTFail("not read as a Go binary"); throw NSError(domain: "t", code: 1)
        }
        return info
    }

    private func fixture(is64: Bool = true, bigEndian: Bool = false, sections: Bool = true, text: [UInt8] = [0xC3],
                         _ blob: (ELFFixture) -> [UInt8]) -> ELFFixture {
        var f = ELFFixture(is64: is64, bigEndian: bigEndian, machine: is64 ? 62 : 8, text: text, withSections: sections)
        f.data = blob(f) + [UInt8](repeating: 0, count: 64)
        return f
    }

    func testPointerFormatEveryWidthAndByteOrder() throws {
        let mod = GoBlob.modinfo(settings: ["-compiler=gc", "CGO_ENABLED=0", "GOARCH=mips"])
        for (is64, be) in [(true, false), (true, true), (false, false), (false, true)] {
            for sections in [true, false] {
                let f = fixture(is64: is64, bigEndian: be, sections: sections) {
                    GoBlob.pointer(version: "go1.16.15", modinfo: mod, is64: is64, bigEndian: be, address: $0.dataAddress)
                }
                let info = try read(f)
                let label = "64-bit \(is64), big-endian \(be), sections \(sections)"
                XCTAssertEqual(info.blob.format, "pointer", label)
                XCTAssertEqual(info.blob.version, "go1.16.15", label)
                XCTAssertEqual(info.blob.location, sections ? ".go.buildinfo" : "writable segment", label)
                XCTAssertEqual(info.modules.setting("GOARCH"), "mips", label)
                XCTAssertEqual(info.crypto, .standard, label)
            }
        }
    }

    func testInlineFormat32BitBigEndianWithoutSections() throws {
        let f = fixture(is64: false, bigEndian: true, sections: false) { _ in
            GoBlob.inline(version: "go1.21.3", modinfo: GoBlob.modinfo(settings: ["GOARCH=mips"]), ptrSize: 4, bigEndian: true)
        }
        let info = try read(f)
        XCTAssertEqual(info.blob.version, "go1.21.3")
        XCTAssertEqual(info.blob.location, "writable segment")
        XCTAssertEqual(info.modules.setting("GOARCH"), "mips")
        XCTAssertFalse(try ELFImage(MemoryByteSource(f.bytes())).is64Bit)
    }

    /// The magic is honoured only at a 16-byte boundary, as Go's reader does.
    func testMagicOffAlignmentIsIgnored() throws {
        let f = fixture { _ in [0, 0, 0, 0] + GoBlob.inline(version: "go1.21.3", modinfo: "") }
        XCTAssertEqual("\(try GoBinaryInspector.inspect(MemoryByteSource(f.bytes())))", "notGo(\"ELF file without Go build information\")")
    }

    func testGo124FIPSModuleSettings() throws {
        let gofips = try read(fixture { _ in GoBlob.inline(version: "go1.24.1", modinfo: GoBlob.modinfo(settings: [
            "DefaultGODEBUG=fips140=on,tlsmlkem=0", "GOFIPS140=v1.0.0", "GOOS=linux"])) })
        XCTAssertEqual(gofips.crypto, .goFIPS140)
        XCTAssertEqual(gofips.fips140Mode, "on")
        XCTAssertEqual(gofips.cryptoReason, "GOFIPS140=v1.0.0, fips140=on")
        XCTAssertEqual(gofips.defaultGODEBUG.map { "\($0.key)=\($0.value)" }, ["fips140=on", "tlsmlkem=0"])

        let only = try read(fixture { _ in GoBlob.inline(version: "go1.25.0", modinfo: GoBlob.modinfo(settings: [
            "DefaultGODEBUG=fips140=only"])) })
        XCTAssertEqual(only.crypto, .goFIPS140)
        XCTAssertEqual(only.fips140Mode, "only")

        let impliedOn = try read(fixture { _ in GoBlob.inline(version: "go1.24.0", modinfo: GoBlob.modinfo(settings: ["GOFIPS140=latest"])) })
        XCTAssertEqual(impliedOn.fips140Mode, "on")

        let off = try read(fixture { _ in GoBlob.inline(version: "go1.24.0", modinfo: GoBlob.modinfo(settings: ["DefaultGODEBUG=fips140=off"])) })
        XCTAssertEqual(off.crypto, .standard)
        XCTAssertNil(off.fips140Mode)

        let tooOld = try read(fixture { _ in GoBlob.inline(version: "go1.23.4", modinfo: GoBlob.modinfo(settings: [
            "DefaultGODEBUG=fips140=on", "GOFIPS140=v1.0.0"])) })
        XCTAssertEqual(tooOld.crypto, .standard, "Go before 1.24 has no FIPS 140 module")
        XCTAssertEqual(tooOld.cryptoReason, "GOFIPS140=v1.0.0 ignored before go1.24")
    }

    func testToolchainForksThatUseOpenSSL() throws {
        let microsoft = try read(fixture { _ in GoBlob.inline(version: "go1.22.5 X:systemcrypto", modinfo: GoBlob.modinfo(settings: [
            "CGO_ENABLED=1", "GOEXPERIMENT=systemcrypto"])) })
        XCTAssertEqual(microsoft.crypto, .openssl)
        XCTAssertEqual(microsoft.cryptoReason, "GOEXPERIMENT=systemcrypto")
        let strict = try read(fixture { _ in GoBlob.inline(version: "go1.21.9 X:strictfipsruntime", modinfo: "") })
        XCTAssertEqual(strict.crypto, .openssl)

        let redHat = "go1.21.13 (Red Hat 1.21.13-1.el9_4)"
        let rh = try read(fixture { _ in GoBlob.inline(version: redHat, modinfo: GoBlob.modinfo(settings: ["CGO_ENABLED=1"])) })
        XCTAssertEqual(rh.crypto, .openssl)
        XCTAssertEqual(rh.version, GoVersion("go1.21.13"))
        let rhNoCgo = try read(fixture { _ in GoBlob.inline(version: redHat, modinfo: GoBlob.modinfo(settings: ["CGO_ENABLED=0"])) })
        XCTAssertEqual(rhNoCgo.crypto, .standard)
        let rhOptOut = try read(fixture { _ in GoBlob.inline(version: redHat, modinfo: GoBlob.modinfo(settings: [
            "-tags=netgo,no_openssl", "CGO_ENABLED=1"])) })
        XCTAssertEqual(rhOptOut.crypto, .standard)
    }

    /// BoringCrypto is recognised by its code marker alone (a build whose information does not
    /// say so) and by a Go+BoringCrypto release suffix.
    func testBoringCryptoByMarkerAndByReleaseSuffix() throws {
        let marked = try read(fixture(text: [0x90] + GoCodeMarker.boringCrypto.signature + [0xC3]) { _ in
            GoBlob.inline(version: "go1.19.8", modinfo: "") })
        XCTAssertEqual(marked.markers, [.boringCrypto])
        XCTAssertEqual(marked.crypto, .boringcrypto)
        XCTAssertEqual(marked.cryptoReason, "BoringCrypto code marker")

        let almost = Array(GoCodeMarker.boringCrypto.signature.dropLast(2)) + [0x00, 0xC3]
        let unmarked = try read(fixture(text: almost) { _ in GoBlob.inline(version: "go1.19.8", modinfo: "") })
        XCTAssertEqual(unmarked.crypto, .standard)

        let release = try read(fixture { f in
            GoBlob.pointer(version: "go1.16.5b7", modinfo: "", is64: true, bigEndian: false, address: f.dataAddress) })
        XCTAssertEqual(release.crypto, .boringcrypto)
        XCTAssertEqual(release.version?.boringRevision, 7)
    }

    func testMarkerAcrossAScanChunkBoundary() throws {
        var text = [UInt8](repeating: 0x90, count: GoCodeMarker.chunk + 64)
        let at = GoCodeMarker.chunk - 10
        text.replaceSubrange(at..<at + 32, with: GoCodeMarker.fipsOnly.signature)
        let info = try read(fixture(text: text) { _ in GoBlob.inline(version: "go1.19.8", modinfo: "") })
        XCTAssertEqual(info.markers, [.fipsOnly])
    }

    func testQuotedSettingsAndReplacements() {
        let m = GoModuleInfo("path\tx\nmod\tx\t(devel)\t\ndep\ty\tv1.0.0\th1:abc=\n=>\tz\tv1.1.0\th1:def=\n"
                             + "build\t-ldflags=\"-X main.v=1 -s\"\nbuild\t\"we\\\"ird=key\"=\"tab\\there \\u00e9\\x41\"\nbuild\tGOAMD64=v1\n"
                             + "build\tvcs=git\nbuild\tvcs.revision=0123abcd\nbuild\tvcs.modified=true\n")
        XCTAssertEqual(m.setting("-ldflags"), "-X main.v=1 -s")
        XCTAssertEqual(m.setting("we\"ird=key"), "tab\there éA")
        XCTAssertEqual(m.dependencies, [GoModuleInfo.Module(path: "y", version: "v1.1.0")])
        XCTAssertEqual(m.settings.count, 6)
        XCTAssertEqual(m.setting("vcs.revision"), "0123abcd")
        XCTAssertEqual(m.setting("vcs.modified"), "true")
        XCTAssertNil(GoModuleInfo.buildSetting("\"unterminated=1"))
    }

    func testVersionsCompare() throws {
        let ordered = ["go1.16.5b7", "go1.19", "go1.19.8", "go1.21rc2", "go1.21.0", "go1.22.5 X:boringcrypto", "go1.24.0"]
        let versions = try ordered.map { try XCTUnwrap(GoVersion($0), $0) }
        for i in 1..<versions.count { XCTAssertLessThan(versions[i - 1], versions[i], "\(ordered[i - 1]) < \(ordered[i])") }
        XCTAssertEqual(GoVersion("1.22")?.numbers, [1, 22, 0])
        XCTAssertFalse(try XCTUnwrap(GoVersion("1.19.0")) < XCTUnwrap(GoVersion("go1.19")))
        for bad in ["devel go1.23-abc123 Tue", "go2.0", "1", "go1.x", "go1.2.3.4", "go1.21rc", ""] {
            XCTAssertNil(GoVersion(bad), bad)
        }
        XCTAssertEqual(GoVersion.experiments(inRuntimeVersion: "go1.22.5 X:boringcrypto,loopvar"), ["boringcrypto", "loopvar"])
    }
}
