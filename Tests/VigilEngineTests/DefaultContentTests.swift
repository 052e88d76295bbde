import Foundation
import VigilEngine
import VigilProbes
import XCTest

final class DefaultContentTests: XCTestCase {
    func root(osRelease: String) throws -> Target {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-default-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try osRelease.write(to: dir.appendingPathComponent("etc/os-release"), atomically: true, encoding: .utf8)
        return try RootTarget(dir.path)
    }

    func testTheGuideForTheScannedOSWinsWhenInstalled() throws {
        let guides = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-guides-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: guides, withIntermediateDirectories: true)
        try "<x/>".write(to: guides.appendingPathComponent("ssg-ubuntu2204-ds.xml"), atomically: true, encoding: .utf8)
        try "<x/>".write(to: guides.appendingPathComponent("ssg-rhel9-ds.xml"), atomically: true, encoding: .utf8)

        let ubuntu = try root(osRelease: "NAME=\"Ubuntu\"\nID=ubuntu\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\n")
        let chosen = DefaultContent.choose(target: ubuntu, guideFolders: [guides.path], baseline: "/b")
        XCTAssertEqual(chosen?.path, guides.appendingPathComponent("ssg-ubuntu2204-ds.xml").path)
        XCTAssertEqual(chosen?.profile, "standard")

        let rocky = try root(osRelease: "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n")
        XCTAssertEqual(DefaultContent.choose(target: rocky, guideFolders: [guides.path], baseline: "/b")?.path,
                       guides.appendingPathComponent("ssg-rhel9-ds.xml").path, "RHEL rebuilds use the RHEL guide")

        let debian12 = try root(osRelease: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n")
        let fallback = DefaultContent.choose(target: debian12, guideFolders: [guides.path], baseline: "/b")
        XCTAssertEqual(fallback, DefaultContent(path: "/b", profile: nil,
                                                reason: "Vigil's Linux baseline (no SCAP Security Guide data stream for Debian GNU/Linux 12 (bookworm) is installed)"))
        XCTAssertNil(DefaultContent.choose(target: debian12, guideFolders: [guides.path], baseline: nil))
    }

    func testGuideNames() {
        XCTAssertEqual(DefaultContent.guideNames(id: "debian", version: "11"), ["ssg-debian11-ds.xml"])
        XCTAssertEqual(DefaultContent.guideNames(id: "centos", version: "9"), ["ssg-cs9-ds.xml"])
        XCTAssertEqual(DefaultContent.guideNames(id: "centos", version: "7"), ["ssg-centos7-ds.xml"])
        XCTAssertEqual(DefaultContent.guideNames(id: "ubuntu", version: "24.04"), ["ssg-ubuntu2404-ds.xml"])
    }

    func testTheBaselineIsFoundFromTheSourceCheckout() throws {
        // The test bundle is built inside the checkout, like the vigil executable.
        let found = DefaultContent.baselineFolder(executable: Bundle.main.bundleURL.appendingPathComponent("vigil").path)
        let expected = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/linux-baseline").path
        XCTAssertEqual(found, expected)
    }
}
