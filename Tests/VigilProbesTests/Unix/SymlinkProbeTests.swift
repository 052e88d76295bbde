import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

final class SymlinkProbeTests: XCTestCase {
    private func collect(_ fx: FileFixture, _ path: String) throws -> CollectedObject {
        SymlinkProbe().collect(Obj.object("symlink_object", [Obj.entity("filepath", path)]), context: try fx.context())
    }

    private func fixture() throws -> FileFixture {
        let fx = try FileFixture()
        try fx.file("/usr/bin/python3.11", "")
        try fx.link("/usr/bin/python3", to: "python3.11")
        try fx.link("/usr/bin/python", to: "/usr/bin/python3")
        try fx.link("/etc/alternatives/x", to: "/etc/passwd")
        try fx.link("/etc/loop", to: "loop")
        return fx
    }

    func testCanonicalPathResolvesEveryLinkInsideTheRoot() throws {
        let result = try collect(try fixture(), "/usr/bin/python")
        XCTAssertEqual(result.flag, .complete)
        XCTAssertEqual(result.items.first?.fields.map(\.name), ["filepath", "canonical_path"])
        XCTAssertEqual(result.values("filepath"), ["/usr/bin/python"])
        XCTAssertEqual(result.values("canonical_path"), ["/usr/bin/python3.11"])
    }

    func testMissingTargetAndLoopsAreErrors() throws {
        let fx = try fixture()
        // /etc/passwd exists on the host but not in the root.
        let dangling = try collect(fx, "/etc/alternatives/x")
        XCTAssertEqual(dangling.flag, .error)
        XCTAssertEqual(dangling.messages, ["Link target of symlink '/etc/alternatives/x' does not exist."])
        let loop = try collect(fx, "/etc/loop")
        XCTAssertEqual(loop.flag, .error)
        XCTAssertEqual(loop.messages, ["Link '/etc/loop' is a circular link."])
    }

    func testNotALinkOrMissingIsDoesNotExist() throws {
        let fx = try fixture()
        XCTAssertEqual(try collect(fx, "/usr/bin/python3.11").flag, .doesNotExist)
        XCTAssertEqual(try collect(fx, "/usr/bin/none").flag, .doesNotExist)
    }
}
