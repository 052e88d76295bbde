import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// Very deep directory trees: the walk neither overflows the stack nor needs a descriptor
/// per level, takes time linear in the number of levels it lists, and stops with an error
/// at `FileWalk.depthLimit`.
final class DeepTreeTests: XCTestCase {
    /// A chain of `depth` directories named "d" under `base`, with "f.conf" at the bottom
    /// and "mid.conf" at level `mid` (built with `mkdirat`, as no path can name the bottom).
    private func chain(under base: String, depth: Int, mid: Int) throws {
        var fd = open(base, O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        for level in 1...depth {
            guard mkdirat(fd, "d", 0o755) == 0 else { throw FixtureError("mkdirat at \(level): \(errno)") }
            let next = openat(fd, "d", O_RDONLY | O_DIRECTORY)
            close(fd)
            guard next >= 0 else { throw FixtureError("openat at \(level): \(errno)") }
            fd = next
            if level == mid || level == depth {
                let file = openat(fd, level == mid ? "mid.conf" : "f.conf", O_WRONLY | O_CREAT, 0o644)
                close(file)
            }
        }
        close(fd)
    }

    /// Removes a tree too deep for path-based removal.
    private func remove(_ path: String) {
        let rm = Process()
        rm.executableURL = URL(fileURLWithPath: "/bin/rm")
        rm.arguments = ["-rf", path]
        try? rm.run()
        rm.waitUntilExit()
    }

    private func request(_ path: String, _ filename: String) throws -> FileWalkRequest {
        FileWalkRequest(selection: .path(Obj.walk("path", path), filename: Obj.walk("filename", filename, .patternMatch)),
                        behaviors: try FileWalkBehaviors(attributes: ["recurse_direction": "down"]))
    }

    func testTenThousandLevelsEndInAClearErrorInSaneTime() throws {
        let fx = try FileFixture()
        try fx.dir("/deep")
        defer { remove(fx.host("/deep")) }
        try chain(under: fx.host("/deep"), depth: 10_000, mid: 300)
        for (source, path, spelling) in [(try fx.target(), "/deep", .underRoot), (HostTarget(), fx.host("/deep"), .asGiven)] as [(any FileWalkSource, String, TargetPathSpelling)] {
            let start = Date()
            var found: [String] = []
            let report = FileWalk.walk(try request(path, "\\.conf$"), source: source, spelling: spelling) { found.append($0.filepath) }
            XCTAssertLessThan(Date().timeIntervalSince(start), 60, "walk time (\(spelling))")
            XCTAssertTrue(report.errorFlag, "\(spelling)")
            XCTAssertTrue(report.messages.contains { $0.contains("deeper than \(FileWalk.depthLimit) levels") }, "\(report.messages)")
            XCTAssertFalse(found.contains { $0.hasSuffix("/f.conf") })
        }
    }

    func testDeepButBoundedTreeIsWalkedCompletely() throws {
        let fx = try FileFixture()
        try fx.dir("/deep")
        defer { remove(fx.host("/deep")) }
        let depth = FileWalk.depthLimit - 24
        try chain(under: fx.host("/deep"), depth: depth, mid: 300)
        let expected = ["/deep" + String(repeating: "/d", count: 300) + "/mid.conf",
                        "/deep" + String(repeating: "/d", count: depth) + "/f.conf"]
        let start = Date()
        let (entries, report) = FileWalk.entries(try request("/deep", "\\.conf$"), source: try fx.target(), spelling: .underRoot)
        XCTAssertLessThan(Date().timeIntervalSince(start), 60)
        XCTAssertFalse(report.errorFlag, "\(report.messages)")
        XCTAssertEqual(entries.map(\.filepath), expected)
        // Through the scan's shared source (read-ahead workers) too.
        let shared = FileWalk.entries(try request("/deep", "\\.conf$"),
                                      source: FileWalkSharedSource(target: try fx.target(), readAhead: 2), spelling: .underRoot)
        XCTAssertEqual(shared.entries.map(\.filepath), expected)
        XCTAssertFalse(shared.report.errorFlag, "\(shared.report.messages)")
    }
}
