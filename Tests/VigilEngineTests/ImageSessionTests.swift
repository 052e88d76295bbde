import Foundation
import VigilEngine
import VigilStore
import XCTest

/// `--image` through the scan session: the same verdicts as `--root` of the same files,
/// a record of kind image kept under the image's name, default content from the image's
/// os-release, and option mistakes caught before any work.
final class ImageSessionTests: XCTestCase {
    /// `root` as a root file-system tarball (GNU tar, owners by number), for `rootfs:`.
    func tarball(_ root: String, compress: Bool = false) throws -> String {
        let out = URL(fileURLWithPath: root).deletingLastPathComponent().path + "/rootfs.tar" + (compress ? ".gz" : "")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-C", root, "--numeric-owner", compress ? "-czf" : "-cf", out, "."]
        try tar.run()
        tar.waitUntilExit()
        XCTAssertEqual(tar.terminationStatus, 0)
        return out
    }

    func options(_ content: String?) -> ScanOptions {
        var options = ScanOptions(vigilVersion: "test")
        options.content = content
        options.jobs = 2
        return options
    }

    func testAnImageScansAsItsRootAndIsStoredUnderItsName() throws {
        let (path, root) = try TestDataStream.write(shadowMode: 0o644)
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let tar = try tarball(root, compress: true)
        var asRoot = options(path)
        asRoot.root = root
        var asImage = options(path)
        asImage.image = "rootfs:" + tar
        asImage.store = dir + "/vigil.db"
        let fromRoot = try ScanSession(asRoot).run()
        let fromImage = try ScanSession(asImage).run()
        let verdicts = { (o: ScanOutcome) in o.result.ruleResults.map { "\($0.ruleID) \($0.result)" } }
        XCTAssertEqual(verdicts(fromImage), verdicts(fromRoot))
        XCTAssertTrue(fromImage.result.ruleResults.contains { $0.result == .fail }, "the fixture fails a rule")
        let stored = try ScanStore(path: dir + "/vigil.db").scan("1")
        XCTAssertEqual(stored.targetKind, "image")
        XCTAssertEqual(stored.target, "rootfs:" + tar)
        XCTAssertEqual(stored.hostID, "image:" + tar, "a tarball has no name of its own: its path names the series")
        let image = try XCTUnwrap(stored.system?.image)
        XCTAssertNil(image.manifestDigest)
        XCTAssertEqual(image.layers, ["sha256:" + (try sha256(tar))], "a tarball is known by its digest")
    }

    func testImageNameNamesTheSeries() throws {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var o = options(path)
        o.image = "rootfs:" + (try tarball(root))
        o.imageName = "registry.example/app"
        o.store = dir + "/vigil.db"
        _ = try ScanSession(o).run()
        _ = try ScanSession(o).run()
        let store = try ScanStore(path: dir + "/vigil.db")
        XCTAssertEqual(try store.scan("2").hostID, "image:registry.example/app")
        XCTAssertEqual(try store.scan("2").hostName, "registry.example/app")
        XCTAssertEqual(try store.drift(from: nil, to: nil, force: false).from.id, 1, "the two scans are one series")
    }

    func testDefaultContentComesFromTheImagesOSRelease() throws {
        let guide = "/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: guide) || ProcessInfo.processInfo.environment["CI"] == "true",
                          "ssg-debderived is not installed")
        let (_, root) = try TestDataStream.write()
        try "ID=ubuntu\nVERSION_ID=\"22.04\"\nNAME=\"Ubuntu\"\n".write(toFile: root + "/etc/os-release", atomically: true, encoding: .utf8)
        var o = options(nil)
        o.image = "rootfs:" + (try tarball(root))
        o.rules = ["xccdf_org.ssgproject.content_rule_file_permissions_etc_shadow"]
        let events = EventLog()
        _ = try ScanSession(o).run { events.add($0) }
        let chosen = events.all.compactMap { event -> String? in
            if case .defaultContent(let c, _) = event { return c.path }
            return nil
        }
        XCTAssertEqual(chosen, [guide])
    }

    func testImageOptionMistakesAreErrorsBeforeAnyWork() throws {
        let (path, root) = try TestDataStream.write()
        func message(_ change: (inout ScanOptions) -> Void) -> String? {
            var o = options(path)
            change(&o)
            do { _ = try ScanSession(o).run(); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(message { $0.image = "rootfs:/x.tar"; $0.root = root }, "--image and --root cannot be used together")
        XCTAssertEqual(message { $0.platform = "linux/arm64" }, "--platform and --image-name need --image")
        let missing = message { $0.image = "oci:\(root)/nowhere:1" } ?? ""
        XCTAssertTrue(missing.hasPrefix("image oci:\(root)/nowhere:1"), missing)
        let bad = message { $0.image = "docker://debian:12" } ?? ""
        XCTAssertTrue(bad.contains("unknown transport 'docker'"), bad)
    }

    func sha256(_ path: String) throws -> String {
        let p = Process()
        let pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(out.prefix(64))
    }
}
