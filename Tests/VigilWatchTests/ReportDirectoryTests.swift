import Foundation
import VigilCore
import XCTest
@testable import VigilWatch

/// `--report-dir`: latest and dated copies, rotation to `--keep`, modes, atomic writes.
final class ReportDirectoryTests: XCTestCase {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testLatestDatedCopiesRotationAndModes() throws {
        let f = try WatchFixture()
        defer { f.remove() }
        let reports = f.dir + "/out/reports"
        let directory = try ReportDirectory(path: reports, keep: 2)
        XCTAssertEqual(try mode(reports), 0o750)
        // A leftover of an interrupted write is removed when the directory is opened again.
        FileManager.default.createFile(atPath: reports + "/.latest.json" + AtomicFile.temporaryMarker + "abc123", contents: Data("x".utf8))
        _ = try ReportDirectory(path: reports, keep: 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: reports), [])

        var stamps: [String] = []
        for (i, day) in ["2026-11-28T10:00:00Z", "2026-11-29T11:30:05Z", "2026-11-30T23:59:59Z"].enumerated() {
            try f.setFile(1, present: i != 2)
            var outcome = try f.session.run()
            outcome.record.metadata.startedAt = ISO8601DateFormatter().date(from: day)!
            try directory.write(outcome)
            stamps.append(ReportDirectory.stamp(outcome.record.metadata.startedAt))
        }
        XCTAssertEqual(stamps, ["20261128T100000Z", "20261129T113005Z", "20261130T235959Z"])
        let names = try FileManager.default.contentsOfDirectory(atPath: reports).sorted()
        XCTAssertEqual(names, ["latest.html", "latest.json", "vigil-20261129T113005Z.html", "vigil-20261129T113005Z.json",
                               "vigil-20261130T235959Z.html", "vigil-20261130T235959Z.json"], "the oldest copies removed, no temporary file left")
        for name in names { XCTAssertEqual(try mode(reports + "/" + name), 0o640, name) }
        let latest = try Data(contentsOf: URL(fileURLWithPath: reports + "/latest.json"))
        XCTAssertEqual(latest, try Data(contentsOf: URL(fileURLWithPath: reports + "/vigil-20261130T235959Z.json")))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: latest) as? [String: Any])
        XCTAssertTrue("\(json)".contains("fail"), "the last scan's report: rule1 fails")
        let html = try String(contentsOfFile: reports + "/latest.html", encoding: .utf8)
        XCTAssertTrue(html.contains("<html") && html.contains("Rule 1"))
    }

    func testDatedNamesAreRecognisedExactly() {
        XCTAssertTrue(ReportDirectory.isDated("vigil-20261130T235959Z.json", suffix: ".json"))
        XCTAssertFalse(ReportDirectory.isDated("vigil-20261130T235959Z.kubernetes.json", suffix: ".json"))
        XCTAssertTrue(ReportDirectory.isDated("vigil-20261130T235959Z.kubernetes.json", suffix: ".kubernetes.json"))
        XCTAssertFalse(ReportDirectory.isDated("vigil-2026113XT235959Z.json", suffix: ".json"))
        XCTAssertFalse(ReportDirectory.isDated("latest.json", suffix: ".json"))
        XCTAssertFalse(ReportDirectory.isDated("my-vigil-20261130T235959Z.json", suffix: ".json"))
    }

    func testAtomicWriteReplacesWholeAndRefusesBadPlaces() throws {
        let f = try WatchFixture(rules: 1)
        defer { f.remove() }
        let path = f.dir + "/file"
        try AtomicFile.write(Array("first".utf8), to: path)
        try AtomicFile.write(Array("second".utf8), to: path, mode: 0o600)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "second")
        XCTAssertEqual(try mode(path), 0o600)
        XCTAssertThrowsError(try AtomicFile.write(Array("x".utf8), to: f.dir + "/missing/dir/file"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: f.dir).filter { $0.contains(AtomicFile.temporaryMarker) }, [])
        XCTAssertThrowsError(try ReportDirectory(path: path, keep: 2), "a file is not a directory")
        XCTAssertThrowsError(try ReportDirectory(path: f.dir + "/r", keep: 0))
    }
}
