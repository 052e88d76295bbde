import VigilCore
import XCTest
@testable import VigilImage

/// Multi-platform indexes and Docker manifest lists: which manifest each platform gets.
final class PlatformSelectionTests: XCTestCase {
    private func platform(_ text: String) throws -> ImagePlatform { try ImagePlatform(parsing: text, image: "oci:x") }

    private func resolve(_ layout: LayoutBuilder, _ platform: ImagePlatform?) throws -> ResolvedImage {
        try ImageSource.resolve(try ImageReference(parsing: "oci:\(layout.path)"), platform: platform, limits: ImageLimits())
    }

    private func entry(_ descriptor: [String: Any], _ os: String, _ arch: String, _ variant: String? = nil) -> [String: Any] {
        var platform = ["os": os, "architecture": arch]
        if let variant { platform["variant"] = variant }
        return descriptor.merging(["platform": platform]) { $1 }
    }

    /// An index of an amd64 image, an arm64/v8 one and an attestation manifest
    /// (`unknown/unknown`) pointing at the amd64 one's layers.
    private func twoPlatformLayout(_ base: String, listType: String = ImageMediaType.ociIndex,
                                   manifestType: String = ImageMediaType.ociManifest) throws -> (LayoutBuilder, [String: Any], [String: Any]) {
        let layout = try LayoutBuilder(base)
        let amd = try layout.image(layers: [["arch": "amd64"]], platform: "linux/amd64", manifestType: manifestType)
        let arm = try layout.image(layers: [["arch": "arm64"]], platform: "linux/arm64/v8", manifestType: manifestType)
        let attestation = try layout.image(layers: [["att": "x"]], platform: "unknown/unknown")
        let index = try layout.index([entry(attestation, "unknown", "unknown"), entry(amd, "linux", "amd64"),
                                      entry(arm, "linux", "arm64", "v8")], mediaType: listType)
        try layout.writeIndexJSON([index])
        return (layout, amd, arm)
    }

    func testPlatformPicksItsManifest() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let (layout, amd, arm) = try twoPlatformLayout(base)
        let arm64 = try resolve(layout, try platform("linux/arm64"))
        XCTAssertEqual(arm64.identity.manifestDigest, arm["digest"] as? String)
        XCTAssertEqual(arm64.identity.platform, "linux/arm64/v8")
        XCTAssertEqual(try resolve(layout, try platform("linux/arm64/v8")).identity.manifestDigest, arm["digest"] as? String)
        XCTAssertEqual(try resolve(layout, try platform("linux/amd64")).identity.manifestDigest, amd["digest"] as? String)
        let host = ImagePlatform.host
        if host.architecture == "amd64" || host.architecture == "arm64" {
            let expected = host.architecture == "amd64" ? amd : arm
            XCTAssertEqual(try resolve(layout, nil).identity.manifestDigest, expected["digest"] as? String)
        }
    }

    func testNoMatchListsPlatformsButNotAttestations() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let (layout, _, _) = try twoPlatformLayout(base)
        let message = imageError { try self.resolve(layout, try self.platform("linux/s390x")) }
        XCTAssertTrue(message.contains("no image for platform linux/s390x"), message)
        XCTAssertTrue(message.contains("platforms present: linux/amd64, linux/arm64/v8)"), message)
        let variant = imageError { try self.resolve(layout, try self.platform("linux/arm64/v9")) }
        XCTAssertTrue(variant.contains("no image for platform linux/arm64/v9"), variant)
    }

    func testDockerManifestList() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let (layout, _, arm) = try twoPlatformLayout(base, listType: ImageMediaType.dockerManifestList,
                                                     manifestType: ImageMediaType.dockerManifest)
        let image = try resolve(layout, try platform("linux/arm64"))
        XCTAssertEqual(image.identity.manifestDigest, arm["digest"] as? String)
        XCTAssertEqual(image.layers.first?.compression, .gzip)
    }

    func testNestedIndexesAreFollowedToDepthFour() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let arm = try layout.image(layers: [["arch": "arm64"]], platform: "linux/arm64")
        var top = try layout.index([entry(arm, "linux", "arm64")])
        for _ in 0..<3 { top = try layout.index([top]) }
        try layout.writeIndexJSON([top])
        XCTAssertEqual(try resolve(layout, try platform("linux/arm64")).identity.manifestDigest, arm["digest"] as? String)
        try layout.writeIndexJSON([try layout.index([top])])
        let message = imageError { try self.resolve(layout, try self.platform("linux/arm64")) }
        XCTAssertTrue(message.contains("nested more than 4 deep"), message)
    }

    func testSingleImageForAnotherPlatform() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"]], platform: "linux/riscv64")])
        let message = imageError { try self.resolve(layout, try self.platform("linux/amd64")) }
        XCTAssertTrue(message.contains("the image is for linux/riscv64, not linux/amd64"), message)
        let image = try resolve(layout, nil)
        XCTAssertEqual(image.identity.architecture, "riscv64")
        XCTAssertEqual(image.identity.os, "linux")
    }

    func testPlatformParsingAndMachineNames() throws {
        XCTAssertEqual(try platform("linux/arm/v7"), ImagePlatform(os: "linux", architecture: "arm", variant: "v7"))
        for bad in ["linux", "linux/", "/amd64", "linux/arm/v7/x"] {
            XCTAssertTrue(imageError { try self.platform(bad) }.hasPrefix("image oci:x: invalid --platform '\(bad)': expected os/arch[/variant]"), bad)
        }
        let names = ["x86_64": "linux/amd64", "aarch64": "linux/arm64/v8", "armv7l": "linux/arm/v7", "ppc64le": "linux/ppc64le",
                     "s390x": "linux/s390x", "riscv64": "linux/riscv64", "i686": "linux/386"]
        for (machine, expected) in names { XCTAssertEqual(ImagePlatform.fromMachine(machine).description, expected) }
        XCTAssertTrue(try platform("linux/arm64/v8").accepts(ImagePlatform(os: "linux", architecture: "arm64")))
        XCTAssertTrue(try platform("linux/arm").accepts(ImagePlatform(os: "linux", architecture: "arm", variant: "v6")))
        XCTAssertFalse(try platform("linux/arm/v7").accepts(ImagePlatform(os: "linux", architecture: "arm", variant: "v6")))
        XCTAssertFalse(try platform("linux/amd64").accepts(ImagePlatform(os: "windows", architecture: "amd64")))
    }
}

