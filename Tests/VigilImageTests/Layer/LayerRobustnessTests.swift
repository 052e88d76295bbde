import Foundation
import XCTest
@testable import VigilImage

/// Damaged layers, many of them: every one reads to entries or to an `ImageError`, never
/// to a crash or a hang.
final class LayerRobustnessTests: XCTestCase {
    /// A small tar of every entry kind (PAX, with long names and xattrs), without the 3 MiB file.
    private func makeSmallTar(_ f: LayerFixtures) throws -> [UInt8] {
        try f.python(TarScripts.build, ["full.tar", "pax"])
        try f.python("""
        import tarfile
        with tarfile.open('full.tar') as src, tarfile.open('small.tar', 'w', format=tarfile.PAX_FORMAT) as dst:
            for m in src:
                if m.name != 'usr/lib/big': dst.addfile(m, src.extractfile(m) if m.isreg() else None)
        """)
        return try f.bytes("small.tar")
    }

    func testRandomlyDamagedLayersGiveEntriesOrImageErrors() throws {
        let f = try LayerFixtures()
        let tar = try makeSmallTar(f)
        let gz = try f.bytes(try f.compress("small.tar", with: "gzip"))
        let zst = try f.bytes(try f.compress("small.tar", with: "zstd"))
        var random = SplitMix64(seed: 16)
        var outcomes = [String: Int]()
        for round in 0..<600 {
            var bytes = [tar, gz, zst][round % 3]
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes[at] = [0, 0xFF, 0x30, 0x37, 0x20][Int(random.next() % 5)]
                default: bytes.removeSubrange(at...)
                }
                if bytes.isEmpty { break }
            }
            try f.write("damaged", bytes)
            do {
                _ = try f.read(try f.layer("damaged"))
                outcomes["read", default: 0] += 1
            } catch let error as ImageError {
                XCTAssertEqual(error.layer, "layer 2")
                XCTAssertFalse(error.message.isEmpty)
                outcomes[String(error.message.prefix(20)), default: 0] += 1
            }
        }
        // Damage was found, in many ways, and some damage (in file contents) reads fine.
        XCTAssertGreaterThan(outcomes.count, 8, "\(outcomes)")
        XCTAssertGreaterThan(outcomes["read", default: 0], 0, "\(outcomes)")
    }
}

/// A small seeded random generator, so the damage is the same on every run.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
