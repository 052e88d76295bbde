import Foundation
import VigilCore
import VigilTarget
import XCTest
@testable import VigilImage

/// The file system `ImageTarget` shows for an image is the one `umoci unpack` (as root)
/// writes, read through `RootTarget`: the edge cases of applying layers, one image each.
final class UmociComparisonTests: XCTestCase {
    typealias E = ReviewImages

    /// Opens the image of `layers` both ways and compares what a scan sees.
    func assertSameAsUmoci(_ layers: [[[String: Any]]], file: StaticString = #filePath, line: UInt = #line) throws {
        guard getuid() == 0 else { throw XCTSkip("umoci must unpack as root to keep owners and device nodes") }
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try E.layout(base, layers: try layers.map(E.tar))
        let rootfs = try E.umociRoot(layout, base: base)
        let image = try ImageOpener.open("oci:" + layout + ":t").target
        let disk = try RootTarget(rootfs)
        let seen = E.snapshot(image)
        XCTAssertEqual(seen, E.snapshot(disk), file: file, line: line)
        XCTAssertFalse(seen.isEmpty, file: file, line: line)
        for failure in ["unreadable", "cannot list", "no info", "-> ?"] {
            XCTAssertFalse(seen.contains { $0.contains(failure) }, "\(failure): \(seen)", file: file, line: line)
        }
        XCTAssertEqual(E.rootLine(image), E.rootLine(disk), file: file, line: line)
    }

    func testSymlinkedParentsMissingParentsAndRootEntry() throws {
        try assertSameAsUmoci([
            [E.entry("./", "dir", mode: 0o750, uid: 7), E.entry("usr/", "dir"), E.entry("usr/lib/", "dir"),
             E.entry("usr/lib/a", data: "a"), E.entry("lib", "symlink", link: "usr/lib"),
             E.entry("abs", "symlink", link: "/usr/lib"), E.entry("up", "symlink", link: "../../..")],
            [E.entry("lib/b", data: "through a relative link"), E.entry("abs/c", data: "through an absolute link"),
             E.entry("up/usr/lib/d", data: "through a link above the root"),
             E.entry("m/n/o/file", data: "missing parents"), E.entry("dangling", "symlink", link: "/x/y"),
             E.entry("dangling/z", data: "under a dangling link")],
        ])
    }

    func testWhiteoutsAndOpaqueDirectoriesKeepWhatTheirLayerWrote() throws {
        try assertSameAsUmoci([
            [E.entry("d/", "dir"), E.entry("d/a", data: "a"), E.entry("d/b", data: "b"), E.entry("o/", "dir"),
             E.entry("o/x", data: "x"), E.entry("o/sub/", "dir"), E.entry("o/sub/y", data: "y"),
             E.entry("j", data: "lower j"), E.entry("t/", "dir"), E.entry("t/keep", data: "k"),
             E.entry("l", "symlink", link: "t"), E.entry("q/", "dir"), E.entry("q/r", data: "r")],
            [E.entry("d/.wh.a"), E.entry("o/", "dir", mode: 0o700), E.entry("o/.wh..wh..opq"), E.entry("o/new", data: "n"),
             E.entry("k", data: "written then whited out"), E.entry(".wh.k"),
             E.entry(".wh.j"), E.entry("j", data: "upper j"),
             E.entry("l/.wh..wh..opq"), E.entry("l/fresh", data: "f"),
             E.entry("q/s", data: "s"), E.entry(".wh.q"), E.entry(".wh.missing")],
        ])
    }

    func testHardLinksShareTheInodeAndTheTargetsMetadata() throws {
        try assertSameAsUmoci([
            [E.entry("etc/", "dir"), E.entry("etc/passwd", data: "root:x:0:0", mode: 0o640, uid: 3),
             E.entry("bin/", "dir"), E.entry("bin/sh", data: "shell", mode: 0o755),
             E.entry("bin/rsh", "link", link: "bin/sh", mode: 0o4777, uid: 9),
             E.entry("s", "symlink", link: "etc/passwd"), E.entry("lnk", "symlink", link: "etc")],
            [E.entry("passwd-hl", "link", link: "/etc/passwd"), E.entry("s-hl", "link", link: "s"),
             E.entry("via-link", "link", link: "lnk/passwd"), E.entry("bin/sh", data: "new shell", mode: 0o700),
             E.entry("dev/", "dir"), E.entry("dev/null", "char", mode: 0o666), E.entry("fifo", "fifo", mode: 0o600)],
        ])
    }

