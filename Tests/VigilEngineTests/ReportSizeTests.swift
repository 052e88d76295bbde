import Foundation
import VigilEngine
import XCTest

/// The JSON report follows the profile, not the benchmark: rules the profile does not
/// select are left out unless `--include-notselected` asks for them.
final class ReportSizeTests: XCTestCase {
    /// A benchmark of `rules` rules (none selected by default) and a profile of `selected`.
    func content(rules: Int, selected: Int) throws -> String {
        let ids = (0..<rules).map { "xccdf_org.example_rule_r\($0)" }
        let body = ids.map { "<Rule id=\"\($0)\" selected=\"false\" severity=\"low\"><title>\($0)</title></Rule>" }.joined(separator: "\n")
        let selects = ids.prefix(selected).map { "<select idref=\"\($0)\" selected=\"true\"/>" }.joined()
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_big" resolved="1" xml:lang="en">
            <status>draft</status><title>Big</title><version>1</version>
            <Profile id="xccdf_org.example_profile_small"><title>Small</title>\(selects)</Profile>
            \(body)
            </Benchmark>
            """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("big-xccdf.xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func rulesInReport(includeNotselected: Bool) throws -> (rules: [[String: Any]], report: [String: Any]) {
        let path = try content(rules: 200, selected: 5)
        let out = path + ".json"
        var options = ScanOptions(vigilVersion: "test")
        options.content = path
        options.root = FileManager.default.temporaryDirectory.path
        options.profile = "small"
        options.reports = ["json:" + out]
        options.includeNotselected = includeNotselected
        let outcome = try ScanSession(options).run()
        XCTAssertTrue(outcome.problems.isEmpty, "\(outcome.problems)")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        return (try XCTUnwrap(report["rules"] as? [[String: Any]]), report)
    }

    func testAProfileOfFiveRulesOfTwoHundredGivesAReportOfFive() throws {
        let (rules, report) = try rulesInReport(includeNotselected: false)
        XCTAssertEqual(rules.count, 5)
        XCTAssertEqual(rules.compactMap { $0["id"] as? String }, (0..<5).map { "xccdf_org.example_rule_r\($0)" })
        XCTAssertFalse(rules.contains { $0["result"] as? String == "notselected" })
        XCTAssertEqual(report["includesNotselected"] as? Bool, false)
        XCTAssertEqual((report["counts"] as? [String: Int])?["notselected"], 195, "counts still count them")
    }

    func testIncludeNotselectedListsEveryRule() throws {
        let (rules, report) = try rulesInReport(includeNotselected: true)
        XCTAssertEqual(rules.count, 200)
        XCTAssertEqual(rules.filter { $0["result"] as? String == "notselected" }.count, 195)
        XCTAssertEqual(report["includesNotselected"] as? Bool, true)
    }
}
