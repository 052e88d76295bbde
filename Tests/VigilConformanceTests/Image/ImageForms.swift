import Foundation
import XCTest

/// One test image in every form `vigil scan --image` reads, and its reference unpacking:
/// `build-image.py` (Tests/VigilImageTests/Fixtures) writes the preset twice, as the tests
/// give it (gzip, zstd and uncompressed layers) and with gzip layers only (umoci 0.4.7 and
/// docker archives know no zstd); umoci unpacks the latter as root into `bundle/rootfs`;
/// skopeo makes the oci-archive and docker-archive, tar (and gzip, zstd) the root
/// file-system tarballs of the unpacked root.
struct ImageForms {
    /// The builder script.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("VigilImageTests/Fixtures/build-image.py").path

    let dir: URL
    /// The preset it was built from.
    let preset: String
    /// The OCI layout as built (mixed compression), tag `t`.
    var layout: String { dir.appendingPathComponent("layout").path }
    /// The same image with gzip layers only.
    var gzipLayout: String { dir.appendingPathComponent("layout-gzip").path }
    /// umoci's unpacked root file system.
    var rootfs: String { dir.appendingPathComponent("bundle/rootfs").path }

    /// The tools the differential tests need, or a skip (a failure in CI, `CI=true`, which
    /// runs as root with umoci, skopeo, tar and zstd installed).
    static func requireTools() throws {
        var missing = ["umoci", "skopeo", "tar", "zstd", "gzip"].filter { Shell.which($0) == nil }
        if getuid() != 0 { missing.append("root (umoci unpack keeps owners, devices and xattrs as root only)") }
        guard missing.isEmpty else {
            let why = "image differential tests need " + missing.joined(separator: ", ")
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(why) }
            throw XCTSkip(why)
        }
    }

    /// Runs a program and fails with its output when it does not exit 0.
    @discardableResult
    static func check(_ exe: String, _ args: [String]) throws -> Shell.Output {
        let r = try Shell.run(Shell.which(exe) ?? exe, args)
        guard r.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(exe) \(args.joined(separator: " ")): \(r.stderr)"])
        }
        return r
    }

    /// Builds the preset in both compressions and unpacks the gzip one with umoci.
    static func make(_ preset: String, in dir: URL? = nil) throws -> ImageForms {
        let forms = ImageForms(dir: try dir ?? Shell.tempDir(), preset: preset)
        try check("python3", [script, "--preset", preset, forms.layout])
        try check("python3", [script, "--preset", preset, forms.gzipLayout, "--compression", "gzip"])
        try check("umoci", ["unpack", "--image", forms.gzipLayout + ":t", forms.dir.appendingPathComponent("bundle").path])
        return forms
    }

    /// The image as skopeo writes it into a docker archive (`docker save`'s format) named `name`.
    func dockerArchive(name: String = "app:1") throws -> String {
        let path = dir.appendingPathComponent("docker-\(name.replacingOccurrences(of: ":", with: "-")).tar").path
        try Self.check("skopeo", ["copy", "-q", "oci:\(gzipLayout):t", "docker-archive:\(path):\(name)"])
        return path
    }

    /// The image as Docker 25 and later save it (an OCI layout with uncompressed layers and
    /// the legacy manifest.json in one tar), named `app:1`.
    func dockerSave() throws -> String {
        let path = dir.appendingPathComponent("docker-save.tar").path
        try Self.check("python3", [Self.script, "--preset", preset, dir.appendingPathComponent("layout-none").path,
                                   "--compression", "none", "--docker-save", "\(path):app:1"])
        return path
    }

    /// The image (mixed compression) as an oci-archive with tag `t`.
    func ociArchive() throws -> String {
        let path = dir.appendingPathComponent("oci-archive.tar").path
        try Self.check("skopeo", ["copy", "-q", "oci:\(layout):t", "oci-archive:\(path):t"])
        return path
    }

    /// umoci's unpacked root as a root file-system tarball ("tar", "tar.gz" or "tar.zst"),
    /// as GNU tar writes it with owners by number and every extended attribute.
    func rootfsTarball(_ ext: String) throws -> String {
        let tar = dir.appendingPathComponent("rootfs.tar").path
        if !FileManager.default.fileExists(atPath: tar) {
            try Self.check("tar", ["--xattrs", "--xattrs-include=*", "--numeric-owner", "-C", rootfs, "-cf", tar, "."])
        }
        switch ext {
        case "tar.gz": try Self.check("sh", ["-c", "gzip -c '\(tar)' > '\(tar).gz'"])
        case "tar.zst": try Self.check("zstd", ["-q", "-f", tar, "-o", tar + ".zst"])
        default: return tar
        }
        return tar + "." + ext.dropFirst(4)
    }

    /// Every reference of the image, spelled as skopeo spells them: `oci:` (mixed and gzip;
    /// with and without the tag, the layout holding one image), `oci-archive:`,
    /// `docker-archive:` (skopeo's, with and without the image's name, as skopeo completes
    /// `app:1`; and Docker 25's),
    /// and `rootfs:` (plain, gzip, zstd).
    func references() throws -> [String] {
        let docker = try dockerArchive()
        return ["oci:\(layout):t", "oci:\(layout)", "oci:\(gzipLayout):t", "oci-archive:\(try ociArchive()):t",
                "docker-archive:\(docker)", "docker-archive:\(docker):app:1", "docker-archive:\(try dockerSave())",
                "rootfs:\(try rootfsTarball("tar"))", "rootfs:\(try rootfsTarball("tar.gz"))", "rootfs:\(try rootfsTarball("tar.zst"))"]
    }
}
