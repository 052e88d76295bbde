import Foundation
import VigilContent
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// Every format through the one entry point, XCCDF and ARF included, from a stored scan
/// plus the content it evaluated.
final class ReportPipelineTests: XCTestCase {
    /// A benchmark of the sample report's rules, as a file in a fresh directory.
    func sampleContent() throws -> SCAPContent { try sampleBenchmark(removedAfter: self) }
}

/// A benchmark of the sample report's rules, as a file in a fresh directory that `test`
/// removes when it ends.
func sampleBenchmark(removedAfter test: XCTestCase) throws -> SCAPContent {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pipeline-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    let rules = sampleReport().rules.map(\.record).map { r in
        """
        <Rule id="\(r.ruleID)" selected="true" severity="\(r.severity)" weight="2.5"><title>\(r.title)</title>
          <ident system="https://ncp.nist.gov/cce">CCE-\(r.ruleID.count)</ident>
          <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:1"/></check>
        </Rule>
        """
    }
    let file = dir.appendingPathComponent("benchmark.xml")
    try """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_b" resolved="1">
          <status>draft</status><title>Sample</title><version>1.2</version>
          \(rules.joined(separator: "\n"))
        </Benchmark>
        """.write(to: file, atomically: true, encoding: .utf8)
    return try SCAPContent.load(path: file.path)
}

extension ReportPipelineTests {
    func testContentFormatsWithoutContentAreAClearError() {
        for format in ReportFormat.allCases where format.needsContent {
            XCTAssertThrowsError(try ReportPipeline.render(format, sampleReport())) { error in
                XCTAssertTrue(error is ReportError)
                XCTAssertTrue("\(error)".contains("the \(format.rawValue) report is made with the SCAP content"), "\(error)")
            }
        }
    }

    func testEveryFormatComesFromTheOneEntryPoint() throws {
        var data = sampleReport()
        data.scap = SCAPSource(content: try sampleContent())
        for format in ReportFormat.allCases {
            XCTAssertFalse(try ReportPipeline.render(format, data).isEmpty, "\(format)")
        }
        let xccdf = String(decoding: try ReportPipeline.render(.xccdf, data), as: UTF8.self)
        // From the stored results: each rule's result, the content's weight and check, the
        // scan's host as the target, and the version of this Vigil.
        XCTAssertTrue(xccdf.contains(#"<rule-result idref="xccdf_org.example_rule_root_login" role="full""#), xccdf)
        XCTAssertTrue(xccdf.contains(#"severity="high" weight="2.500000">"#), xccdf)
        XCTAssertEqual(["pass", "fail", "error", "notapplicable"].map { xccdf.components(separatedBy: "<result>\($0)</result>").count - 1 },
                       [1, 2, 1, 1])
        XCTAssertTrue(xccdf.contains("<message severity=\"info\">unsupported object type foo_object</message>"), xccdf)
        XCTAssertTrue(xccdf.contains("<target>node-1</target>"))
        XCTAssertTrue(xccdf.contains("test-system=\"cpe:/a:vigil:vigil:\(VigilVersion.current)\""))
        XCTAssertTrue(xccdf.contains(#"<score system="urn:xccdf:scoring:default" maximum="100.000000">40.000000</score>"#))
        data.scap?.testResultTarget = "scanner"
        let named = String(decoding: try ReportPipeline.render(.xccdf, data), as: UTF8.self)
        XCTAssertTrue(named.contains("<target>scanner</target>"))
        let arf = String(decoding: try ReportPipeline.render(.arf, data), as: UTF8.self)
        XCTAssertTrue(arf.contains("<ai:hostname>node-1</ai:hostname>"), "ARF names the scanned host")
        XCTAssertTrue(arf.contains("<target>node-1</target>"), "and so does its TestResult")
    }

    /// A live scan's own result (its values and messages) is what XCCDF writes, not the
    /// stored records.
    func testALiveResultIsWrittenAsItIs() throws {
        var data = sampleReport()
        let live = ScanResult(benchmarkID: "xccdf_org.example_benchmark_b", benchmarkVersion: "1.2", profileID: nil,
                              contentPath: "/c.xml", target: "/", startTime: Date(), endTime: Date(),
                              ruleResults: [RuleResult(ruleID: "xccdf_org.example_rule_ok", result: .informational,
                                                       severity: "low", weight: 7, role: "full", check: nil, time: Date())],
                              setValues: [(id: "xccdf_org.example_value_v", value: "42")], scores: [])
        data.scap = SCAPSource(content: try sampleContent(), result: live)
        let xccdf = String(decoding: try ReportPipeline.render(.xccdf, data), as: UTF8.self)
        XCTAssertTrue(xccdf.contains(#"<set-value idref="xccdf_org.example_value_v">42</set-value>"#), xccdf)
        XCTAssertEqual(xccdf.components(separatedBy: "<rule-result ").count, 2)
        XCTAssertTrue(xccdf.contains("<result>informational</result>"))
    }
}
