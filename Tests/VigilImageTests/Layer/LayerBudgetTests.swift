import Foundation
import XCTest
@testable import VigilImage

/// Decompression bombs and the limits shared by all layers of an image.
final class LayerBudgetTests: XCTestCase {
    /// `zeros.tar`: one file of `mebibytes` MiB of zeros, compressed with `tool`.
    private func makeZeros(_ f: LayerFixtures, mebibytes: Int, tool: String) throws -> String {
        try f.python("""
        import tarfile
        class Zeros:
            def __init__(self, n): self.left = n
            def read(self, n):
                n = min(n, self.left); self.left -= n; return bytes(n)
        with tarfile.open('zeros.tar', 'w') as t:
            ti = tarfile.TarInfo('zeros'); ti.size = \(mebibytes) << 20
            t.addfile(ti, Zeros(ti.size))
        """)
        return try f.compress("zeros.tar", with: tool, extraArgs: tool == "gzip" ? ["-9"] : ["-19"])
    }

    func testExpansionRatioPastTheFloorIsAnError() throws {
        let f = try LayerFixtures()
        for tool in ["gzip", "zstd"] {
            let name = try makeZeros(f, mebibytes: 64, tool: tool)
            var limits = ImageLimits()
            XCTAssertEqual(try f.read(try f.layer(name), limits: limits).first?.size, 64 << 20)
            limits.maxExpansionRatio = 100
            limits.ratioFloor = 4 << 20
            let error = f.readError(try f.layer(name), limits: limits)
            XCTAssertTrue(error?.message.hasPrefix("the layer expands more than 100 times") == true, "\(String(describing: error))")
            XCTAssertTrue(error?.message.contains("maxExpansionRatio = 100 past ratioFloor = 4194304 bytes") == true)
            XCTAssertEqual(error?.layer, "layer 2")
            // Under the floor, any ratio is fine.
            limits.ratioFloor = 65 << 20
            XCTAssertEqual(try f.read(try f.layer(name), limits: limits).count, 1)
        }
    }

    /// A tar of one file of 2 GiB of zeros, compressed with `tool` as members (frames) one
    /// after another: the tar header, 32 times the same 64 MiB of zeros, the end blocks.
    private func makeBomb(_ f: LayerFixtures, tool: String) throws -> String {
        try f.python("""
        import tarfile
        ti = tarfile.TarInfo('zeros'); ti.size = 2 << 30
        open('header', 'wb').write(ti.tobuf(tarfile.USTAR_FORMAT))
        open('zeros', 'wb').truncate(64 << 20)
        open('end', 'wb').write(bytes(1024))
        """)
        let header = try f.bytes(try f.compress("header", with: tool))
        let zeros = try f.bytes(try f.compress("zeros", with: tool, extraArgs: ["-9"]))
        let end = try f.bytes(try f.compress("end", with: tool))
        try f.write("bomb", header + (0..<32).flatMap { _ in zeros } + end)
        return "bomb"
    }

    /// 2 GiB of zeros in a 2 MiB gzip stream: stopped once past the floor, long before the
    /// 2 GiB are decompressed (limits lowered: gzip cannot pass 1032 times, near the default 1000).
    func testGzipBombIsStoppedEarly() throws {
        let f = try LayerFixtures()
        let bomb = try f.layer(try makeBomb(f, tool: "gzip"))
        XCTAssertLessThan(bomb.location.length, 2_200_000)
        var limits = ImageLimits()
        limits.maxExpansionRatio = 100
        limits.ratioFloor = 64 << 20
        let budget = ExpansionBudget(limits: limits)
        XCTAssertThrowsError(try f.read(bomb, limits: limits, budget: budget)) { error in
            XCTAssertTrue("\(error)".contains("expands more than 100 times"), "\(error)")
        }
        XCTAssertLessThan(budget.uncompressedBytes, bomb.location.length * 100 + (1 << 20))
    }

    /// The same in zstd (about 70 KB): stopped at the default limits, just past 256 MiB.
    func testZstdBombIsStoppedAtTheDefaultLimits() throws {
        let f = try LayerFixtures()
        let bomb = try f.layer(try makeBomb(f, tool: "zstd"))
        XCTAssertLessThan(bomb.location.length, 200_000)
        let budget = ExpansionBudget(limits: ImageLimits())
        XCTAssertThrowsError(try f.read(bomb, budget: budget)) { error in
            XCTAssertTrue("\(error)".contains("expands more than \(ImageLimits().maxExpansionRatio) times"), "\(error)")
            XCTAssertTrue("\(error)".contains("past ratioFloor = 268435456 bytes"), "\(error)")
        }
        XCTAssertLessThan(budget.uncompressedBytes, (256 << 20) + (1 << 20))
    }

    func testUncompressedBytesOfAllLayersTogetherAreLimited() throws {
        let f = try LayerFixtures()
        let name = try makeZeros(f, mebibytes: 6, tool: "zstd")
        var limits = ImageLimits()
        limits.maxUncompressedBytes = 10 << 20
        let budget = ExpansionBudget(limits: limits)
        XCTAssertEqual(try f.read(try f.layer(name), limits: limits, budget: budget).count, 1)
        XCTAssertEqual(budget.uncompressedBytes, try Int64(f.bytes("zeros.tar").count))
        XCTAssertThrowsError(try f.read(try f.layer(name), limits: limits, budget: budget)) { error in
            XCTAssertTrue("\(error)".contains("more than 10485760 bytes uncompressed together (limit maxUncompressedBytes = 10485760)"),
                          "\(error)")
        }
    }

    /// Layers read at the same time on several threads share one budget exactly.
    func testBudgetIsSharedByLayersReadConcurrently() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "gnu"])
        let gz = try f.compress("layer.tar", with: "gzip")
        let tarSize = Int64(try f.bytes("layer.tar").count)
        let limits = ImageLimits()
        let budget = ExpansionBudget(limits: limits)
        let layers = try (0..<8).map { _ in try f.layer(gz) }
        let failures = LockedCount()
        let spoolDirectory = f.dir.path
        DispatchQueue.concurrentPerform(iterations: layers.count) { i in
            do {
                try LayerReader.read(layers[i], image: "i", budget: budget, spoolDirectory: spoolDirectory) { _ in }
            } catch {
                failures.add()
            }
        }
        XCTAssertEqual(failures.value, 0)
        XCTAssertEqual(budget.uncompressedBytes, 8 * tarSize)
        XCTAssertEqual(budget.entryCount, 8 * (try f.read(try f.layer("layer.tar")).count))
    }

    func testEntriesOfAllLayersTogetherAreLimited() throws {
        let f = try LayerFixtures()
        try f.python(TarScripts.build, ["layer.tar", "ustar"])
        let count = try f.read(try f.layer("layer.tar")).count
        var limits = ImageLimits()
        limits.maxEntries = count + 3
        let budget = ExpansionBudget(limits: limits)
        XCTAssertEqual(try f.read(try f.layer("layer.tar"), limits: limits, budget: budget).count, count)
        XCTAssertThrowsError(try f.read(try f.layer("layer.tar"), limits: limits, budget: budget)) { error in
            XCTAssertTrue("\(error)".contains("more than \(count + 3) entries together (limit maxEntries = \(count + 3))"),
                          "\(error)")
        }
    }
}

/// A thread-safe counter for the concurrency test.
final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
