import Foundation
@testable import VigilProbes
import XCTest

final class FileWalkSharedSourceTests: XCTestCase {
    func makeRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("d"), withIntermediateDirectories: true)
        for name in ["a", "b", "çé"] {
            try "x".write(to: root.appendingPathComponent("d/\(name)"), atomically: true, encoding: .utf8)
        }
        return root
    }

    func names(_ r: Result<[DirectoryEntry], TargetFailure>) -> [String] {
        (try? r.get().map(\.name).sorted()) ?? []
    }

    func testEachDirectoryIsListedOnceWithinBudget() throws {
        let root = try makeRoot()
        let target = try RootTarget(root.path)
        let shared = FileWalkSharedSource(target: target, budget: 1 << 20)
        let first = try shared.entries(of: "/d").get()
        XCTAssertEqual(first.map(\.name).sorted(), ["a", "b", "çé"])
        XCTAssertTrue(first.allSatisfy { $0.info?.isRegular == true })
        try "y".write(to: root.appendingPathComponent("d/c"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try shared.entries(of: "/d").get(), first, "a kept listing is served again, unchanged")
        XCTAssertGreaterThan(shared.keptBytes, 0)
        if case .success = shared.entries(of: "/missing") { XCTFail("a missing directory fails") }
    }

    func testNothingIsKeptPastTheBudget() throws {
        let root = try makeRoot()
        let shared = FileWalkSharedSource(target: try RootTarget(root.path), budget: 0)
        XCTAssertEqual(names(shared.entries(of: "/d")), ["a", "b", "çé"])
        try "y".write(to: root.appendingPathComponent("d/c"), atomically: true, encoding: .utf8)
        XCTAssertEqual(names(shared.entries(of: "/d")), ["a", "b", "c", "çé"])
        XCTAssertEqual(shared.keptBytes, 0)
    }
}
