import Foundation
import VigilCore
import XCTest
@testable import VigilImage

/// oci-archive and docker-archive made by umoci and skopeo, `docker save`'s legacy layout
/// written by hand, and plain root file-system tarballs: all read in place.
final class ArchiveSourceTests: XCTestCase {
    private let amd64 = ImagePlatform(os: "linux", architecture: "amd64")

    private func resolve(_ reference: String, platform: ImagePlatform? = nil) throws -> ResolvedImage {
        try ImageSource.resolve(try ImageReference(parsing: reference), platform: platform, limits: ImageLimits())
    }

    private func bytes(_ location: BlobLocation) throws -> [UInt8] {
        try ImageStore.read(location.file, at: location.offset, count: Int(location.length), image: "")
    }

    /// A two-layer image made by umoci in `base/L:t`, copied by skopeo to
    /// `base/docker.tar` (as registry/app:1.2) and `base/oci.tar` (as t).
    private func umociImage(_ base: String) throws -> ResolvedImage {
        for tool in ["umoci", "skopeo"] where !FileManager.default.isExecutableFile(atPath: "/usr/bin/" + tool) {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(tool) is not installed") }
            throw XCTSkip("\(tool) is not installed")
        }
        let rootless = getuid() == 0 ? [] : ["--rootless"]
        try LayoutBuilder.run(["umoci", "init", "--layout", "L"], in: base)
        try LayoutBuilder.run(["umoci", "new", "--image", "L:t"], in: base)
        for (n, file) in ["etc/os-release", "etc/passwd"].enumerated() {
            let dir = base + "/root\(n)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data("content of \(file)\n".utf8).write(to: URL(fileURLWithPath: dir + "/" + (file as NSString).lastPathComponent))
            try LayoutBuilder.run(["umoci", "insert"] + rootless + ["--image", "L:t", dir + "/" + (file as NSString).lastPathComponent, "/" + file], in: base)
        }
        try LayoutBuilder.run(["skopeo", "copy", "-q", "oci:L:t", "docker-archive:docker.tar:registry/app:1.2"], in: base)
        try LayoutBuilder.run(["skopeo", "copy", "-q", "oci:L:t", "oci-archive:oci.tar:t"], in: base)
        return try resolve("oci:\(base)/L:t", platform: amd64)
    }

