import XCTest
@testable import VigilImage

/// Reference strings as skopeo spells them: transports, paths, names, indexes, and errors
/// that name what is wrong.
final class ImageReferenceTests: XCTestCase {
    private func parse(_ text: String) throws -> ImageReference { try ImageReference(parsing: text, relativeTo: "/work/ci") }

    func testTransportsPathsAndSelectors() throws {
        let cases: [(String, ImageReference.Transport, String, ImageReference.Selector?)] = [
            ("oci:layout", .oci, "/work/ci/layout", nil),
            ("oci:/srv/layout:latest", .oci, "/srv/layout", .name("latest")),
            ("oci:../l:docker.io/library/debian:12", .oci, "/work/l", .name("docker.io/library/debian:12")),
            ("oci:l:@2", .oci, "/work/ci/l", .index(2)),
            ("oci-archive:./a/../img.tar:v1.0", .ociArchive, "/work/ci/img.tar", .name("v1.0")),
            ("docker-archive:img.tar:@0", .dockerArchive, "/work/ci/img.tar", .index(0)),
            ("rootfs:/tmp/root:fs.tar.zst", .rootfs, "/tmp/root:fs.tar.zst", nil),
        ]
        for (text, transport, path, selector) in cases {
            let reference = try parse(text)
            XCTAssertEqual(reference.transport, transport, text)
            XCTAssertEqual(reference.path, path, text)
            XCTAssertEqual(reference.selector, selector, text)
            XCTAssertEqual(reference.original, text)
        }
        XCTAssertEqual(try parse("oci:l:@2").normalized, "oci:/work/ci/l:@2")
        XCTAssertEqual(try parse("docker-archive:x.tar:busybox").normalized, "docker-archive:/work/ci/x.tar:busybox")
    }

    func testDockerArchiveNamesAreNormalisedAsDockerDoes() throws {
        guard case .dockerTag(let name)? = try parse("docker-archive:x.tar:busybox").selector else { return XCTFail() }
        XCTAssertEqual(name.canonical, "docker.io/library/busybox:latest")
        let cases = ["registry:5000/team/app:1.2": "registry:5000/team/app:1.2", "localhost/app": "localhost/app:latest",
                     "team/app:v2": "docker.io/team/app:v2", "index.docker.io/library/debian:12": "docker.io/library/debian:12",
                     "quay.io/app": "quay.io/app:latest"]
        for (raw, canonical) in cases { XCTAssertEqual(try DockerReferenceName(parsing: raw).canonical, canonical, raw) }
        XCTAssertEqual(DockerReferenceName.splitTag("registry:5000/app").tag, nil)
        XCTAssertEqual(DockerReferenceName.splitTag("registry:5000/app:1").repository, "registry:5000/app")
    }

    func testBadReferencesSayWhatIsWrongAndWhatIsAccepted() {
        let cases = [
            "/srv/layout": "no transport given",
            "docker://debian:12": "unknown transport 'docker'",
            "oci:": "no path given",
            "oci::latest": "no path given",
            "oci:l:": "empty name after the path",
            "oci:l:bad name": "invalid image name 'bad name'",
            "oci:l:-x": "invalid image name '-x'",
            "oci:l:@-1": "invalid source index '@-1'",
            "oci:l:@x": "invalid source index '@x'",
            "oci-archive:a.tar:@0": "oci-archive does not take an index",
            "docker-archive:a.tar:Upper/App": "invalid image name 'Upper/App'",
            "docker-archive:a.tar:app@sha256:" + String(repeating: "a", count: 64): "invalid image name 'app@sha256:",
        ]
        for (text, expected) in cases {
            let message = imageError { try self.parse(text) }
            XCTAssertTrue(message.hasPrefix("image \(text): \(expected)"), message)
            XCTAssertTrue(message.contains("accepted forms: oci:DIR[:TAG], oci-archive:FILE[:TAG]"), message)
        }
        XCTAssertTrue(imageError { try self.parse("docker-archive:a.tar:app@sha256:1") }.contains("digest references are not supported"))
    }

    func testDigestHelpers() throws {
        XCTAssertEqual(BlobDigest.sha256(Array("abc".utf8)),
                       "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try BlobDigest.hex("sha256:" + String(repeating: "0", count: 64), image: "i"), String(repeating: "0", count: 64))
    }
}
