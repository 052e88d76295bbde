import Foundation
import VigilEngine
import VigilProbes
import XCTest

/// The default content is only ever a regular file: a FIFO or device with a guide's name
/// would block the scan that reads it.
final class DefaultContentInputTests: XCTestCase {
    func testAGuideNameThatIsNoRegularFileIsPassedOver() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-default-fifo-\(UUID().uuidString)")
        let guides = dir.appendingPathComponent("guides"), other = dir.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: guides, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try "ID=debian\nVERSION_ID=\"12\"\n".write(to: dir.appendingPathComponent("etc/os-release"), atomically: true, encoding: .utf8)
        XCTAssertEqual(mkfifo(guides.appendingPathComponent("ssg-debian12-ds.xml").path, 0o644), 0)
        let target = try RootTarget(dir.path)
        XCTAssertEqual(DefaultContent.choose(target: target, guideFolders: [guides.path], baseline: "/b")?.path, "/b")
        try "<x/>".write(to: other.appendingPathComponent("ssg-debian12-ds.xml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(DefaultContent.choose(target: target, guideFolders: [guides.path, other.path], baseline: "/b")?.path,
                       other.appendingPathComponent("ssg-debian12-ds.xml").path)
    }
}
