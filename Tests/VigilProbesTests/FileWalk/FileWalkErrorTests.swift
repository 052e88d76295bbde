import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// A walk never skips part of a tree silently: what it cannot read makes it an error.
final class FileWalkErrorTests: XCTestCase {
    /// Reads through a target, but fails to list one directory, or to `stat` one path, with
    /// the given error.
    final class FailingSource: FileWalkSource, @unchecked Sendable {
        let inner: any FileWalkSource
        let listing: String?
        let statting: String?
        let code: Int32

        init(_ inner: any FileWalkSource, listing: String? = nil, statting: String? = nil, code: Int32) {
            self.inner = inner
            self.listing = listing
            self.statting = statting
            self.code = code
        }

        func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure> {
            directory == listing ? .failure(TargetFailure(code)) : inner.entries(of: directory, identity: identity)
        }

        func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
            path == statting && followLinks ? .failure(TargetFailure(code)) : inner.statResult(path, followLinks: followLinks)
        }
    }

    /// /t/a/b/c/deep.conf, /t/top.conf, /t/link -> a/b
    private func tree() throws -> FileFixture {
        let fx = try FileFixture()
        try fx.file("/t/a/b/c/deep.conf", "x")
        try fx.file("/t/top.conf", "x")
        try fx.link("/t/link", to: "a/b")
        return fx
    }

    private func request(_ behaviors: [String: String] = ["recurse_direction": "down", "recurse": "symlinks and directories"])
        throws -> FileWalkRequest {
        FileWalkRequest(selection: .path(Obj.walk("path", "/t"), filename: Obj.walk("filename", "deep.conf")),
                        behaviors: try FileWalkBehaviors(attributes: behaviors))
    }

    func testUnlistableDirectoryIsAnErrorNotASkip() throws {
        let fx = try tree()
        for code in [EMFILE, ENFILE, ENOMEM, EACCES, EIO] {
            let (entries, report) = FileWalk.entries(try request(), source: FailingSource(try fx.target(), listing: "/t/a/b", code: code),
                                                     spelling: .underRoot)
            XCTAssertTrue(report.errorFlag, "errno \(code): the walk is an error")
            XCTAssertTrue(report.messages.contains { $0.contains("/t/a/b") && $0.contains(String(cString: strerror(code))) },
                          "\(report.messages)")
            _ = entries
        }
    }

    func testVanishedDirectoryIsNoError() throws {
        let fx = try tree()
        let (entries, report) = FileWalk.entries(try request(), source: FailingSource(try fx.target(), listing: "/t/a/b", code: ENOENT),
                                                 spelling: .underRoot)
        XCTAssertFalse(report.errorFlag)
        XCTAssertEqual(entries.map(\.filepath), ["/t/link/c/deep.conf"], "found through the link, not under the vanished directory")
    }

    func testFailedStatOfALinkIsAnError() throws {
        let fx = try tree()
        let (_, report) = FileWalk.entries(try request(), source: FailingSource(try fx.target(), statting: "/t/link", code: ENOMEM),
                                           spelling: .underRoot)
        XCTAssertTrue(report.errorFlag, "a link that cannot be followed for lack of memory is not a dangling link")
    }

    func testFileObjectIsAnErrorWhenItsWalkFails() throws {
        let fx = try tree()
        let context = try fx.context()
        let failing = FailingSource(try fx.target(), listing: "/t/a", code: EMFILE)
        _ = context.cache.value("file-walk-source") { failing as any FileWalkSource }
        let object = Obj.object("file_object", [Obj.entity("path", "/t"), Obj.entity("filename", "deep.conf")],
                                behaviors: ["recurse_direction": "down"])
        let result = FileProbe().collect(object, context: context)
        XCTAssertEqual(result.flag, .error, "a missed subtree must not read as `does not exist`")
        XCTAssertTrue(result.messages.contains { $0.contains("Too many open files") }, "\(result.messages)")
    }

    /// The walk with the process's descriptor limit lowered so that only a few descriptors
    /// are free: the deep file is found, or the walk is an error; it is never missed.
    func testRunningOutOfDescriptorsIsAnError() throws {
        let fx = try FileFixture()
        try fx.file("/t/1/2/3/4/5/6/7/8/9/10/11/12/deep.conf", "x")
        let request = try request(["recurse_direction": "down"])
        XCTAssertEqual(FileWalk.entries(request, source: try fx.target(), spelling: .underRoot).entries.count, 1)
        for freeDescriptors in 1...6 {
            let target = try fx.target()
            let (entries, report) = try FileWalkErrorTests.withFreeDescriptors(freeDescriptors) {
                FileWalk.entries(request, source: target, spelling: .underRoot)
            }
            XCTAssertTrue(report.errorFlag || entries.count == 1,
                          "\(freeDescriptors) free descriptors: the deep file is found or the walk is an error")
            if report.errorFlag {
                XCTAssertTrue(report.messages.contains { $0.contains("Too many open files") }, "\(report.messages)")
            }
            if freeDescriptors == 1 { XCTAssertTrue(report.errorFlag, "one descriptor cannot list a directory") }
        }
    }

    /// Runs `body` with the soft descriptor limit set so that `count` descriptor numbers are free.
    static func withFreeDescriptors<T>(_ count: Int, _ body: () throws -> T) throws -> T {
        let open = Set((try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).compactMap(Int.init))
        var limit = 0
        var free = 0
        while free < count {
            if !open.contains(limit) { free += 1 }
            limit += 1
        }
        var saved = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved) == 0 else { throw FixtureError("getrlimit") }
        var lowered = saved
        lowered.rlim_cur = rlim_t(limit)
        guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &lowered) == 0 else { throw FixtureError("setrlimit") }
        defer { setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved) }
        return try body()
    }
}
