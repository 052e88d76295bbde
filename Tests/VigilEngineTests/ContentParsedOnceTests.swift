import Foundation
import VigilContent
import VigilReports
import VigilStore
import VigilXML
import XCTest
@testable import VigilEngine

/// The content is parsed once per command, by its load: a scan writing every report,
/// `vigil report` of a stored scan, `vigil fix` and `vigil explain` read what the load kept.
final class ContentParsedOnceTests: XCTestCase {
    /// The test data stream and its root, removed when the test ends.
    func dataStream() throws -> (path: String, root: String, dir: URL) {
        let (path, root) = try TestDataStream.write()
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return (path, root, dir)
    }

    /// Every format but the STIG checklists, which need rules with STIG ids (this content
    /// has none) and never read the content.
    static let formats = ReportFormat.allCases.filter { $0 != .ckl && $0 != .cklb }

    func testAScanWritingEveryReportAndItsStoredReportsParseTheContentOnce() throws {
        let (path, root, dir) = try dataStream()
        let db = dir.appendingPathComponent("db/vigil.db").path
        var o = ScanOptions(vigilVersion: "test")
        o.content = path
        o.root = root
        o.profile = "strict"
        o.store = db
        o.results = dir.appendingPathComponent("results.xml").path
        o.reports = Self.formats.map { "\($0.rawValue):" + dir.appendingPathComponent("live.\($0.rawValue)").path }
        var before = XMLDocument.parses
        _ = try ScanSession(o).run()
        XCTAssertEqual(XMLDocument.parses - before, 1, "the scan's load, and nothing for --results and every --report")
        for format in Self.formats {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("live.\(format.rawValue)").path), "\(format)")
        }
        let store = try ScanStore(path: db)
        for format in Self.formats {
            before = XMLDocument.parses
            let report = try StoredScanReport("last", in: store, format: format, waivers: nil)
            try report.write(try ReportRequest(parsing: "\(format.rawValue):" + dir.appendingPathComponent("stored.\(format.rawValue)").path))
            XCTAssertEqual(XMLDocument.parses - before, format.needsContent ? 1 : 0, "vigil report --format \(format)")
        }
        before = XMLDocument.parses
        let fix = try RemediationPlan.scan("last", in: store).script(.bash)
        XCTAssertFalse(fix.entries.isEmpty)
        XCTAssertEqual(XMLDocument.parses - before, 1, "vigil fix SCAN")
    }

    func testFixAndExplainOfContentParseItOnce() throws {
        let (path, _, _) = try dataStream()
        let before = XMLDocument.parses
        let content = try ContentLookup.load(path).content
        let strict = try ContentLookup.policy(content, profile: "strict")
        let script = try RemediationPlan.profile(content, profile: "strict").script(.ansible)
        XCTAssertFalse(script.entries.isEmpty)
        let rule = "xccdf_org.example_rule_root_login"
        XCTAssertFalse(try RuleExplanation(rule: rule, content: content, policy: strict).fixes.isEmpty)
        XCTAssertEqual(XMLDocument.parses - before, 1)
    }

    /// Content loaded for a scan keeps no tree; asking it for the rules' texts is a clear error.
    func testContentLoadedForAScanHasNoRuleTexts() throws {
        let (path, _, _) = try dataStream()
        let content = try SCAPContent.load(path: path)
        XCTAssertThrowsError(try content.remediationFixes()) { error in
            XCTAssertTrue("\(error)".contains("not kept when the content was loaded"), "\(error)")
        }
    }
}
