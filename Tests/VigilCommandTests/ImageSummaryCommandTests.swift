import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import vigil

/// The terminal names a scanned image in one line with its short manifest digest: the
/// summary after a scan, `vigil show` and `vigil history`. Host scans keep their lines.
final class ImageSummaryCommandTests: XCTestCase {
    let image = ImageIdentity(reference: "docker-archive:/ci/app.tar", name: "registry.example.com/team/app", tag: "1.4",
                              manifestDigest: "sha256:" + String(repeating: "0123456789abcdef", count: 4),
                              configDigest: "sha256:" + String(repeating: "fedcba9876543210", count: 4),
                              os: "linux", architecture: "amd64", layers: ["sha256:" + String(repeating: "1", count: 64)])
    let imageLine = "Image: registry.example.com/team/app:1.4  manifest sha256:0123456789ab  linux/amd64"

    func testTheSummaryHasTheImageLine() throws {
        let f = try CommandFixture()
        let scan = try Scan.parse([f.content, "--root", f.root, "--no-store"])
        final class Box: @unchecked Sendable { var host = "", image = "" }
        let box = Box()
        let line = imageLine, image = self.image
        _ = try scan.session.run { event in
            guard case .scanned(let result, let benchmark, var report, let gate) = event else { return }
            box.host = Summary.text(result, benchmark: benchmark, report: report, gate: gate, colour: false)
            report.scan.system?.image = image
            box.image = Summary.text(result, benchmark: benchmark, report: report, gate: gate, colour: false)
        }
        let lines = box.image.components(separatedBy: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("Image:") }, [line], box.image)
        XCTAssertEqual(lines.firstIndex(of: line).map { lines[$0 - 1].hasPrefix("Profile:") }, true, "under the target")
        XCTAssertFalse(box.host.contains("Image:"), box.host)
        XCTAssertEqual(lines.filter { $0 != line }, box.host.components(separatedBy: "\n"), "nothing else changes")
    }

    func testShowAndHistoryNameTheImageAndItsDigest() throws {
        let f = try CommandFixture()
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet"]), 2)
        let now = Date()
        let system = SystemIdentity(hostName: image.name, osName: "Debian GNU/Linux", osVersion: "12", user: "ci", image: image)
        let metadata = ScanMetadata(hostName: image.name, hostID: "image:" + image.name, target: image.reference, targetKind: "image",
                                    contentPath: f.content, contentSHA256: String(repeating: "0", count: 64),
                                    benchmarkID: "xccdf_org.example_benchmark_cmd", benchmarkVersion: "1", profileID: "",
                                    vigilVersion: VigilVersion.current, startedAt: now, finishedAt: now, system: system)
        let rules = [RuleRecord(ruleID: "xccdf_org.example_rule_flag", title: "Flag", severity: "high", result: .fail)]
        XCTAssertEqual(try ScanStore(path: f.db).save(ScanRecord(metadata: metadata, rules: rules)), 2)

        let show = try capturedOutput { Vigil.run(["show", "2", "--db", f.db]) }
        XCTAssertEqual(show.status, 0)
        XCTAssertTrue(show.text.contains("\n\(imageLine)   Target: docker-archive:/ci/app.tar\n"), show.text)
        XCTAssertFalse(show.text.contains("Host:"), show.text)
        let hostShow = try capturedOutput { Vigil.run(["show", "1", "--db", f.db]) }
        XCTAssertTrue(hostShow.text.contains("\nHost: "), hostShow.text)
        XCTAssertFalse(hostShow.text.contains("Image:"), hostShow.text)

        let history = try capturedOutput { Vigil.run(["history", "--db", f.db]) }
        XCTAssertEqual(history.status, 0)
        let rows = history.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 3, history.text)
        XCTAssertTrue(rows[0].contains("  HOST / IMAGE  "), rows[0])
        XCTAssertTrue(rows[1].contains("  registry.example.com/team/app sha256:0123456789ab  "), rows[1])
        // Host names keep their column of 20 when no image is listed.
        let hostName = try ScanStore(path: f.db, access: .readOnly).scan("1").hostName
        let hostOnly = try capturedOutput { Vigil.run(["history", "--db", f.db, "--host", hostName]) }
        XCTAssertEqual(hostOnly.text.split(separator: "\n").count, 2, hostOnly.text)
        XCTAssertFalse(hostOnly.text.contains("IMAGE"), hostOnly.text)
    }

    /// What `body` writes to standard output, and its status.
    func capturedOutput(_ body: () -> Int32) throws -> (status: Int32, text: String) {
        let path = NSTemporaryDirectory() + "vigil-stdout-" + UUID().uuidString
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { unlink(path) }
        fflush(nil)
        let saved = dup(1)
        dup2(fd, 1)
        let status = body()
        fflush(nil)
        dup2(saved, 1)
        close(saved)
        close(fd)
        return (status, try String(contentsOfFile: path, encoding: .utf8))
    }
}
