import Foundation
@testable import VigilProbes
import XCTest

/// The scan's shared listings: kept only for the walks that will read them, within the
/// budget, and each directory listed once however many walks cover it.
final class FileWalkSharedSourceTests: XCTestCase {
    private var fixtures: [FileFixture] = []

    override func tearDown() {
        for fx in fixtures { try? FileManager.default.removeItem(atPath: fx.host("/")) }
        fixtures = []
    }

    /// /d/{a,b,çé}, and `branches` x `width` files under /t/s/bN/.
    private func tree(branches: Int = 0, width: Int = 0) throws -> FileFixture {
        let fx = try FileFixture()
        fixtures.append(fx)
        for name in ["a", "b", "çé"] { try fx.file("/d/\(name)", "x") }
        for b in 0..<branches {
            for f in 0..<width { try fx.file("/t/s/b\(b)/f\(f)", "") }
        }
        return fx
    }

    private func identity(_ source: FileWalkSharedSource, _ path: String) throws -> FileIdentity {
        let info = try XCTUnwrap(source.info(path, followLinks: true))
        return FileIdentity(device: info.device, inode: info.inode)
    }

    private func names(_ r: Result<[DirectoryEntry], TargetFailure>) -> [String] {
        (try? r.get().map(\.name).sorted()) ?? []
    }

    func testAListingNoOtherWalkReadsIsNotKept() throws {
        let fx = try tree()
        let shared = FileWalkSharedSource(target: try fx.target(), budget: 1 << 20, readAhead: 0)
        let walk = try XCTUnwrap(shared.startWalk(key: nil, root: try identity(shared, "/d")))
        XCTAssertEqual(names(shared.entries(of: "/d", identity: nil, reader: FileWalkReader(walk: walk, interest: []))),
                       ["a", "b", "çé"])
        XCTAssertEqual(shared.keptBytes, 0)
        try fx.file("/d/c", "y")
        XCTAssertEqual(names(shared.entries(of: "/d")), ["a", "b", "c", "çé"], "listed afresh")
        if case .success = shared.entries(of: "/missing") { XCTFail("a missing directory fails") }
    }

    func testAListingIsKeptForTheOtherWalkUntilItReadsIt() throws {
        let fx = try tree()
        let shared = FileWalkSharedSource(target: try fx.target(), budget: 1 << 20, readAhead: 0)
        shared.announceWalk(key: "d", root: try identity(shared, "/d"))
        let top = try XCTUnwrap(shared.startWalk(key: nil, root: try identity(shared, "/")))
        let later = try XCTUnwrap(shared.walkRoots()[try identity(shared, "/d")]?.first)
        let first = try shared.entries(of: "/d", identity: nil, reader: FileWalkReader(walk: top, interest: [later])).get()
        XCTAssertGreaterThan(shared.keptBytes, 0, "kept for the announced walk")
        try fx.file("/d/c", "y")
        // The announced walk starts under its key and gets the kept listing, which is then dropped.
        XCTAssertEqual(shared.startWalk(key: "d", root: try identity(shared, "/d")), later)
        XCTAssertEqual(try shared.entries(of: "/d", identity: nil, reader: FileWalkReader(walk: later, interest: [])).get(), first)
        XCTAssertEqual(shared.keptBytes, 0)
        XCTAssertEqual(names(shared.entries(of: "/d")), ["a", "b", "c", "çé"])
    }

    func testAFinishedWalkReleasesWhatWasKeptForIt() throws {
        let fx = try tree()
        let shared = FileWalkSharedSource(target: try fx.target(), budget: 1 << 20, readAhead: 0)
        shared.announceWalk(key: "d", root: try identity(shared, "/d"))
        let later = try XCTUnwrap(shared.walkRoots()[try identity(shared, "/d")]?.first)
        _ = shared.entries(of: "/d", identity: nil, reader: FileWalkReader(walk: 99, interest: [later]))
        XCTAssertGreaterThan(shared.keptBytes, 0)
        shared.finishWalk(later)
        XCTAssertEqual(shared.keptBytes, 0)
        XCTAssertTrue(shared.walkRoots().isEmpty)
    }

