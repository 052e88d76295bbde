import Foundation
import VigilCore
import VigilTarget
import XCTest
@testable import VigilImage

/// Layers applied in order as a container runtime assembles them, read back through
/// `ImageTarget`: whiteouts, opaque directories, hard links, links in parents, refusals.
final class LayerApplierTests: XCTestCase {
    /// A file holding the bytes of every regular entry, as a spool would.
    final class Contents {
        let file: ImageFile
        private var end: Int64 = 0
        init() throws {
            let path = NSTemporaryDirectory() + "/vigil-applier-\(UUID().uuidString)"
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw POSIXError(.EIO) }
            unlink(path)
            file = ImageFile(fd: fd, path: "")
        }
        func add(_ text: String) -> BlobLocation {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { pwrite(file.fd, $0.baseAddress, $0.count, off_t(end)) }
            defer { end += Int64(bytes.count) }
            return BlobLocation(file: file, offset: end, length: Int64(bytes.count))
        }
    }

    var contents: Contents!

    override func setUp() async throws { contents = try Contents() }

    func file(_ path: String, _ text: String, mode: UInt32 = 0o644, uid: UInt32 = 0, gid: UInt32 = 0) -> LayerEntry {
        LayerEntry(path: path, kind: .regular, mode: mode, uid: uid, gid: gid, size: Int64(text.utf8.count),
                   modifyTime: 1_700_000_000, content: contents.add(text))
    }

    func dir(_ path: String, mode: UInt32 = 0o755) -> LayerEntry {
        LayerEntry(path: path, kind: .directory, mode: mode, modifyTime: 1_700_000_000)
    }

    func entry(_ path: String, _ kind: LayerEntry.Kind, link: String = "") -> LayerEntry {
        LayerEntry(path: path, kind: kind, mode: 0o644, modifyTime: 1_700_000_000, linkName: link)
    }

    /// The image made of `layers`, or the error applying them threw.
    func build(_ layers: [[LayerEntry]]) throws -> ImageTarget {
        let tree = ImageTree(rootTime: 1)
        let applier = LayerApplier(tree: tree, now: 2, image: "oci:/test:1")
        for (i, layer) in layers.enumerated() {
            for e in layer { try applier.apply(e, layer: i, label: "layer \(i + 1)") }
        }
        return ImageTarget(identity: ImageIdentity(reference: "oci:/test:1", name: "test"), tree: tree,
                           statisticsDirectory: NSTemporaryDirectory())
    }

    func text(_ t: ImageTarget, _ path: String) -> String? { t.readText(path) }

    func testUpperLayersReplaceAndWhiteoutsRemove() throws {
        let t = try build([
            [dir("etc/"), file("etc/passwd", "root:x:0:0\n"), file("etc/motd", "old"), dir("opt/"), file("opt/a", "a"),
             dir("opt/sub/"), file("opt/sub/b", "b")],
            [file("etc/passwd", "root:x:0:0\nuser:x:1000:1000\n"), entry("etc/.wh.motd", .regular),
             entry("opt/.wh..wh..opq", .regular), file("opt/new", "n")],
        ])
        XCTAssertEqual(text(t, "/etc/passwd"), "root:x:0:0\nuser:x:1000:1000\n")
        XCTAssertNil(t.fileInfo("/etc/motd"))
        XCTAssertEqual(t.listDirectory("/opt"), ["new"])
        XCTAssertNil(t.listDirectory("/etc/.wh.motd"))
    }

    func testWhiteoutKeepsWhatItsOwnLayerWrote() throws {
        // The same layer writes a/x then whites out a (from either order): a/x stays, a/old goes.
        let t = try build([
            [dir("a/"), file("a/old", "o"), file("b", "lower")],
            [file("a/x", "x"), entry(".wh.a", .regular), file("b", "upper"), entry(".wh.b", .regular)],
        ])
        XCTAssertEqual(t.listDirectory("/a"), ["x"])
        XCTAssertEqual(text(t, "/b"), "upper")
    }

    func testOpaqueDirectoryKeepsSameLayerEntries() throws {
        let t = try build([
            [dir("d/"), file("d/lower", "l"), dir("d/keep/"), file("d/keep/lower", "l")],
            [dir("d/"), dir("d/keep/"), file("d/keep/upper", "u"), entry("d/.wh..wh..opq", .regular)],
        ])
        XCTAssertEqual(t.listDirectory("/d"), ["keep"])
        XCTAssertEqual(t.listDirectory("/d/keep"), ["upper"])
    }

    func testDirectoryOverDirectoryKeepsEntriesAndTakesMetadata() throws {
        let t = try build([[dir("srv/", mode: 0o755), file("srv/x", "x")], [dir("srv/", mode: 0o700)]])
        XCTAssertEqual(t.listDirectory("/srv"), ["x"])
        XCTAssertEqual(t.fileInfo("/srv")!.mode & 0o7777, 0o700)
        XCTAssertTrue(t.fileInfo("/srv")!.isDirectory)
    }

    func testHardLinksShareTheirInodeAcrossLayers() throws {
        let t = try build([
            [dir("usr/bin/"), file("usr/bin/perl", "#!perl", mode: 0o4755, uid: 0, gid: 0)],
            [entry("usr/bin/perl5", .hardlink, link: "usr/bin/perl"), entry("x", .hardlink, link: "/usr/bin/perl")],
        ])
        let a = t.fileInfo("/usr/bin/perl")!, b = t.fileInfo("/usr/bin/perl5")!
        XCTAssertEqual(a.inode, b.inode)
        XCTAssertEqual(b.mode & 0o7777, 0o4755)
        XCTAssertEqual(text(t, "/usr/bin/perl5"), "#!perl")
        XCTAssertEqual(t.fileInfo("/x")?.inode, a.inode)
    }

    func testParentsAreResolvedThroughLinksInsideTheImage() throws {
        // lib -> usr/lib; an entry under lib/ lands in usr/lib. A link climbing out
        // (../../..) is clamped at the image's root, never the host's.
        let t = try build([
            [dir("usr/lib/"), LayerEntry(path: "lib", kind: .symlink, mode: 0o777, linkName: "usr/lib"),
             LayerEntry(path: "up", kind: .symlink, mode: 0o777, linkName: "../../../../../tmp")],
            [file("lib/libc.so", "elf"), file("up/escaped", "inside")],
        ])
        XCTAssertEqual(text(t, "/usr/lib/libc.so"), "elf")
        XCTAssertEqual(text(t, "/tmp/escaped"), "inside")
        XCTAssertEqual(try t.canonicalPath("/lib/libc.so").get(), "/usr/lib/libc.so")
        XCTAssertEqual(t.readLink("/up"), "../../../../../tmp")
        XCTAssertTrue(t.fileInfo("/lib", followLinks: false)!.isSymlink)
    }

    func testMissingParentsAreMadeAsRootOwnedDirectories() throws {
        let t = try build([[file("a/b/c", "deep")]])
        let info = t.fileInfo("/a/b")!
        XCTAssertTrue(info.isDirectory)
        XCTAssertEqual(info.mode & 0o7777, 0o755)
        XCTAssertEqual(info.uid, 0)
    }

    func testDevicesAreRecordedNeverOpened() throws {
        var node = entry("dev/sda", .blockDevice)
        node.deviceMajor = 8
        node.deviceMinor = 1
        let t = try build([[node, entry("dev/pipe", .fifo)]])
        let info = t.fileInfo("/dev/sda")!
        XCTAssertEqual(info.typeName, "block special")
        XCTAssertEqual(info.specialDevice, 8 << 8 | 1)
        XCTAssertThrowsError(try t.readFile("/dev/sda"))
        XCTAssertThrowsError(try t.readFile("/dev/pipe"))
    }

    func testHostileEntriesAreErrorsNamingImageLayerAndEntry() {
        let cases: [(LayerEntry, String)] = [
            (file("/etc/passwd", "x"), "absolute"),
            (file("etc/../../x", "x"), "'..'"),
            (entry("etc/.wh..", .regular), "whiteout"),
            (entry(".wh..", .regular), "whiteout"),
            (entry("link", .hardlink, link: "../../etc/shadow"), "'..'"),
            (entry("link", .hardlink, link: "missing"), "not in the image"),
            (entry("link", .hardlink, link: "etc"), "directory"),
            (file("etc/passwd/x", "x"), "not a directory"),
            (entry("./", .regular), "root"),
        ]
        for (bad, words) in cases {
            XCTAssertThrowsError(try build([[dir("etc/"), file("etc/passwd", "p")], [bad]]), bad.path) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("image oci:/test:1, layer 2, entry '"), text)
                XCTAssertTrue(text.contains(words), "\(bad.path): \(text)")
            }
        }
    }

    func testTheNamesTheTreeHoldsAtOnceAreLimited() throws {
        let tree = ImageTree(rootTime: 1)
        let applier = LayerApplier(tree: tree, now: 2, image: "oci:/test:1", maxFiles: 5)
        // The root, a/, a/x, a/y: four names; a whiteout of a/ gives them back.
        for e in [dir("a/"), file("a/x", "x"), file("a/y", "y")] { try applier.apply(e, layer: 0, label: "layer 1") }
        XCTAssertEqual(tree.names, 4)
        try applier.apply(entry(".wh.a", .regular), layer: 1, label: "layer 2")
        XCTAssertEqual(tree.names, 1)
        // Replacing a file keeps the count; b/c/d makes b and b/c on the way.
        for e in [file("f", "1"), file("f", "2"), file("b/c/d", "d")] { try applier.apply(e, layer: 1, label: "layer 2") }
        XCTAssertEqual(tree.names, 5)
        XCTAssertThrowsError(try applier.apply(entry("g", .hardlink, link: "f"), layer: 1, label: "layer 2")) { error in
            XCTAssertTrue("\(error)".contains("more than 5 names at once (limit maxFiles = 5)"), "\(error)")
        }
    }

    func testLinkLoopsAndDanglingLinks() throws {
        let t = try build([[LayerEntry(path: "a", kind: .symlink, linkName: "b"), LayerEntry(path: "b", kind: .symlink, linkName: "a"),
                            LayerEntry(path: "c", kind: .symlink, linkName: "/nowhere")]])
        XCTAssertEqual(t.statResult("/a").failureCode, ELOOP)
        XCTAssertEqual(t.statResult("/c").failureCode, ENOENT)
        XCTAssertNotNil(t.fileInfo("/c", followLinks: false))
    }
}

extension Result where Failure == TargetFailure {
    /// The errno of a failure, nil on success.
    var failureCode: Int32? {
        if case .failure(let f) = self { return f.code }
        return nil
    }
}
