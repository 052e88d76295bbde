import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// A report made later from the store marks Vigil-native rules as the scan's own report
/// did, without the content at hand; results stored before the store kept the check
/// system are unmarked (JSON leaves `checkSystem` out, HTML shows no badge).
final class StoredCheckSystemReportTests: XCTestCase {
    /// `sampleReport`'s rules saved in a fresh store with check systems native, oval,
    /// other, unknown, native; read back as `vigil report N` reads them.
    private func storedReport() throws -> (data: ReportData, directory: URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-marking-\(UUID().uuidString)")
        let store = try ScanStore(path: directory.appendingPathComponent("vigil.db").path)
        let sample = sampleReport()
        var rules = sample.rules.map(\.record)
        for (i, system) in [RuleCheckSystem.native, .oval, .other, nil, .native].enumerated() { rules[i].checkSystem = system }
        let id = try store.save(ScanRecord(metadata: sample.scan.metadata, rules: rules))
        let data = ReportData(scan: try store.scan(String(id)), rules: try store.results(of: id), generator: "0.1.0",
                              now: sample.generatedAt)
        XCTAssertNil(data.scap, "a stored scan's JSON and HTML reports are made without its content")
        return (data, directory)
    }

    func testJSONReportOfAStoredScanCarriesEachRulesCheckSystem() throws {
        let (data, directory) = try storedReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = try JSONSerialization.jsonObject(with: try JSONReport(data).encoded()) as? [String: Any]
        let rules = try XCTUnwrap(json?["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["checkSystem"] as? String ?? "absent" }, ["native", "oval", "other", "absent", "native"])
        XCTAssertEqual(json?["schemaVersion"] as? String, "1.3", "checkSystem is the 1.2 field, kept as it was in 1.3")
    }

    func testHTMLReportOfAStoredScanShowsTheNativeBadge() throws {
        let (data, directory) = try storedReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = try HTMLReport.html(data)
        let rows = page.components(separatedBy: "<tr data-result=").dropFirst()
        func row(_ id: String) -> String { rows.first { $0.contains("<td>xccdf_org.example_rule_\(id)</td>") } ?? "" }
        XCTAssertEqual(rows.count, 5)
        for id in ["ok", "other_os"] { XCTAssertTrue(row(id).contains("<b class=\"badge native\""), row(id)) }
        for id in ["root_login", "banner", "broken"] { XCTAssertFalse(row(id).contains("badge native"), row(id)) }
    }
}