    func testOCIArchiveIsReadInPlace() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try umociImage(base)
        XCTAssertEqual(layout.layers.count, 2)
        let archive = try resolve("oci-archive:\(base)/oci.tar:t", platform: amd64)
        XCTAssertEqual(archive.identity.manifestDigest, layout.identity.manifestDigest)
        XCTAssertEqual(archive.identity.configDigest, layout.identity.configDigest)
        XCTAssertEqual(archive.identity.layers, layout.identity.layers)
        XCTAssertEqual(archive.identity.tag, "t")
        XCTAssertEqual(archive.identity.name, base + "/oci.tar")
        for (inArchive, inLayout) in zip(archive.layers, layout.layers) {
            XCTAssertEqual(inArchive.location.file.path, base + "/oci.tar")
            XCTAssertGreaterThan(inArchive.location.offset, 0)
            XCTAssertEqual(try bytes(inArchive.location), try bytes(inLayout.location))
            XCTAssertEqual(inArchive.diffID, inLayout.diffID)
            XCTAssertEqual(inArchive.compression, .gzip)
        }
        let unknown = imageError { try self.resolve("oci-archive:\(base)/oci.tar:nope") }
        XCTAssertTrue(unknown.contains("no image named 'nope'") && unknown.contains("names present: t"), unknown)
    }

    func testDockerArchiveBySkopeo() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try umociImage(base)
        for reference in ["docker-archive:\(base)/docker.tar", "docker-archive:\(base)/docker.tar:registry/app:1.2",
                          "docker-archive:\(base)/docker.tar:docker.io/registry/app:1.2", "docker-archive:\(base)/docker.tar:@0"] {
            let image = try resolve(reference)
            XCTAssertEqual(image.identity.name, "docker.io/registry/app", reference)
            XCTAssertEqual(image.identity.tag, "1.2")
            XCTAssertNil(image.identity.manifestDigest)
            XCTAssertEqual(image.identity.configDigest, layout.identity.configDigest)
            XCTAssertEqual(image.identity.platform, "linux/amd64")
            XCTAssertEqual(image.layers.map(\.diffID), layout.layers.map(\.diffID))
            for layer in image.layers {
                XCTAssertNil(layer.compression)
                XCTAssertEqual(BlobDigest.sha256(try bytes(layer.location)), layer.diffID)
            }
        }
        let unknown = imageError { try self.resolve("docker-archive:\(base)/docker.tar:registry/app:2") }
        XCTAssertTrue(unknown.contains("no image tagged 'registry/app:2'") && unknown.contains("docker.io/registry/app:1.2"), unknown)
        let index = imageError { try self.resolve("docker-archive:\(base)/docker.tar:@1") }
        XCTAssertTrue(index.contains("@1 is out of range"), index)
        let wrong = imageError { try self.resolve("docker-archive:\(base)/docker.tar", platform: try ImagePlatform(parsing: "linux/arm64", image: "")) }
        XCTAssertTrue(wrong.contains("the image is for linux/amd64, not linux/arm64"), wrong)
    }

    /// An oci-archive made with `tar -C layout .` (members named `./index.json`, ...).
    func testOCIArchiveOfAHandWrittenLayout() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try LayoutBuilder(base)
        let name = ["org.opencontainers.image.ref.name": "edge"]
        try layout.writeIndexJSON([try layout.image(layers: [["a": "1"], ["b": "2"]], descriptorExtra: ["annotations": name])])
        let tar = try LayoutBuilder.run(["tar", "-C", layout.path, "-cf", "-", "."])
        try Data(tar).write(to: URL(fileURLWithPath: base + "/layout.tar"))
        let direct = try resolve("oci:\(layout.path)", platform: amd64)
        let archived = try resolve("oci-archive:\(base)/layout.tar:edge", platform: amd64)
        XCTAssertEqual(archived.identity.manifestDigest, direct.identity.manifestDigest)
        XCTAssertEqual(archived.identity.layers, direct.identity.layers)
        for (inArchive, inLayout) in zip(archived.layers, direct.layers) {
            XCTAssertEqual(try bytes(inArchive.location), try bytes(inLayout.location))
        }
        try layout.writeIndexJSON([["mediaType": ImageMediaType.ociManifest, "digest": "sha256:../../../etc/passwd", "size": 1]])
        try Data(try LayoutBuilder.run(["tar", "-C", layout.path, "-cf", "-", "."])).write(to: URL(fileURLWithPath: base + "/bad.tar"))
        XCTAssertTrue(imageError { try self.resolve("oci-archive:\(base)/bad.tar") }.contains("malformed digest"))
    }

    func testCompressedOuterArchiveIsAClearError() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let tar = try LayoutBuilder.tar(["manifest.json": "[]"])
        try Data(try LayoutBuilder.run(["gzip", "-c"], input: tar)).write(to: URL(fileURLWithPath: base + "/image.tar.gz"))
        let message = imageError { try self.resolve("docker-archive:\(base)/image.tar.gz") }
        XCTAssertTrue(message.contains("gzip-compressed") && message.contains("gunzip"), message)
        try Data("not a tar at all, just text that is long enough for a header".utf8 + [UInt8](repeating: 0x41, count: 600))
            .write(to: URL(fileURLWithPath: base + "/junk.tar"))
        XCTAssertTrue(imageError { try self.resolve("oci-archive:\(base)/junk.tar") }.contains("not a tar archive"))
    }

    func testRootfsTarball() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let tar = try LayoutBuilder.tar(["etc/os-release": "ID=debian\n"])
        let path = base + "/root:fs.tar.gz"
        try Data(try LayoutBuilder.run(["gzip", "-n", "-c"], input: tar)).write(to: URL(fileURLWithPath: path))
        let image = try resolve("rootfs:\(path)")
        XCTAssertEqual(image.identity.reference, "rootfs:\(path)")
        XCTAssertEqual(image.identity.name, path)
        XCTAssertNil(image.identity.manifestDigest)
        XCTAssertEqual(image.identity.layers, [])
        XCTAssertEqual(image.layers.count, 1)
        XCTAssertNil(image.layers[0].digest)
        XCTAssertNil(image.layers[0].compression)
        XCTAssertEqual(image.layers[0].location.length, Int64((try FileManager.default.attributesOfItem(atPath: path))[.size] as! Int))
        XCTAssertTrue(imageError { try self.resolve("rootfs:\(path)", platform: self.amd64) }.contains("--platform cannot be checked"))
        XCTAssertTrue(imageError { try self.resolve("rootfs:\(base)/absent.tar") }.contains("cannot open"))
        XCTAssertTrue(imageError { try self.resolve("rootfs:\(base)") }.contains("not a regular file"))
    }
}
