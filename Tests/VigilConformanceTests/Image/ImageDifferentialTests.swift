import Foundation
import VigilImage
import VigilTarget
import XCTest

/// `--image` against the reference: each test image is unpacked as root by umoci 0.4.7, and
/// what Vigil reads from the image (in every form: OCI layout with gzip, zstd and plain
/// layers, oci-archive, docker-archive, root file-system tarballs) must be that root,
/// path by path and verdict by verdict.
final class ImageDifferentialTests: XCTestCase {
    static let baseline = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rules/linux-baseline").path

    /// (a) the whole file system: the same paths, and for each the same type, mode, owners,
    /// size, content, link target, extended ACL, device numbers, time and hard links. The
    /// images: the Debian root in three layers, the `edges` layers, a symbolic link out of
    /// the image with an entry written through it (both confine it), a device node.
    func testFileSystemIsUmocisUnpackingInEveryForm() throws {
        try ImageForms.requireTools()
        for preset in ["debian", "edges", "hostile-symlink-out", "hostile-symlink-absolute-out", "hostile-symlink-read-out",
                       "hostile-device"] {
            let start = Int64(Date().timeIntervalSince1970) - 2
            let forms = try ImageForms.make(preset)
            // umoci's unpacking holds names that are not UTF-8: left behind, they would
            // change what later tests' walks of this machine find.
            addTeardownBlock { try? FileManager.default.removeItem(at: forms.dir) }
            let reference = try FileSystemSnapshot.take(try RootTarget(forms.rootfs), madeAfter: start)
            XCTAssertGreaterThan(reference.count, 5, "\(preset): umoci unpacked \(reference.count) paths")
            for ref in try forms.references() {
                let image = try ImageOpener.open(ref, platform: nil, limits: ImageLimits())
                let differences = FileSystemSnapshot.differences(reference: reference, candidate: try FileSystemSnapshot.take(image.target, madeAfter: start))
                XCTAssertTrue(differences.isEmpty, "\(preset) as \(ref): \(differences.count) differences:\n"
                              + differences.prefix(20).joined(separator: "\n"))
            }
        }
    }

    /// (b) verdicts: `rules/linux-baseline` on umoci's root (`--root`) and on the image in
    /// each form, rule by rule; the images (the Debian root, and it with a fourth layer that
    /// fixes some rules) have rules that pass and rules that fail.
    func testBaselineVerdictsAreTheUnpackedRootsInEveryForm() throws {
        try ImageForms.requireTools()
        for preset in ["debian", "debian-fixed"] {
            let forms = try ImageForms.make(preset)
            addTeardownBlock { try? FileManager.default.removeItem(at: forms.dir) }
            let reference = try verdicts(["--root", forms.rootfs], work: forms.dir)
            XCTAssertGreaterThan(reference.values.filter { $0 == "pass" }.count, 10, "\(preset): \(reference)")
            XCTAssertGreaterThan(reference.values.filter { $0 == "fail" }.count, 10, "\(preset): \(reference)")
            for ref in try forms.references() {
                let candidate = try verdicts(["--image", ref], work: forms.dir)
                let differing = reference.keys.filter { reference[$0] != candidate[$0] }.sorted()
                    .map { "\($0): --root \(reference[$0] ?? "-"), --image \(candidate[$0] ?? "-")" }
                XCTAssertEqual(differing, [], "\(preset) as \(ref)")
                XCTAssertEqual(Set(candidate.keys), Set(reference.keys), "\(preset) as \(ref)")
            }
        }
    }

    /// (c) a two-platform index: this machine's platform (here amd64) by default, arm64/v8 with
    /// `--platform`, each with its own files and the identity of its own config; both as a
    /// nested index (index.json names an image index) and as index.json listing both
    /// manifests under one tag.
    func testIndexGivesEachPlatformItsOwnContent() throws {
        try ImageForms.requireTools()
        let dir = try Shell.tempDir()
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        for preset in ["two-platform", "two-platform-flat"] {
            let layout = dir.appendingPathComponent(preset).path
            try ImageForms.check("python3", [ImageForms.script, "--preset", preset, layout])
            // The same layout as an oci-archive (the layout's files in one tar).
            let archive = layout + ".tar"
            try ImageForms.check("tar", ["-C", layout, "-cf", archive, "."])
            for ref in ["oci:\(layout):t", "oci-archive:\(archive):t"] {
                try checkPlatforms(ref)
            }
            XCTAssertThrowsError(try ImageOpener.open("oci:\(layout):t", platform: "linux/s390x", limits: ImageLimits())) {
                XCTAssertTrue("\($0)".contains("oci:\(layout):t"), "\($0)")
            }
        }
        // skopeo, the reference for choosing (1.9.3 chooses by platform in a nested index
        // only): the manifest it copies for arm64 is the one Vigil names.
        let layout = dir.appendingPathComponent("two-platform").path
        let copy = dir.appendingPathComponent("arm64").path
        try ImageForms.check("skopeo", ["copy", "-q", "--override-arch", "arm64", "--override-variant", "v8", "oci:\(layout):t", "oci:\(copy):t"])
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: copy + "/index.json"))) as? [String: Any]
        let digest = try XCTUnwrap((index?["manifests"] as? [[String: Any]])?.first?["digest"] as? String)
        let arm = try ImageOpener.open("oci:\(layout):t", platform: "linux/arm64", limits: ImageLimits())
        XCTAssertEqual(arm.identity.manifestDigest, digest)
    }

    /// Each platform of the two-platform image `ref` has its own files and identity.
    func checkPlatforms(_ ref: String) throws {
        var machine = utsname()
        uname(&machine)
        let own = withUnsafeBytes(of: machine.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let host = own == "aarch64" ? "arm64" : "amd64"
        for (platform, arch) in [(nil, host), ("linux/amd64", "amd64"), ("linux/arm64", "arm64"), ("linux/arm64/v8", "arm64")] {
            let what = "\(ref) \(platform ?? "default")"
            let image = try ImageOpener.open(ref, platform: platform, limits: ImageLimits())
            XCTAssertEqual(image.target.readText("/etc/platform"), "linux/\(arch)\n", what)
            XCTAssertNotNil(image.target.fileInfo("/usr/lib/only-\(arch)"), what)
            XCTAssertNil(image.target.fileInfo("/usr/lib/only-\(arch == "amd64" ? "arm64" : "amd64")"), what)
            XCTAssertEqual(image.identity.architecture, arch, what)
            XCTAssertEqual(image.identity.os, "linux", what)
        }
    }

    /// Every rule's result in a `vigil scan` of the baseline with `target` options, by rule id.
    func verdicts(_ target: [String], work: URL) throws -> [String: String] {
        let report = work.appendingPathComponent("report-\(UUID().uuidString).json").path
        let run = try Shell.run(Shell.vigilBinary, ["scan", Self.baseline] + target + ["--no-store", "--quiet", "--report", "json:\(report)"])
        XCTAssertEqual(run.status, 2, "\(target): \(run.stderr)")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let rules = try XCTUnwrap(json["rules"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: rules.compactMap { r in (r["id"] as? String).map { ($0, r["result"] as? String ?? "") } })
    }
}