    func testNothingIsKeptPastTheBudget() throws {
        let fx = try tree()
        let shared = FileWalkSharedSource(target: try fx.target(), budget: 0)
        shared.announceWalk(key: "d", root: try identity(shared, "/d"))
        let later = try XCTUnwrap(shared.walkRoots()[try identity(shared, "/d")]?.first)
        XCTAssertEqual(names(shared.entries(of: "/d", identity: nil, reader: FileWalkReader(walk: 99, interest: [later]))),
                       ["a", "b", "çé"])
        XCTAssertEqual(shared.keptBytes, 0)
    }

    /// A walk of /t and a walk of /t/s announced before either starts (a planned batch)
    /// list each directory once between them, in either order and with reading ahead, and
    /// each finds what it would find alone; nothing is left kept.
    func testNestedWalksListEachDirectoryOnce() throws {
        let fx = try tree(branches: 40, width: 5)
        for readAhead in [0, 2] {
            for innerFirst in [false, true] {
                let counting = ListingCounter(try fx.target())
                let shared = FileWalkSharedSource(target: counting, budget: 1 << 20, readAhead: readAhead)
                let outer = try request("/t"), inner = try request("/t/s")
                shared.announceWalk(key: try XCTUnwrap(outer.sharedWalkKey), root: try identity(shared, "/t"))
                shared.announceWalk(key: try XCTUnwrap(inner.sharedWalkKey), root: try identity(shared, "/t/s"))
                var found: [String: Set<String>] = [:]
                for r in innerFirst ? [inner, outer] : [outer, inner] {
                    _ = FileWalk.walk(r, filenames: [try filename()], source: shared, spelling: .underRoot,
                                      walkKey: r.sharedWalkKey) { _, e in found[r.sharedWalkKey!, default: []].insert(e.filepath) }
                }
                XCTAssertEqual(found[outer.sharedWalkKey!]?.count, 200)
                XCTAssertEqual(found[inner.sharedWalkKey!]?.count, 200)
                XCTAssertEqual(counting.maxPerPath, 1, "read ahead \(readAhead), inner first \(innerFirst): \(counting.counts)")
                XCTAssertEqual(counting.counts.count, 42, "/t, /t/s and 40 branches")
                XCTAssertEqual(shared.keptBytes, 0)
                XCTAssertLessThanOrEqual(shared.peakBytes, 1 << 20)
            }
        }
    }

    /// With a budget far smaller than the tree, the walks still find everything; memory
    /// stays within the budget and directories are listed again instead.
    func testASmallBudgetBoundsMemoryNotAnswers() throws {
        let fx = try tree(branches: 40, width: 5)
        let counting = ListingCounter(try fx.target())
        let shared = FileWalkSharedSource(target: counting, budget: 3000, readAhead: 2)
        let outer = try request("/t"), inner = try request("/t/s")
        shared.announceWalk(key: try XCTUnwrap(inner.sharedWalkKey), root: try identity(shared, "/t/s"))
        var total = 0
        for r in [outer, inner] {
            _ = FileWalk.walk(r, filenames: [try filename()], source: shared, spelling: .underRoot,
                              walkKey: r.sharedWalkKey) { _, _ in total += 1 }
        }
        XCTAssertEqual(total, 400)
        XCTAssertLessThanOrEqual(shared.peakBytes, 3000)
        XCTAssertGreaterThan(counting.maxPerPath, 1, "past the budget, listed again")
        XCTAssertEqual(shared.keptBytes, 0)
    }

    private func request(_ path: String) throws -> FileWalkRequest {
        FileWalkRequest(selection: .path(Obj.walk("path", path), filename: try filename()),
                        behaviors: try FileWalkBehaviors(attributes: ["recurse_direction": "down", "max_depth": "-1"]))
    }

    private func filename() throws -> FileWalkEntity { Obj.walk("filename", "^f", .patternMatch) }
}
