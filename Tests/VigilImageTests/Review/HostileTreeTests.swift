import Foundation
import VigilCore
import VigilTarget
import XCTest
@testable import VigilImage

/// What an attacker who writes the layers can make `ImageTarget` do: every path and link
/// stays inside the image, and trees the kernel could not hold are errors, not crashes.
final class HostileTreeTests: XCTestCase {
    func entry(_ path: String, _ kind: LayerEntry.Kind = .directory, link: String = "") -> LayerEntry {
        LayerEntry(path: path, kind: kind, mode: 0o755, modifyTime: 1_700_000_000, linkName: link)
    }

    /// The image of `layers` (applied as `ImageOpener` applies them), or the error.
    func build(_ layers: [[LayerEntry]]) throws -> ImageTarget {
        let tree = ImageTree(rootTime: 1)
        let applier = LayerApplier(tree: tree, now: 2, image: "oci:/hostile:1")
        for (i, layer) in layers.enumerated() {
            for e in layer { try applier.apply(e, layer: i, label: "layer \(i + 1)") }
        }
        return ImageTarget(identity: ImageIdentity(reference: "oci:/hostile:1", name: "hostile"), tree: tree,
                           statisticsDirectory: NSTemporaryDirectory())
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body() } catch let e as ImageError { return e.description } catch { return "\(error)" }
        return "no error"
    }

    func testPathsAndLinksResolveInsideTheImage() throws {
        let t = try build([[
            entry("etc/"), entry("etc/hosts", .symlink, link: "/etc/../../../../etc/hostname"),
            entry("up", .symlink, link: "../../../../../"), entry("abs", .symlink, link: "/"),
            entry("loop1", .symlink, link: "loop2"), entry("loop2", .symlink, link: "loop1/x"),
            entry("self", .symlink, link: "self/self"), entry("empty", .symlink, link: ""),
        ]])
        XCTAssertEqual(try t.canonicalPath("/up/up/etc").get(), "/etc")
        XCTAssertEqual(try t.canonicalPath("/../../abs/../etc/").get(), "/etc")
        XCTAssertEqual(t.statResult("/etc/hosts", followLinks: true).failure?.code, ENOENT, "/etc/hostname is not in the image")
        XCTAssertEqual(t.statResult("/loop1", followLinks: true).failure?.code, ELOOP)
        XCTAssertEqual(t.statResult("/self/x", followLinks: true).failure?.code, ELOOP)
        XCTAssertEqual(t.statResult("/empty/x", followLinks: true).failure?.code, ENOENT)
        XCTAssertEqual(t.statResult("/etc/hosts/", followLinks: false).failure?.code, ENOENT)
        XCTAssertEqual(t.statResult("/etc\u{0}/hosts", followLinks: false).failure?.code, ENOENT, "a NUL is no end of path")
        XCTAssertThrowsError(try t.readFile("/up/etc/passwd", limit: 1 << 20))
    }

    func testTheRootStaysADirectory() throws {
        XCTAssertTrue(message { try self.build([[self.entry("./", .symlink, link: "/etc")]]) }.contains("root is not a directory"))
        XCTAssertTrue(message { try self.build([[self.entry(".", .regular)]]) }.contains("root is not a directory"))
        XCTAssertTrue(message { try self.build([[self.entry("a/.."), self.entry("x/../..", .regular)]]).statResult("/", followLinks: false) }
            .contains("'..'"))
    }

    func testHardLinksNameOnlyWhatIsInTheImage() throws {
        let removed = message {
            try self.build([[self.entry("f", .regular)], [self.entry(".wh.f", .regular), self.entry("g", .hardlink, link: "f")]])
        }
        XCTAssertTrue(removed.contains("which is not in the image"), removed)
        let t = try build([[entry("s", .symlink, link: "/etc/shadow"), entry("h", .hardlink, link: "s")]])
        XCTAssertEqual(t.readLink("/h"), "/etc/shadow", "a hard link to a symlink is that symlink")
        XCTAssertEqual(t.statResult("/h", followLinks: true).failure?.code, ENOENT)
        XCTAssertTrue(message { try self.build([[self.entry("d/"), self.entry("h", .hardlink, link: "d")]]) }.contains("directory"))
        XCTAssertTrue(message { try self.build([[self.entry("h", .hardlink, link: "../../etc/passwd")]]) }.contains("'..'"))
    }

    func testAChildOfAFileIsAnError() throws {
        let text = message { try self.build([[self.entry("d/"), self.entry("d", .regular), self.entry("d/x", .regular)]]) }
        XCTAssertTrue(text.contains("is not a directory"), text)
        XCTAssertTrue(message { try self.build([[self.entry("f", .regular), self.entry("f/x/y", .regular)]]) }.contains("cannot be reached"))
    }

    /// A path deeper than the kernel's PATH_MAX allows cannot be unpacked by any tool: an
    /// error naming the entry, and no stack overflow building or freeing the tree.
    func testAPathLongerThanPathMaxIsAnError() throws {
        let deep = String(repeating: "a/", count: 100_000) + "f"
        let text = message { try self.build([[self.entry(deep, .regular)]]) }
        XCTAssertTrue(text.contains("longer than"), text)
    }

    /// Links cannot stack paths deeper than PATH_MAX either: each hop resolves below the last.
    func testLinksCannotBuildATreeDeeperThanPathMax() throws {
        let segment = Array(repeating: "d", count: 1500).joined(separator: "/")
        var layer = [entry(segment + "/"), entry("l0", .symlink, link: segment)]
        for i in 1..<40 {
            layer.append(entry("l\(i - 1)/" + segment + "/"))
            layer.append(entry("l\(i)", .symlink, link: "l\(i - 1)/" + segment))
        }
        let text = message { try self.build([layer]) }
        XCTAssertTrue(text.contains("longer than"), text)
    }

    /// A link target the kernel would refuse (PATH_MAX bytes or more) is an error: resolving
    /// 40 hops of such targets would push millions of components per path looked up.
    func testALinkTargetOfPathMaxBytesIsAnError() throws {
        let long = String(repeating: "x/", count: 2048)
        let text = message { try self.build([[self.entry("l", .symlink, link: long)]]) }
        XCTAssertTrue(text.contains("its link target has 4096 bytes: a link target must be shorter than 4096 bytes"), text)
        XCTAssertTrue(message { try self.build([[self.entry("h", .hardlink, link: long)]]) }.contains("link target"))
        XCTAssertEqual(try build([[entry("l", .symlink, link: String(long.dropLast()))]]).readLink("/l")?.utf8.count, 4095)
    }

    /// Each entry's work is bounded by its path, never by the tree's depth times the entries.
    func testManyEntriesAtTheDeepestPathStayFast() throws {
        let dir = Array(repeating: "d", count: 2000).joined(separator: "/")
        var layer = [entry(dir + "/")]
        for i in 0..<2000 { layer.append(entry(dir + "/f\(i)", .regular)) }
        let start = Date()
        let t = try build([layer])
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(t.listDirectory("/" + dir)?.count, 2000)
    }
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { f } else { nil } }
}
