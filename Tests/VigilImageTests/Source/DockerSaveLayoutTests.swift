import Foundation
import VigilCore
import XCTest
@testable import VigilImage

/// `docker save`'s legacy layout written by hand (`<id>/layer.tar`, `<hex>.json`,
/// manifest.json, repositories; shared layers as symbolic links), and the outer tar walker
/// on GNU and PAX long names.
final class DockerSaveLayoutTests: XCTestCase {
    /// A tar of `members` (name → content, or "->target" for a symbolic link) in Python's
    /// `format` ("gnu", "pax", "ustar").
    private func tar(_ members: [(String, String)], format: String = "gnu") throws -> [UInt8] {
        let script = """
        import io, json, sys, tarfile
        spec = json.load(sys.stdin)
        fmt = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}[spec["format"]]
        with tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=fmt) as out:
            for name, value in spec["members"]:
                info = tarfile.TarInfo(name)
                if value.startswith("->"):
                    info.type, info.linkname = tarfile.SYMTYPE, value[2:]
                    out.addfile(info)
                else:
                    data = value.encode()
                    info.size = len(data)
                    out.addfile(info, io.BytesIO(data))
        """
        let spec = LayoutBuilder.json(["format": format, "members": members.map { [$0.0, $0.1] }])
        return try LayoutBuilder.run(["python3", "-c", script], input: spec)
    }

    private func resolve(_ reference: String) throws -> ResolvedImage {
        try ImageSource.resolve(try ImageReference(parsing: reference), platform: nil, limits: ImageLimits())
    }

    /// Two images sharing their lowest layer, as `docker save app:1.0 registry.example.com/team/app:2.0` writes them.
    private func legacyArchive(_ base: String, layers: [String]? = nil, configText: String? = nil) throws -> (String, [String]) {
        let lower = String(decoding: try LayoutBuilder.tar(["etc/os-release": "ID=debian\n"]), as: UTF8.self)
        let upper = String(decoding: try LayoutBuilder.tar(["etc/motd": "hello\n"]), as: UTF8.self)
        let diffIDs = [lower, upper].map { BlobDigest.sha256(Array($0.utf8)) }
        func config(_ ids: [String]) -> String {
            String(decoding: LayoutBuilder.json(["os": "linux", "architecture": "arm64", "variant": "v8",
                                                 "rootfs": ["type": "layers", "diff_ids": ids]]), as: UTF8.self)
        }
        let config1 = config([diffIDs[0]]), config2 = configText ?? config(diffIDs)
        let hex1 = String(BlobDigest.sha256(Array(config1.utf8)).dropFirst(7))
        let hex2 = String(BlobDigest.sha256(Array(config(diffIDs).utf8)).dropFirst(7))
        let id1 = String(repeating: "1", count: 64), id2 = String(repeating: "2", count: 64)
        let manifest = LayoutBuilder.json([
            ["Config": "\(hex1).json", "RepoTags": ["app:1.0"], "Layers": ["\(id1)/layer.tar"]],
            ["Config": "\(hex2).json", "RepoTags": ["registry.example.com/team/app:2.0"],
             "Layers": layers ?? ["\(id1)/layer.tar", "\(id2)/layer.tar"]],
        ])
        let archive = try tar([
            ("\(id1)/VERSION", "1.0"), ("\(id1)/json", "{}"), ("\(id1)/layer.tar", lower),
            ("\(id2)/VERSION", "1.0"), ("\(id2)/json", "{}"), ("\(id2)/layer.tar", upper),
            ("\(id2)/shared.tar", "->../\(id1)/layer.tar"), ("escape.tar", "->../../etc/passwd"),
            ("\(hex1).json", config1), ("\(hex2).json", config2),
            ("manifest.json", String(decoding: manifest, as: UTF8.self)),
            ("repositories", #"{"app":{"1.0":"\#(id1)"}}"#),
        ])
        let path = base + "/saved.tar"
        try Data(archive).write(to: URL(fileURLWithPath: path))
        return (path, diffIDs)
    }

    func testLegacyLayoutByTagAndIndex() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let (path, diffIDs) = try legacyArchive(base)
        let ambiguous = imageError { try self.resolve("docker-archive:\(path)") }
        XCTAssertTrue(ambiguous.contains("holds 2 images") && ambiguous.contains("app:1.0, registry.example.com/team/app:2.0"),
                      ambiguous)
        let second = try resolve("docker-archive:\(path):registry.example.com/team/app:2.0")
        XCTAssertEqual(second.identity.name, "registry.example.com/team/app")
        XCTAssertEqual(second.identity.tag, "2.0")
        XCTAssertEqual(second.identity.platform, "linux/arm64/v8")
        XCTAssertEqual(second.identity.layers, diffIDs)
        XCTAssertEqual(second.layers.map(\.diffID), diffIDs)
        XCTAssertEqual(second.layers.map(\.digest), [nil, nil])
        for layer in second.layers {
            let bytes = try ImageStore.read(layer.location.file, at: layer.location.offset, count: Int(layer.location.length), image: "")
            XCTAssertEqual(BlobDigest.sha256(bytes), layer.diffID)
        }
        let latest = imageError { try self.resolve("docker-archive:\(path):app") }
        XCTAssertTrue(latest.contains("no image tagged 'app' (docker.io/library/app:latest)"), latest)
        let first = try resolve("docker-archive:\(path):app:1.0")
        XCTAssertEqual(first.identity.name, "app")
        XCTAssertEqual(first.identity.tag, "1.0")
        XCTAssertEqual(try resolve("docker-archive:\(path):@1").identity.configDigest, second.identity.configDigest)
        XCTAssertEqual(try resolve("docker-archive:\(path):docker.io/library/app:1.0").identity.configDigest,
                       first.identity.configDigest)
    }

