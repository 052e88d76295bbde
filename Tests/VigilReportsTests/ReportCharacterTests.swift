import Foundation
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// Text from the scanned system holding characters XML forbids, terminal escapes and
/// line breaks: every report stays well-formed and says what was there.
final class ReportCharacterTests: XCTestCase {
    /// `field`'s text: its name, then characters XML 1.0 forbids (C0 controls, U+FFFE,
    /// U+FFFF) among ones it allows (tab, line feed, carriage return, DEL, C1).
    static func controls(_ field: String) -> String {
        "\(field) \u{1B}]0;x\u{7}\u{1B}[2J\u{0}\u{8}\u{B}\u{C}\u{1F}\u{FFFE}\u{FFFF}\t\r\n\u{7F}\u{9B}end"
    }
    /// How the forbidden ones read in XML.
    static let visible = "\\x1b]0;x\\x07\\x1b[2J\\x00\\x08\\x0b\\x0c\\x1f\\u{fffe}\\u{ffff}"

    func testXMLReportsAreWellFormedAndShowForbiddenCharactersVisibly() throws {
        let data = try textReport(Self.controls)
        let junit = try ReportPipeline.render(.junit, data)
        let suite = try XCTUnwrap(try XMLDocument.parse(bytes: Array(junit), label: "junit.xml").root?.child("testsuite"))
        XCTAssertTrue(suite.attribute("hostname")?.hasPrefix("host " + Self.visible) ?? false, suite.attribute("hostname") ?? "")
        XCTAssertTrue(suite.attribute("hostname")?.hasSuffix("\u{7F}\u{9B}end") ?? false, "what XML allows is kept")
        let failure = try XCTUnwrap(suite.children("testcase").first?.child("failure"))
        XCTAssertTrue(failure.text.hasPrefix("evidence " + Self.visible), failure.text.debugDescription)

        let ckl = try ReportPipeline.render(.ckl, data)
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(ckl), label: "x.ckl").root)
        XCTAssertEqual(root.child("ASSET")?.child("HOST_NAME")?.text, "host " + Self.visible + "\t\n\u{7F}\u{9B}end")
        let vuln = try XCTUnwrap(root.child("STIGS")?.child("iSTIG")?.child("VULN"))
        XCTAssertTrue(vuln.child("FINDING_DETAILS")?.text.contains("\\x1b[2J") ?? false)
        XCTAssertTrue(vuln.child("COMMENTS")?.text.contains("Vigil") ?? false)
    }

    /// JSON, SARIF and CKLB are escaped by their encoders: the values read back exactly.
    func testJSONReportsCarryEveryCharacterExactly() throws {
        let data = try textReport(Self.controls)
        let host = Self.controls("host")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.json, data)) as? [String: Any])
        XCTAssertEqual((json["scan"] as? [String: Any])?["host"] as? String, host)
        let cklb = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.cklb, data)) as? [String: Any])
        XCTAssertEqual((cklb["target_data"] as? [String: Any])?["host_name"] as? String, host)
        let sarifData = try ReportPipeline.render(.sarif, data)
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: sarifData) as? [String: Any])
        let result = try XCTUnwrap(((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
        XCTAssertTrue(((result["message"] as? [String: Any])?["text"] as? String)?.contains(Self.controls("evidence")) ?? false)
        for bytes in [try ReportPipeline.render(.json, data), sarifData, try ReportPipeline.render(.cklb, data)] {
            XCTAssertFalse(bytes.contains(0x1B), "no raw escape character in JSON")
            XCTAssertFalse(bytes.contains(0x00))
        }
    }
}
