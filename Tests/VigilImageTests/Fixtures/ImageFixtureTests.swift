import Foundation
import XCTest

/// The test images are what they claim, by the reference tools: skopeo reads the good
/// presets (the index: each platform), and umoci refuses each damaged layer blob for the
/// damage it has, so that a test that expects Vigil to refuse one cannot pass on an image
/// that is not damaged.
final class ImageFixtureTests: XCTestCase {
    func requireTools() throws {
        let missing = ["skopeo", "umoci", "zstd", "gzip", "python3"].filter { ImageFixture.which($0) == nil }
        guard missing.isEmpty else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI installs \(missing)") }
            throw XCTSkip("missing: \(missing)")
        }
    }

    func inspect(_ layout: String, _ extra: [String] = []) throws -> [String: Any] {
        let r = try ImageFixture.run(ImageFixture.which("skopeo")!, ["inspect"] + extra + ["oci:\(layout):t"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    func testGoodPresetsAreImagesSkopeoReads() throws {
        try requireTools()
        let dir = try ImageFixture.tempDir()
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for (preset, layers) in [("debian", 3), ("debian-broken", 4), ("edges", 3)] {
            let info = try inspect(try ImageFixture.build(preset, in: dir, layout: preset))
            XCTAssertEqual((info["Layers"] as? [String])?.count, layers, preset)
            XCTAssertEqual(info["Architecture"] as? String, "amd64", preset)
        }
        let index = try ImageFixture.build("two-platform", in: dir, layout: "two")
        let amd = try inspect(index, ["--override-arch", "amd64"])
        let arm = try inspect(index, ["--override-arch", "arm64", "--override-variant", "v8"])
        XCTAssertEqual(arm["Architecture"] as? String, "arm64")
        XCTAssertNotEqual(amd["Layers"] as? [String], arm["Layers"] as? [String], "each platform has its own content")
    }

    func testDamagedLayersAreRefusedByUmociForTheirDamage() throws {
        try requireTools()
        let dir = try ImageFixture.tempDir()
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        // Inverted bytes show as a bad gzip checksum or a bad tar header, by where they land.
        let expected = ["truncate": "unexpected EOF", "corrupt": "unpack layer", "wrong-digest": "unpack layer",
                        "wrong-diffid": "diffid mismatch"]
        for (fault, cause) in expected {
            let layout = try ImageFixture.build("hostile-\(fault)", in: dir, layout: fault)
            let r = try ImageFixture.run(ImageFixture.which("umoci")!, ["unpack", "--rootless", "--image", "\(layout):t",
                                                                       dir.appendingPathComponent("bundle-\(fault)").path])
            XCTAssertNotEqual(r.status, 0, fault)
            XCTAssertTrue(r.stderr.contains(cause), "\(fault): \(r.stderr)")
        }
        // The same image undamaged unpacks.
        let good = try ImageFixture.build("edges", in: dir, layout: "good", compression: "gzip")
        XCTAssertEqual(try ImageFixture.run(ImageFixture.which("umoci")!, ["unpack", "--rootless", "--image", "\(good):t",
                                                                         dir.appendingPathComponent("bundle-good").path]).status, 0)
    }
}
