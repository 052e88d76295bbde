import Foundation
import VigilCore
import XCTest

/// The shared vocabulary: the failing set, the listing order and results as JSON keys.
final class XCCDFResultTests: XCTestCase {
    func testFailingSetAndListingOrder() {
        XCTAssertEqual(XCCDFResult.allCases.filter(\.isFailing), [.fail, .error, .unknown])
        XCTAssertEqual(XCCDFResult.allCases.filter(\.isExplainedByMessage), [.error, .unknown, .notchecked])
        XCTAssertEqual(XCCDFResult.listingOrder.map(\.rawValue),
                       ["pass", "fail", "error", "unknown", "notapplicable", "notchecked", "notselected", "informational", "fixed"])
        let scan = ScanResult(benchmarkID: "b", benchmarkVersion: "1", profileID: nil, contentPath: "c", target: "/",
                              startTime: Date(), endTime: Date(), ruleResults: [], setValues: [], scores: [])
        XCTAssertEqual(scan.exitCode, 0)
        for result in XCCDFResult.allCases {
            var s = scan
            s.ruleResults = [RuleResult(ruleID: "r", result: result, severity: "low", weight: 1, role: "full", check: nil, time: Date())]
            XCTAssertEqual(s.exitCode, result.isFailing ? 2 : 0, "\(result)")
        }
    }

    /// A dictionary keyed by result encodes as an object keyed by the result's name, as
    /// the store commands' and reports' JSON always had it.
    func testCountsEncodeAsAnObjectByName() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let counts: [XCCDFResult: Int] = [.pass: 3, .notapplicable: 1]
        XCTAssertEqual(String(decoding: try encoder.encode(counts), as: UTF8.self), #"{"notapplicable":1,"pass":3}"#)
        XCTAssertEqual(try JSONDecoder().decode([XCCDFResult: Int].self, from: Data(#"{"fail":2}"#.utf8)), [.fail: 2])
    }

    func testSeverityOrderAndParsing() {
        XCTAssertLessThan(Severity("INFO"), Severity("low"))
        XCTAssertEqual(Severity("whatever"), .unknown)
        XCTAssertEqual(Severity(argument: "High"), .high)
        XCTAssertNil(Severity(argument: "severe"))
    }
}
