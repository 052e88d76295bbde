import Foundation
import XCTest

/// `vigil info` counts and lists SCAP-pure and Vigil-native rules; the JSON report marks
/// each rule's check system, the HTML report and the text summary show a "native" marker.
final class NativeMarkingCommandLineTests: XCTestCase {
    func testInfoAndReportsMarkNativeRules() throws {
        let work = try Shell.tempDir()
        let (folder, root) = try NativeCheckDifferentialTests.fixture(in: work)
        let info = try Shell.run(Shell.vigilBinary, ["info", folder.path, "--verbose"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("  SCAP-pure (standard OVAL checks): 1\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("  Vigil-native: 3 (2 with an OVAL fallback, 1 without)\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("Vigil-native without fallback:\n  xccdf_io.vigil_rule_backends\n"), info.stdout)
        XCTAssertTrue(info.stdout.contains("SCAP-pure:\n  xccdf_io.vigil_rule_standard\n"), info.stdout)
        let explain = try Shell.run(Shell.vigilBinary, ["explain", "no_sha1", "--content", folder.path])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("  Vigil-native check (other SCAP tools evaluate the OVAL check after it, if any):\n"
                                              + "    kind crypto_policy\n    sha1: forbidden\n"), explain.stdout)

        let html = work.appendingPathComponent("r.html").path
        let scan = try Shell.run(Shell.vigilBinary, ["scan", folder.path, "--root", root.path, "--no-store", "--allow-empty",
                                                     "--report", "json:" + work.appendingPathComponent("r.json").path, "--report", "html:" + html])
        XCTAssertEqual(scan.status, 2, scan.stderr)
        XCTAssertTrue(scan.stdout.contains("no_sha1  [xccdf_io.vigil_rule_no_sha1] (native)"), scan.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: work.appendingPathComponent("r.json"))) as? [String: Any]
        let rules = (json?["rules"] as? [[String: Any]]) ?? []
        let systems = Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0["checkSystem"] as? String ?? "-") })
        XCTAssertEqual(systems, ["xccdf_io.vigil_rule_no_sha1": "native", "xccdf_io.vigil_rule_policy": "native",
                                 "xccdf_io.vigil_rule_backends": "native", "xccdf_io.vigil_rule_standard": "oval"])
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports/vigil-report.schema.json").path
        let valid = try Shell.run("/usr/bin/env", ["python3", "-c", "import json, sys, jsonschema; "
                                                   + "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
                                                   work.appendingPathComponent("r.json").path, schema])
        XCTAssertEqual(valid.status, 0, "the JSON report with checkSystem follows its schema: \(valid.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertEqual(page.components(separatedBy: "<b class=\"badge native\"").count - 1, 3, "one marker per native rule")
    }

    func testStoredScanXCCDFReportNamesTheNativeCheck() throws {
        let work = try Shell.tempDir()
        let (folder, root) = try NativeCheckDifferentialTests.fixture(in: work)
        let db = work.appendingPathComponent("db/vigil.db").path
        let scan = try Shell.run(Shell.vigilBinary, ["scan", folder.path, "--root", root.path, "--db", db, "--quiet", "--allow-empty"])
        XCTAssertEqual(scan.status, 2, scan.stderr)
        let out = work.appendingPathComponent("stored.xml").path
        let report = try Shell.run(Shell.vigilBinary, ["report", "last", "--db", db, "--format", "xccdf", "--out", out])
        XCTAssertEqual(report.status, 0, report.stderr)
        let xml = try String(contentsOfFile: out, encoding: .utf8)
        let native = try XCTUnwrap(xml.components(separatedBy: "<rule-result ").first { $0.hasPrefix("idref=\"xccdf_io.vigil_rule_no_sha1\"") })
        XCTAssertTrue(native.contains("<check system=\"https://vigil.dev/xccdf/native-check/1\">"), native)
        XCTAssertTrue(native.contains("name=\"crypto_policy\""), native)
        let standard = try XCTUnwrap(xml.components(separatedBy: "<rule-result ").first { $0.hasPrefix("idref=\"xccdf_io.vigil_rule_standard\"") })
        XCTAssertTrue(standard.contains("<check system=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\">"), standard)
    }
}