    func testSharedLayerThroughSymlinkAndLinksLeavingTheArchive() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let id1 = String(repeating: "1", count: 64), id2 = String(repeating: "2", count: 64)
        let (shared, _) = try legacyArchive(base, layers: ["\(id1)/layer.tar", "\(id2)/shared.tar"])
        let image = try resolve("docker-archive:\(shared):@1")
        XCTAssertEqual(image.layers[1].location.offset, image.layers[0].location.offset)
        let out = try legacyArchive(base, layers: ["\(id1)/layer.tar", "escape.tar"]).0
        let message = imageError { try self.resolve("docker-archive:\(out):@1") }
        XCTAssertTrue(message.contains("layer 2 escape.tar is missing from the archive"), message)
    }

    func testTraversalAndMissingLayersAreErrors() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        for bad in ["../outside/layer.tar", "/etc/passwd", "a/../../b"] {
            let (path, _) = try legacyArchive(base, layers: ["\(String(repeating: "1", count: 64))/layer.tar", bad])
            let message = imageError { try self.resolve("docker-archive:\(path):@1") }
            XCTAssertTrue(message.contains("path '\(bad)' leaves the image's layout or archive"), message)
        }
        let (missing, _) = try legacyArchive(base, layers: ["\(String(repeating: "1", count: 64))/layer.tar", "nope/layer.tar"])
        let message = imageError { try self.resolve("docker-archive:\(missing):@1") }
        XCTAssertTrue(message.contains("layer 2 nope/layer.tar is missing"), message)
    }

    func testConfigDigestAndDiffIDCount() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let (tampered, _) = try legacyArchive(base, configText: #"{"os":"linux","architecture":"amd64"}"#)
        let message = imageError { try self.resolve("docker-archive:\(tampered):@1") }
        XCTAssertTrue(message.contains("does not match its digest"), message)
        let (extra, _) = try legacyArchive(base, layers: ["\(String(repeating: "1", count: 64))/layer.tar"])
        let count = imageError { try self.resolve("docker-archive:\(extra):@1") }
        XCTAssertTrue(count.contains("lists 2 diff_ids for 1 layers"), count)
    }

    /// Docker 25 and later: an OCI layout in the archive, manifest.json naming its blobs.
    func testDockerSaveWithBlobsLayout() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layer = try LayoutBuilder.tar(["etc/os-release": "ID=alpine\n"])
        let layerDigest = BlobDigest.sha256(layer)
        let config = LayoutBuilder.json(["os": "linux", "architecture": "amd64", "rootfs": ["type": "layers", "diff_ids": [layerDigest]]])
        let configDigest = BlobDigest.sha256(config)
        func archive(layerPath: String) throws -> String {
            let manifest = LayoutBuilder.json([["Config": "blobs/sha256/" + configDigest.dropFirst(7), "RepoTags": ["alpine:3.20"],
                                                "Layers": [layerPath]]])
            let path = base + "/\(UUID().uuidString).tar"
            try Data(try tar([("blobs/sha256/" + configDigest.dropFirst(7), String(decoding: config, as: UTF8.self)),
                              ("blobs/sha256/" + layerDigest.dropFirst(7), String(decoding: layer, as: UTF8.self)),
                              ("manifest.json", String(decoding: manifest, as: UTF8.self))])).write(to: URL(fileURLWithPath: path))
            return path
        }
        let image = try resolve("docker-archive:\(try archive(layerPath: "blobs/sha256/" + layerDigest.dropFirst(7))):alpine:3.20")
        XCTAssertEqual(image.identity.name, "alpine")
        XCTAssertEqual(image.identity.configDigest, configDigest)
        XCTAssertEqual(image.layers.map(\.digest), [layerDigest])
        XCTAssertEqual(image.identity.layers, [layerDigest])
        let bad = imageError { try self.resolve("docker-archive:\(try archive(layerPath: "blobs/sha256/xyz"))") }
        XCTAssertTrue(bad.contains("malformed digest 'sha256:xyz'"), bad)
    }

    func testMalformedManifestJSONNamesTheFile() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        try Data(try tar([("manifest.json", #"[{"Config": 1}]"#)])).write(to: URL(fileURLWithPath: base + "/bad.tar"))
        let message = imageError { try self.resolve("docker-archive:\(base)/bad.tar") }
        XCTAssertTrue(message.contains("manifest.json is not valid"), message)
        try Data(try tar([("index.json", "{}")])).write(to: URL(fileURLWithPath: base + "/none.tar"))
        XCTAssertTrue(imageError { try self.resolve("docker-archive:\(base)/none.tar") }.contains("no manifest.json"))
    }

    func testLongNamesInGNUAndPAXArchives() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let long = String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 150)
        for format in ["gnu", "pax", "ustar"] {
            let name = format == "ustar" ? String(repeating: "p", count: 120) + "/short" : long
            try Data(try tar([("./first", "one"), (name, "the content"), ("last", "two")], format: format))
                .write(to: URL(fileURLWithPath: base + "/\(format).tar"))
            let index = try ArchiveIndex(path: base + "/\(format).tar", image: "x", limits: ImageLimits())
            let location = try XCTUnwrap(index.location(of: name), format)
            XCTAssertEqual(try ImageStore.read(location.file, at: location.offset, count: Int(location.length), image: ""),
                           Array("the content".utf8), format)
            XCTAssertNotNil(index.location(of: "first"), format)
            XCTAssertEqual(index.members.count, 3, format)
        }
    }

    func testTruncatedArchiveIsAnError() throws {
        let base = try LayoutBuilder.temporaryDirectory(self)
        let whole = try tar([("manifest.json", String(repeating: "x", count: 3000))])
        try Data(whole.prefix(2048)).write(to: URL(fileURLWithPath: base + "/cut.tar"))
        let message = imageError { try ArchiveIndex(path: base + "/cut.tar", image: "x", limits: ImageLimits()) }
        XCTAssertTrue(message.contains("truncated"), message)
    }
}