    /// Odd spellings of paths resolve the same in the image and on umoci's rootfs.
    func testPathSpellingsResolveAsOnDisk() throws {
        guard getuid() == 0 else { throw XCTSkip("umoci must unpack as root") }
        let base = try LayoutBuilder.temporaryDirectory(self)
        let layout = try E.layout(base, layers: [try E.tar([
            E.entry("etc/", "dir"), E.entry("etc/passwd", data: "p"), E.entry("up", "symlink", link: "../../.."),
            E.entry("abs", "symlink", link: "/etc/passwd"), E.entry("dir", "symlink", link: "etc/"),
            E.entry("loop", "symlink", link: "loop"), E.entry("dangling", "symlink", link: "/nowhere/x"),
            E.entry("slash", "symlink", link: "etc/passwd/"), E.entry("dot", "symlink", link: "."),
        ])])
        let image = try ImageOpener.open("oci:" + layout + ":t").target
        let disk = try RootTarget(try E.umociRoot(layout, base: base))
        let paths = ["/", "//etc//passwd", "/etc/./passwd", "/etc/passwd/", "/etc/passwd/.", "/etc/passwd/..",
                     "/nowhere/..", "/..", "/../../etc", "/up/up/etc/passwd", "/abs", "/abs/", "/dir", "/dir/passwd",
                     "/dir/../etc", "/loop", "/loop/x", "/dangling", "/slash", "/dot/dot/dot/etc", "/up/../etc/passwd"]
        func describe(_ t: any Target, _ path: String, follow: Bool) -> String {
            let stat: String
            switch t.statResult(path, followLinks: follow) {
            case .success(let info): stat = String(info.mode, radix: 8)
            case .failure(let f): stat = "errno \(f.code)"
            }
            let canonical = (try? t.canonicalPath(path).get()) ?? "-"
            return "\(path) follow=\(follow): \(stat) \(canonical) \(t.readLink(path) ?? "-")"
        }
        for path in paths {
            for follow in [true, false] {
                XCTAssertEqual(describe(image, path, follow: follow), describe(disk, path, follow: follow))
            }
        }
    }

    func testNamesThatAreNotUTF8OrPlain() throws {
        try assertSameAsUmoci([
            [E.entry("caf%E9/", "dir"), E.entry("caf%E9/m%FCde", data: "latin-1"), E.entry("nl%0Aname", data: "newline"),
             E.entry("back%5Cslash", data: "b"), E.entry("sp ace/", "dir"), E.entry("sp ace/%C3%A9", data: "utf-8 é"),
             E.entry("l%FF", "symlink", link: "caf%E9/m%FCde"), E.entry("gone%FE", data: "g")],
            [E.entry(".wh.gone%FE"), E.entry("caf%E9/new", data: "through a latin-1 directory"),
             E.entry("h%FF", "link", link: "caf%E9/m%FCde")],
        ])
    }

    /// POSIX ACLs as `system.posix_acl_*` attributes: extended (a named user and a mask)
    /// or only the three base entries; a directory's default ACL.
    func testAccessControlListsFromExtendedAttributes() throws {
        let header = "%02%00%00%00", all = "%FF%FF%FF%FF"
        let base = header + "%01%00%06%00" + all + "%04%00%04%00" + all + "%20%00%04%00" + all
        let extended = header + "%01%00%06%00" + all + "%02%00%04%00%E8%03%00%00" + "%04%00%04%00" + all
            + "%10%00%04%00" + all + "%20%00%04%00" + all
        try assertSameAsUmoci([[
            E.entry("plain", data: "p"), E.entry("base", data: "b", xattrs: ["system.posix_acl_access": base]),
            E.entry("extended", data: "e", mode: 0o640, xattrs: ["system.posix_acl_access": extended]),
            E.entry("d/", "dir", xattrs: ["system.posix_acl_default": extended]),
            E.entry("d/inside", data: "created under a default ACL", mode: 0o600),
            E.entry("d/sub/", "dir", mode: 0o700),
            E.entry("user", data: "u", xattrs: ["user.note": "hello%00world"]),
            // The header says 0000 or 0600; the ACL, which the unpacked file keeps, says more.
            E.entry("shadow", data: "s", mode: 0, xattrs: ["system.posix_acl_access": extended]),
            E.entry("setuid", data: "x", mode: 0o4700, xattrs: ["system.posix_acl_access": base]),
            E.entry("private", data: "p", mode: 0o600, xattrs: ["system.posix_acl_access": base]),
        ]])
    }

    func testReplacingTypesAcrossLayers() throws {
        try assertSameAsUmoci([
            [E.entry("a/", "dir"), E.entry("a/child", data: "c"), E.entry("b", data: "file b"),
             E.entry("c", "symlink", link: "a"), E.entry("e/", "dir", mode: 0o700, uid: 4), E.entry("e/f", data: "f")],
            [E.entry("a", data: "a is a file now"), E.entry("b/", "dir"), E.entry("b/x", data: "x"),
             E.entry("c/", "dir"), E.entry("e/", "dir", mode: 0o755, uid: 5)],
        ])
    }
}
