import Foundation
import XCTest

/// Replays the fuzz target `fuzz-image-layer` (its plain build, which runs the harness on
/// each file given) on its seeds and on damaged copies of them: no input may crash it,
/// hang it or break one of its invariants.
final class FuzzReplayTests: XCTestCase {
    func testImageLayerHarnessSurvivesSeedsAndMutants() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("fuzz-image-layer").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return XCTFail("\(binary) is missing: `swift build` builds it with the tests")
        }
        let base = try LayoutBuilder.temporaryDirectory(self)
        let count = try LayoutBuilder.run(["python3", repo + "/Tests/Fuzz/image_layer_seeds.py", base + "/inputs", "300"])
        XCTAssertEqual(String(decoding: count, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines), "360")
        let start = Date()
        let output = try LayoutBuilder.run(["env", "TMPDIR=" + base, binary, base + "/inputs"])
        XCTAssertTrue(String(decoding: output, as: UTF8.self).contains("replayed 360 input(s) without a crash"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 120, "360 small layers take seconds, not minutes")
        // Spools and the harness's blobs are unlinked at once: nothing is left but folders.
        let left = try FileManager.default.subpathsOfDirectory(atPath: base).filter { !$0.hasPrefix("inputs") }
        XCTAssertEqual(left.filter { !$0.hasPrefix("vigil-fuzz-") || $0.contains("/") }, [])
    }
}
