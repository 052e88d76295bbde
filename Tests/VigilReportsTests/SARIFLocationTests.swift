import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// SARIF results point where GitHub code scanning can show them: the content file and
/// the line of the rule's definition, besides the scanned system as a logical location;
/// the log follows the SARIF 2.1.0 schema.
final class SARIFLocationTests: XCTestCase {
    /// The sample report's rules defined in a content file of their own, with a prefixed
    /// Rule element and an id attribute on a later line of its tag.
    func sampleWithContent() throws -> (ReportData, String) {
        var data = sampleReport()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil sarif \(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ds.xml").path
        try """
            <?xml version="1.0"?>
            <ds:data-stream-collection xmlns:ds="x" xmlns:xccdf-1.2="http://checklists.nist.gov/xccdf/1.2">
            <xccdf-1.2:Benchmark id="xccdf_org.example_benchmark_b">
            <xccdf-1.2:select idref="xccdf_org.example_rule_broken" selected="true"/>
            <xccdf-1.2:Rule id="xccdf_org.example_rule_ok" selected="true"><xccdf-1.2:title>ok</xccdf-1.2:title></xccdf-1.2:Rule>
            <xccdf-1.2:Rule selected="true"
                id="xccdf_org.example_rule_root_login" severity="high">
              <xccdf-1.2:title>root</xccdf-1.2:title>
            </xccdf-1.2:Rule>
            <xccdf-1.2:Rule id='xccdf_org.example_rule_banner'/>
            <xccdf-1.2:Rules id="xccdf_org.example_rule_broken"/>
            </xccdf-1.2:Benchmark>
            </ds:data-stream-collection>
            """.write(toFile: path, atomically: true, encoding: .utf8)
        data.scan.contentPath = path
        return (data, path)
    }

    func testEachResultHasTheContentFileAndTheRuleLine() throws {
        let (data, path) = try sampleWithContent()
        let bytes = try ReportPipeline.render(.sarif, data)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let results = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 3)
        var lines: [String: Int?] = [:]
        for result in results {
            let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first)
            let physical = try XCTUnwrap(location["physicalLocation"] as? [String: Any])
            let artifact = try XCTUnwrap(physical["artifactLocation"] as? [String: Any])
            XCTAssertEqual(artifact["uri"] as? String, URL(fileURLWithPath: path).absoluteString)
            XCTAssertTrue((artifact["uri"] as? String ?? "").hasPrefix("file:///"), "an absolute URI, spaces escaped")
            XCTAssertFalse((artifact["uri"] as? String ?? "").contains(" "))
            lines[result["ruleId"] as? String ?? ""] = (physical["region"] as? [String: Any])?["startLine"] as? Int
            XCTAssertNotNil((location["logicalLocations"] as? [[String: Any]])?.first?["fullyQualifiedName"])
        }
        XCTAssertEqual(lines["xccdf_org.example_rule_root_login"], 6, "the line of the Rule's start tag")
        XCTAssertEqual(lines["xccdf_org.example_rule_banner"], 10, "single quotes")
        XCTAssertEqual(lines["xccdf_org.example_rule_broken"], .some(nil), "a select or another element is not the rule: no region")
        try SchemaCheck.validateSARIF(bytes)
    }

    func testAMissingContentFileStillGivesAValidLocation() throws {
        var data = sampleReport()
        data.scan.contentPath = "content/ssg-rhel9-ds.xml"
        let bytes = try ReportPipeline.render(.sarif, data)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: bytes) as? [String: Any])
        let result = try XCTUnwrap(((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])?.first)
        let physical = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        XCTAssertEqual((physical["artifactLocation"] as? [String: Any])?["uri"] as? String, "content/ssg-rhel9-ds.xml")
        XCTAssertNil(physical["region"])
        try SchemaCheck.validateSARIF(bytes)
    }

    func testTheSchemaCheckRejectsAnInvalidLog() throws {
        let (data, _) = try sampleWithContent()
        let valid = try ReportPipeline.render(.sarif, data)
        try SchemaCheck.validateSARIF(valid)
        var log = try XCTUnwrap(JSONSerialization.jsonObject(with: valid) as? [String: Any])
        var runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        var results = try XCTUnwrap(runs[0]["results"] as? [[String: Any]])
        results[0]["level"] = "fatal"
        runs[0]["results"] = results
        log["runs"] = runs
        XCTAssertThrowsError(try SchemaCheck.validateSARIF(try JSONSerialization.data(withJSONObject: log)))
    }
}