/// index.json listing one manifest per platform under one name, and images past the layer limit.
final class LayoutEntrySelectionTests: XCTestCase {
    func testOneNameForSeveralPlatformsPicksByPlatform() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let name = ["org.opencontainers.image.ref.name": "v1"]
        let amd = try layout.image(layers: [["a": "1"]], platform: "linux/amd64",
                                   descriptorExtra: ["annotations": name, "platform": ["os": "linux", "architecture": "amd64"]])
        let arm = try layout.image(layers: [["a": "2"]], platform: "linux/arm64",
                                   descriptorExtra: ["annotations": name, "platform": ["os": "linux", "architecture": "arm64"]])
        try layout.writeIndexJSON([amd, arm])
        let reference = try ImageReference(parsing: "oci:\(layout.path):v1")
        let image = try ImageSource.resolve(reference, platform: ImagePlatform(os: "linux", architecture: "arm64"), limits: ImageLimits())
        XCTAssertEqual(image.identity.manifestDigest, arm["digest"] as? String)
        XCTAssertEqual(image.identity.tag, "v1")
        let none = imageError { try ImageSource.resolve(reference, platform: ImagePlatform(os: "linux", architecture: "ppc64le"),
                                                        limits: ImageLimits()) }
        XCTAssertTrue(none.contains("platforms present: linux/amd64, linux/arm64"), none)
    }

    func testTooManyLayers() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let layer = try layout.blob(try LayoutBuilder.tar(["a": "1"]), mediaType: "application/vnd.oci.image.layer.v1.tar")
        let count = ManifestResolver.maxLayers + 1
        let diffIDs = Array(repeating: layer["digest"]!, count: count)
        let config = try layout.blob(LayoutBuilder.json(["os": "linux", "architecture": "amd64",
                                                         "rootfs": ["type": "layers", "diff_ids": diffIDs]]), mediaType: ImageMediaType.ociConfig)
        let manifest = try layout.blob(LayoutBuilder.json(["schemaVersion": 2, "config": config,
                                                           "layers": Array(repeating: layer, count: count)]), mediaType: ImageMediaType.ociManifest)
        try layout.writeIndexJSON([manifest])
        let message = imageError { try ImageSource.resolve(try ImageReference(parsing: "oci:\(layout.path)"), platform: nil,
                                                           limits: ImageLimits()) }
        XCTAssertTrue(message.contains("has \(count) layers, over the limit of \(ManifestResolver.maxLayers)"), message)
    }
}
