import Foundation
import XCTest
@testable import vigil

/// `vigil report` and `vigil scan --report` with the formats and options of issue 13:
/// hdf, STIG checklists of content without STIG ids, `--include-notselected`.
final class ReportFormatCommandTests: XCTestCase {
    func testHDFAndChecklistsOfContentWithoutSTIGIds() throws {
        let f = try CommandFixture()
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet", "--report", "hdf:\(f.dir)/s.hdf"]), 2)
        let hdf = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(f.dir)/s.hdf"))) as? [String: Any])
        let control = try XCTUnwrap(((hdf["profiles"] as? [[String: Any]])?.first?["controls"] as? [[String: Any]])?.first)
        XCTAssertEqual(control["id"] as? String, "xccdf_org.example_rule_flag")
        XCTAssertEqual((control["results"] as? [[String: Any]])?.first?["status"] as? String, "failed")
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "hdf", "--out", "\(f.dir)/r.hdf"]), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(f.dir)/r.hdf"))
        // No rule has a STIG id: a checklist is an error, not an empty file.
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "ckl", "--out", "\(f.dir)/r.ckl"]), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(f.dir)/r.ckl"))
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet", "--report", "cklb:\(f.dir)/s.cklb"]), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(f.dir)/s.cklb"))
        // That is known before the scan: it was not stored (scan 2 does not exist).
        XCTAssertEqual(Vigil.run(["report", "2", "--db", f.db, "--format", "json", "--out", "\(f.dir)/2.json"]), 1)
    }

    /// `vigil report --out` is checked before any work as `vigil scan --report` is: a report
    /// replaces its file, so a device is refused and left as it is.
    func testReportOutMustBeAPlaceForAFile() throws {
        let f = try CommandFixture()
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet"]), 2)
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--out", "/dev/null"]), 1)
        var info = stat()
        XCTAssertEqual(stat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a device")
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--out", "\(f.dir)/no-such-folder/r.json"]), 1)
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--out", "\(f.dir)/r.json"]), 0)
    }

    func testIncludeNotselectedIsAcceptedByScanAndReport() throws {
        let f = try CommandFixture()
        try f.setFlag(true)
        XCTAssertEqual(Vigil.run(["scan", f.content, "--root", f.root, "--db", f.db, "--quiet", "--include-notselected",
                                  "--report", "json:\(f.dir)/s.json"]), 0)
        let scanned = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(f.dir)/s.json"))) as? [String: Any]
        XCTAssertEqual(scanned?["includesNotselected"] as? Bool, true)
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--include-notselected", "--out", "\(f.dir)/r.json"]), 0)
        let reported = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(f.dir)/r.json"))) as? [String: Any]
        XCTAssertEqual(reported?["includesNotselected"] as? Bool, true)
        XCTAssertEqual(Vigil.run(["report", "last", "--db", f.db, "--format", "json", "--out", "\(f.dir)/d.json"]), 0)
        let plain = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(f.dir)/d.json"))) as? [String: Any]
        XCTAssertEqual(plain?["includesNotselected"] as? Bool, false)
        XCTAssertEqual(try f.results(of: "\(f.dir)/d.json"), ["pass"])
    }
}
