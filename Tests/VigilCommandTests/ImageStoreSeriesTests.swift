import Foundation
import XCTest

/// Two builds of one image, saved as docker archives `app:1` and `app:2` (what `docker save`
/// writes, made here by skopeo), are one series in the store: `history` lists both under
/// the image's name, and `drift --fail-on-regression` shows what the second broke and
/// exits 3, as a CI gate on images does.
final class ImageStoreSeriesTests: XCTestCase {
    func testTwoTagsOfAnImageAreOneSeriesAndDriftGatesTheRegression() throws {
        guard let skopeo = ["/usr/bin/skopeo", "/usr/local/bin/skopeo"].first(where: FileManager.default.isExecutableFile) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("skopeo is installed in CI") }
            throw XCTSkip("skopeo is not installed")
        }
        let dir = try ImageCommand.tempDir("series")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        var archives: [String] = []
        for (preset, tag) in [("debian", "app:1"), ("debian-broken", "app:2")] {
            let layout = try ImageCommand.build(preset, in: dir, name: preset, compression: "gzip")
            let archive = dir.appendingPathComponent("\(preset).tar").path
            let copy = try ImageCommand.run(skopeo, ["copy", "-q", "oci:\(layout):t", "docker-archive:\(archive):\(tag)"])
            XCTAssertEqual(copy.status, 0, copy.stderr)
            archives.append(archive)
        }
        let db = dir.appendingPathComponent("vigil.db").path
        for archive in archives {
            let scan = try ImageCommand.vigil(["scan", ImageCommand.baseline, "--image", "docker-archive:\(archive)", "--db", db, "--quiet"],
                                              tmp: tmp)
            XCTAssertEqual(scan.status, 2, scan.stderr)
        }
        let drift = try ImageCommand.vigil(["drift", "--db", db, "--fail-on-regression"], tmp: tmp)
        XCTAssertEqual(drift.status, 3, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stdout.contains("Newly failing (1):"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("file_permissions_etc_shadow"), drift.stdout)

        let history = try ImageCommand.vigil(["history", "--db", db, "--format", "json"], tmp: tmp)
        XCTAssertEqual(history.status, 0, history.stderr)
        let scans = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]], history.stdout)
        XCTAssertEqual(scans.count, 2, history.stdout)
        let text = try ImageCommand.vigil(["history", "--db", db], tmp: tmp)
        let lines = text.stdout.split(separator: "\n").filter { $0.contains("docker.io/library/app") }
        XCTAssertEqual(lines.count, 2, "both scans under the image's name: \(text.stdout)")
        XCTAssertEqual(ImageCommand.contents(of: tmp), [], "nothing left in $TMPDIR")
    }
}
