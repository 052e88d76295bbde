import VigilCore
import XCTest
@testable import VigilImage

/// Hand-written OCI layouts: choosing the image, locating its layers, naming it, and every
/// way its metadata can be wrong.
final class OCILayoutSourceTests: XCTestCase {
    private let amd64 = ImagePlatform(os: "linux", architecture: "amd64")

    private func resolve(_ reference: String, platform: ImagePlatform? = nil,
                         limits: ImageLimits = ImageLimits()) throws -> ResolvedImage {
        try ImageSource.resolve(try ImageReference(parsing: reference), platform: platform, limits: limits)
    }

    func testResolvesTaggedImageWithLayersInOrder() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let manifest = try layout.image(layers: [["etc/os-release": "ID=debian\n"], ["etc/passwd": "root:x:0:0::/root:/bin/sh\n"]],
                                        descriptorExtra: ["annotations": ["org.opencontainers.image.ref.name": "latest"]])
        try layout.writeIndexJSON([manifest])
        let image = try resolve("oci:\(layout.path):latest", platform: amd64)
        let manifestJSON = try JSONSerialization.jsonObject(with: Data(try layout.blobBytes(manifest["digest"]))) as! [String: Any]
        let layerDescriptors = manifestJSON["layers"] as! [[String: Any]]
        let config = manifestJSON["config"] as! [String: Any]

