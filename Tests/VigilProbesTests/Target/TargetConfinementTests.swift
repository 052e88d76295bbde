import Foundation
import XCTest
@testable import VigilProbes

/// `--root DIR` must never lead out of DIR, whatever links and `..` the image holds.
final class TargetConfinementTests: XCTestCase {
    /// A root whose links all try to reach the host's /etc/passwd.
    private func hostileRoot() throws -> FileFixture {
        let fx = try FileFixture()
        try fx.file("/etc/passwd", "inside:x:0:0::/:/bin/sh\n")
        try fx.link("/etc/abs", to: "/etc/passwd")
        try fx.link("/etc/dotdot", to: "../../../../../../../../etc/passwd")
        try fx.link("/escape", to: "../../../../../../../..")
        try fx.link("/etc/rootdir", to: "/")
        try fx.link("/etc/loop1", to: "loop2")
        try fx.link("/etc/loop2", to: "loop1")
        try fx.link("/etc/self", to: "self")
        try fx.link("/etc/chain", to: "abs")
        return fx
    }

    func testAbsoluteLinkStaysInsideRoot() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        XCTAssertEqual(t.readText("/etc/abs"), "inside:x:0:0::/:/bin/sh\n")
        XCTAssertEqual(t.readText("/etc/chain"), "inside:x:0:0::/:/bin/sh\n")
        XCTAssertEqual(t.resolve("/etc/abs"), fx.host("/etc/passwd"))
        XCTAssertEqual(try t.canonicalPath("/etc/abs").get(), "/etc/passwd")
    }

    func testDotDotNeverClimbsAboveRoot() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        XCTAssertEqual(t.readText("/etc/dotdot"), "inside:x:0:0::/:/bin/sh\n")
        XCTAssertEqual(t.readText("/../../../../etc/passwd"), "inside:x:0:0::/:/bin/sh\n")
        XCTAssertEqual(t.readText("/escape/etc/passwd"), "inside:x:0:0::/:/bin/sh\n")
        XCTAssertEqual(t.readText("/etc/rootdir/etc/passwd"), "inside:x:0:0::/:/bin/sh\n")
        XCTAssertEqual(t.resolve("/escape"), fx.root + "/")
        XCTAssertEqual(Set(t.listDirectory("/escape") ?? []), Set(t.listDirectory("/") ?? ["?"]))
        XCTAssertTrue((t.listDirectory("/escape") ?? []).contains("etc"))
    }

    func testLinkLoopsFailInsteadOfHanging() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        XCTAssertNil(t.fileInfo("/etc/loop1"))
        XCTAssertNil(t.fileInfo("/etc/self"))
        XCTAssertThrowsError(try t.readFile("/etc/loop1"))
        XCTAssertEqual(t.canonicalPath("/etc/loop1"), .failure(TargetFailure(ELOOP)))
        // The links themselves exist.
        XCTAssertEqual(t.fileInfo("/etc/loop1", followLinks: false)?.isSymlink, true)
        XCTAssertEqual(t.readLink("/etc/loop1"), "loop2")
    }

    func testMissingPathsAndNonDirectoriesInTheMiddle() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        XCTAssertNil(t.fileInfo("/etc/nope"))
        XCTAssertEqual(t.statResult("/etc/nope").map { _ in 0 }, .failure(TargetFailure(ENOENT)))
        XCTAssertEqual(t.statResult("/etc/passwd/x").map { _ in 0 }, .failure(TargetFailure(ENOTDIR)))
        // A trailing slash requires a directory, as POSIX says.
        XCTAssertNil(t.fileInfo("/etc/passwd/"))
        XCTAssertEqual(t.fileInfo("/etc/")?.isDirectory, true)
        XCTAssertNil(t.resolve("/etc/nope"))
    }

    func testLstatDoesNotFollowTheLastLink() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        let link = try XCTUnwrap(t.fileInfo("/etc/abs", followLinks: false))
        XCTAssertTrue(link.isSymlink)
        XCTAssertEqual(link.size, Int64("/etc/passwd".utf8.count))
        XCTAssertEqual(t.fileInfo("/etc/abs")?.isRegular, true)
        XCTAssertEqual(t.resolve("/etc/abs", followLast: false), fx.host("/etc/abs"))
    }

    func testDirectoryEntriesCarryLstatResults() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        let entries = try t.directoryEntries("/etc").get()
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.info) })
        XCTAssertEqual(Set(byName.keys), ["passwd", "abs", "dotdot", "rootdir", "loop1", "loop2", "self", "chain"])
        XCTAssertEqual(byName["abs"]??.isSymlink, true)
        XCTAssertEqual(byName["passwd"]??.isRegular, true)
        // Listing through a link that points at "/" lists the root, not the host's /.
        XCTAssertTrue(try t.directoryEntries("/etc/rootdir").get().contains { $0.name == "escape" })
        XCTAssertEqual(t.directoryEntries("/etc/passwd").map { _ in 0 }, .failure(TargetFailure(ENOTDIR)))
    }

    func testReadLimitAndDirectoriesAreErrors() throws {
        let fx = try hostileRoot()
        try fx.file("/big", String(repeating: "x", count: 1000))
        let t = try fx.target()
        XCTAssertEqual(try t.readFile("/big", limit: 1000).count, 1000)
        XCTAssertThrowsError(try t.readFile("/big", limit: 999))
        XCTAssertThrowsError(try t.readFile("/etc"))
    }

    func testRelativePathsAreReadFromTheRoot() throws {
        let fx = try hostileRoot()
        let t = try fx.target()
        XCTAssertEqual(t.readText("etc/passwd"), "inside:x:0:0::/:/bin/sh\n")
    }

    func testLiveHostReadsThroughTheKernel() throws {
        let fx = try FileFixture()
        try fx.file("/f.txt", "live")
        try fx.link("/l", to: "f.txt")
        let t = Targets.host
        XCTAssertEqual(t.kind, .host)
        XCTAssertEqual(t.capabilities, [.runtimeState, .systemBus])
        XCTAssertEqual(t.pathSpelling, .asGiven)
        XCTAssertEqual(t.readText(fx.host("/l")), "live")
        XCTAssertEqual(t.fileInfo(fx.host("/l"), followLinks: false)?.isSymlink, true)
        XCTAssertEqual(try t.canonicalPath(fx.host("/l")).get(), fx.host("/f.txt"))
        XCTAssertEqual(try t.directoryEntries(fx.root).get().map(\.name).sorted(), ["f.txt", "l"])
    }

    func testRootMustBeADirectory() throws {
        let fx = try FileFixture()
        try fx.file("/plain", "x")
        XCTAssertThrowsError(try RootTarget(fx.host("/plain")))
        XCTAssertThrowsError(try RootTarget(fx.host("/missing")))
        XCTAssertEqual(try Targets.root("/").kind, .host)
        XCTAssertEqual(try Targets.root(fx.root).kind, .root)
    }
}
