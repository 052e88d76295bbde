import Foundation
import XCTest
@testable import VigilCrypto

/// Broken and hostile files: each is a clear problem or "not a Go binary", never a trap, a
/// hang or a huge allocation.
final class GoBinaryHostileTests: XCTestCase {
    private func finding(_ bytes: [UInt8]) -> String {
        do { return "\(try GoBinaryInspector.inspect(MemoryByteSource(bytes)))" } catch { return "problem: \(error)" }
    }

    private func goFixture(_ blob: (ELFFixture) -> [UInt8], is64: Bool = true) -> ELFFixture {
        var f = ELFFixture(is64: is64)
        f.data = blob(f) + [UInt8](repeating: 0, count: 64)
        return f
    }

    private func header(_ version: String = "", flags: UInt8 = 2, ptrSize: UInt8 = 8, pointers: [UInt64] = [0, 0]) -> [UInt8] {
        var w = FieldWriter(bigEndian: false)
        w.bytes = GoBlob.magic + [ptrSize, flags]
        for p in pointers { w.u64(p) }
        return w.bytes
    }

    func testNotELFAndTinyFiles() {
        XCTAssertEqual(finding([]), "notGo(\"not an ELF file\")")
        XCTAssertEqual(finding(Array("#!/bin/sh\nexec kubelet\n".utf8)), "notGo(\"not an ELF file\")")
        XCTAssertTrue(finding([0x7f, 0x45, 0x4c, 0x46]).contains("not an ELF file"))
        XCTAssertTrue(finding([0x7f, 0x45, 0x4c, 0x46, 3, 1] + [UInt8](repeating: 0, count: 58)).contains("ELF class 3"))
        XCTAssertTrue(finding([0x7f, 0x45, 0x4c, 0x46, 2, 1] + [UInt8](repeating: 0, count: 20)).contains("ELF header"))
    }

    func testHugeAndBrokenInlineLengths() {
        let huge = goFixture { _ in self.header() + GoBlob.varint(1 << 40) + Array("go1.22.0".utf8) }
        XCTAssertTrue(finding(huge.bytes()).contains("claims 1099511627776 bytes (limit 4194304)"), finding(huge.bytes()))
        let beyond = goFixture { _ in self.header() + GoBlob.varint(100_000) + Array("go1.22.0".utf8) }
        XCTAssertTrue(finding(beyond.bytes()).contains("lies outside the file's segments"), finding(beyond.bytes()))
        let malformed = goFixture { _ in self.header() + [UInt8](repeating: 0xff, count: 12) }
        XCTAssertTrue(finding(malformed.bytes()).contains("malformed length of the runtime version"), finding(malformed.bytes()))
        let empty = goFixture { _ in self.header() + [0, 0] }
        XCTAssertTrue(finding(empty.bytes()).contains("empty runtime version"), finding(empty.bytes()))
    }

    func testPointersOutsideTheFile() {
        let wild = goFixture { _ in self.header(flags: 0, pointers: [0xdead_beef, 0xffff_ffff_ffff_fff0]) }
        XCTAssertTrue(finding(wild.bytes()).contains("runtime version pointer 0xdeadbeef lies outside"), finding(wild.bytes()))
        let hugeString = goFixture { f in
            var w = FieldWriter(bigEndian: false)
            w.u64(f.dataAddress + 48); w.u64(1 << 62)
            return self.header(flags: 0, pointers: [f.dataAddress + 32, f.dataAddress + 32]) + w.bytes
        }
        XCTAssertTrue(finding(hugeString.bytes()).contains("claims 4611686018427387904 bytes"), finding(hugeString.bytes()))
        let badSize = goFixture { _ in self.header(flags: 0, ptrSize: 3) }
        XCTAssertTrue(finding(badSize.bytes()).contains("pointer size 3"), finding(badSize.bytes()))
    }

    func testHeadersPointingOutside() {
        var bytes = goFixture { _ in GoBlob.inline(version: "go1.22.0", modinfo: "") }.bytes()
        var phoff = bytes
        phoff.replaceSubrange(32..<40, with: [0, 0, 0, 0, 0, 0, 0, 0x70])
        XCTAssertTrue(finding(phoff).contains("program header table"), finding(phoff))
        var phnum = bytes
        phnum.replaceSubrange(56..<58, with: [0xff, 0xff])
        XCTAssertTrue(finding(phnum).contains("65535 program headers (limit 4096)"), finding(phnum))
        var phentsize = bytes
        phentsize.replaceSubrange(54..<56, with: [0xff, 0xff])
        XCTAssertTrue(finding(phentsize).contains("program header size 65535 is not between 56 and 256"), finding(phentsize))
        var shentsize = bytes
        shentsize.replaceSubrange(58..<60, with: [0xff, 0xff])
        XCTAssertTrue(finding(shentsize).contains("section header size 65535 is not between 64 and 256"), finding(shentsize))
        var shoff = bytes
        shoff.replaceSubrange(40..<48, with: [0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        XCTAssertTrue(finding(shoff).contains("section header table"), finding(shoff))
        // The text segment's file offset near 2^64: its range overflows.
        bytes.replaceSubrange(64 + 8..<64 + 16, with: [0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        XCTAssertTrue(finding(bytes).contains("executable segment"), finding(bytes))
    }

    /// A data segment mapped at the top of the address space: address arithmetic wraps
    /// rather than trapping.
    func testAddressesNearTheTopOfTheAddressSpace() {
        var bytes = goFixture { _ in self.header() + GoBlob.varint(8) + Array("go1.22.0".utf8) }.bytes()
        let top: [UInt8] = [0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        bytes.replaceSubrange(64 + 56 + 16..<64 + 56 + 24, with: top)  // data segment vaddr
        let shoff = Int(bytes[40]) | Int(bytes[41]) << 8
        bytes.replaceSubrange(shoff + 2 * 64 + 16..<shoff + 2 * 64 + 24, with: top)  // .go.buildinfo addr
        let f = finding(bytes)
        XCTAssertTrue(f.contains("outside") || f.contains("notGo"), f)
    }

    /// Random byte changes to a valid file, deterministic: every result is a finding.
    func testMutatedFilesNeverTrap() {
        let mod = GoBlob.modinfo(settings: ["DefaultGODEBUG=fips140=on", "GOFIPS140=v1.0.0"])
        let valid = goFixture { _ in GoBlob.inline(version: "go1.24.0", modinfo: mod) }.bytes()
        let validPointer = goFixture({ f in GoBlob.pointer(version: "go1.16.1", modinfo: mod, is64: false, bigEndian: true, address: f.dataAddress) },
                                     is64: false).bytes()
        var rng = SplitMix(seed: 15)
        var outcomes: Set<String> = []
        for base in [valid, validPointer] {
            for _ in 0..<3000 {
                var b = base
                for _ in 0..<Int(rng.next() % 4 + 1) { b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                if rng.next() % 8 == 0 { b = Array(b.prefix(Int(rng.next() % UInt64(b.count)))) }
                outcomes.insert(String(finding(b).prefix(12)))
            }
        }
        XCTAssertTrue(outcomes.contains { $0.hasPrefix("go(") })
        XCTAssertTrue(outcomes.contains { $0.hasPrefix("problem") })
    }
}

/// A small deterministic random generator for mutation tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