        XCTAssertEqual(image.identity.reference, "oci:\(layout.path):latest")
        XCTAssertEqual(image.identity.name, layout.path)
        XCTAssertEqual(image.identity.tag, "latest")
        XCTAssertEqual(image.identity.manifestDigest, manifest["digest"] as? String)
        XCTAssertEqual(image.identity.configDigest, config["digest"] as? String)
        XCTAssertEqual(image.identity.platform, "linux/amd64")
        XCTAssertEqual(image.identity.layers, layerDescriptors.map { $0["digest"] as! String })
        XCTAssertEqual(image.layers.map(\.index), [0, 1])
        for (layer, descriptor) in zip(image.layers, layerDescriptors) {
            XCTAssertEqual(layer.compression, .gzip)
            XCTAssertEqual(layer.digest, descriptor["digest"] as? String)
            XCTAssertEqual(layer.location.length, Int64(descriptor["size"] as! Int))
            let stored = try ImageStore.read(layer.location.file, at: layer.location.offset, count: Int(layer.location.length), image: "")
            XCTAssertEqual(BlobDigest.sha256(stored), layer.digest)
            let tar = try LayoutBuilder.run(["gzip", "-d", "-c"], input: stored)
            XCTAssertEqual(BlobDigest.sha256(tar), layer.diffID)
        }
    }

    func testRelativePathIsMadeAbsoluteAndSingleImageNeedsNoTag() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"]], gzip: false)])
        let reference = try ImageReference(parsing: "oci:./layout/../layout", relativeTo: base)
        let image = try ImageSource.resolve(reference, platform: amd64, limits: ImageLimits())
        XCTAssertEqual(image.identity.reference, "oci:\(layout.path)")
        XCTAssertEqual(image.identity.name, layout.path)
        XCTAssertNil(image.identity.tag)
        XCTAssertEqual(image.layers.map(\.compression), [LayerCompression.none])
    }

    func testFullReferenceAnnotationNamesTheSeries() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let name = "docker.io/library/debian:12"
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"]], descriptorExtra: ["annotations": ["org.opencontainers.image.ref.name": name]])])
        let image = try resolve("oci:\(layout.path):\(name)", platform: amd64)
        XCTAssertEqual(image.identity.name, "docker.io/library/debian")
        XCTAssertEqual(image.identity.tag, "12")
        XCTAssertEqual(try resolve("oci:\(layout.path)", platform: amd64).identity.name, "docker.io/library/debian")
    }

    func testContainerdImageNameAnnotationNamesTheSeries() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let annotations = ["org.opencontainers.image.ref.name": "3.20", "io.containerd.image.name": "docker.io/library/alpine:3.20"]
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"]], descriptorExtra: ["annotations": annotations])])
        let image = try resolve("oci:\(layout.path):3.20", platform: amd64)
        XCTAssertEqual(image.identity.name, "docker.io/library/alpine")
        XCTAssertEqual(image.identity.tag, "3.20")
    }

    func testSeveralImagesNeedANameOrIndex() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let first = try layout.image(layers: [["a": "1"]], descriptorExtra: ["annotations": ["org.opencontainers.image.ref.name": "one"]])
        let second = try layout.image(layers: [["b": "2"]], descriptorExtra: ["annotations": ["org.opencontainers.image.ref.name": "two"]])
        try layout.writeIndexJSON([first, second])
        let ambiguous = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(ambiguous.contains("holds 2 images") && ambiguous.contains("one, two"), ambiguous)
        let unknown = imageError { try self.resolve("oci:\(layout.path):three", platform: self.amd64) }
        XCTAssertTrue(unknown.contains("no image named 'three'") && unknown.contains("one, two"), unknown)
        XCTAssertEqual(try resolve("oci:\(layout.path):two", platform: amd64).identity.manifestDigest, second["digest"] as? String)
        XCTAssertEqual(try resolve("oci:\(layout.path):@1", platform: amd64).identity.manifestDigest, second["digest"] as? String)
        let outOfRange = imageError { try self.resolve("oci:\(layout.path):@2", platform: self.amd64) }
        XCTAssertTrue(outOfRange.contains("@2 is out of range"), outOfRange)
    }

    func testZstdAndNonDistributableLayerTypes() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"]], gzip: false,
                                                    layerType: "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")])
        XCTAssertEqual(try resolve("oci:\(layout.path)", platform: amd64).layers.map(\.compression), [.zstd])
    }

    func testUnknownLayerMediaTypeIsAnError() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"]], layerType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip")])
        let message = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(message.contains("helm.chart") && message.contains("not an image layer"), message)
    }

    func testMissingLayerBlobNamesTheDigest() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let manifest = try layout.image(layers: [["a": "1"]])
        try layout.writeIndexJSON([manifest])
        let json = try JSONSerialization.jsonObject(with: Data(try layout.blobBytes(manifest["digest"]))) as! [String: Any]
        let layerDigest = (json["layers"] as! [[String: Any]])[0]["digest"] as! String
        try FileManager.default.removeItem(atPath: layout.path + "/blobs/sha256/" + layerDigest.dropFirst(7))
        let message = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(message.contains("layer 1 \(layerDigest) is missing"), message)
    }

    func testALayerBlobThatIsAFIFOIsRefusedUnopened() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let manifest = try layout.image(layers: [["a": "1"]])
        try layout.writeIndexJSON([manifest])
        let json = try JSONSerialization.jsonObject(with: Data(try layout.blobBytes(manifest["digest"]))) as! [String: Any]
        let layerDigest = (json["layers"] as! [[String: Any]])[0]["digest"] as! String
        let blob = layout.path + "/blobs/sha256/" + layerDigest.dropFirst(7)
        try FileManager.default.removeItem(atPath: blob)
        XCTAssertEqual(mkfifo(blob, 0o600), 0)
        // Opening a FIFO for reading would block until a writer comes: it must be refused unopened.
        let message = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(message.contains("is not a regular file"), message)
    }

    func testManifestAndConfigDigestMismatch() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let manifest = try layout.image(layers: [["a": "1"]])
        try layout.writeIndexJSON([manifest])
        let original = try layout.blobBytes(manifest["digest"])
        let json = try JSONSerialization.jsonObject(with: Data(original)) as! [String: Any]
        let config = json["config"] as! [String: Any]
        let configBytes = try layout.blobBytes(config["digest"])
        var tampered = configBytes
        tampered[tampered.firstIndex(of: UInt8(ascii: "a"))!] = UInt8(ascii: "b")
        try layout.corrupt(config["digest"], with: tampered)
        let configError = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(configError.contains("config \(config["digest"]!) does not match its digest"), configError)

        var tamperedManifest = original
        tamperedManifest[tamperedManifest.count - 2] = UInt8(ascii: " ")
        try layout.corrupt(manifest["digest"], with: tamperedManifest)
        let manifestError = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(manifestError.contains("manifest \(manifest["digest"]!) does not match its digest"), manifestError)
    }

    func testDiffIDCountMismatch() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"], ["b": "2"]], extraDiffIDs: 1)])
        let message = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(message.contains("lists 3 diff_ids for 2 layers"), message)
    }

    func testTraversalAndForeignDigestsAreRefused() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: base + "/outside"))
        for digest in ["sha256:../../outside", "sha512:" + String(repeating: "a", count: 128), "sha256:ABC"] {
            try layout.writeIndexJSON([["mediaType": ImageMediaType.ociManifest, "digest": digest, "size": 6]])
            let message = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
            XCTAssertTrue(message.contains("digest '\(digest)'"), message)
        }
    }

    func testOversizeMetadataIsAnError() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let manifest = try layout.image(layers: [["a": "1"]])
        try layout.writeIndexJSON([manifest])
        var limits = ImageLimits()
        limits.maxMetadataBytes = (manifest["size"] as! Int) - 1
        let message = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64, limits: limits) }
        XCTAssertTrue(message.contains("manifest \(manifest["digest"]!) holds \(manifest["size"]!) bytes, over the limit"), message)
        limits.maxMetadataBytes = 10
        let indexMessage = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64, limits: limits) }
        XCTAssertTrue(indexMessage.contains("index.json holds"), indexMessage)
    }

    func testMalformedJSONNamesTheFile() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        try Data("{\"manifests\": [".utf8).write(to: URL(fileURLWithPath: layout.path + "/index.json"))
        let indexError = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(indexError.contains("index.json is not valid"), indexError)
        let broken = try layout.blob(Array("{\"config\": 3}".utf8), mediaType: ImageMediaType.ociManifest)
        try layout.writeIndexJSON([broken])
        let manifestError = imageError { try self.resolve("oci:\(layout.path)", platform: self.amd64) }
        XCTAssertTrue(manifestError.contains("manifest \(broken["digest"]!) is not valid"), manifestError)
    }

    func testNotALayout() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        XCTAssertTrue(imageError { try self.resolve("oci:\(base)/absent") }.contains("is not a directory"))
        XCTAssertTrue(imageError { try self.resolve("oci:\(base)") }.contains("no oci-layout file"))
        let layout = try LayoutBuilder(base)
        XCTAssertTrue(imageError { try self.resolve("oci:\(layout.path)") }.contains("no index.json"))
    }
}
