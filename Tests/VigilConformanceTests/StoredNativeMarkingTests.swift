import Foundation
import XCTest

/// A scan of Vigil-native and SCAP-pure rules, stored, then reported again from the
/// store: `vigil report N` (JSON, HTML), `show` and `drift --format json` mark each rule
/// as the scan's own reports did.
final class StoredNativeMarkingTests: XCTestCase {
    /// Rule id → `checkSystem` ("absent" when left out) of the rules of a JSON text.
    static func systems(_ rules: Any?) -> [String: String] {
        let list = (rules as? [[String: Any]]) ?? []
        return Dictionary(list.map { (($0["id"] ?? $0["ruleID"]) as? String ?? "", $0["checkSystem"] as? String ?? "absent") },
                          uniquingKeysWith: { a, _ in a })
    }

    static func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testAStoredScanIsMarkedAsTheScanTimeReportWas() throws {
        let work = try Shell.tempDir()
        let (folder, root) = try NativeCheckDifferentialTests.fixture(in: work)
        let db = work.appendingPathComponent("db/vigil.db").path
        func vigil(_ args: [String]) throws -> Shell.Output { try StoreCommandLineTests.vigil(args, db: db) }
        func file(_ name: String) -> String { work.appendingPathComponent(name).path }
        let scan = try vigil(["scan", folder.path, "--root", root.path, "--allow-empty", "--quiet",
                              "--report", "json:" + file("scan.json"), "--report", "html:" + file("scan.html")])
        XCTAssertEqual(scan.status, 2, scan.stderr)
        let atScan = Self.systems(try Self.json(String(contentsOfFile: file("scan.json"), encoding: .utf8))["rules"])
        XCTAssertEqual(atScan, ["xccdf_io.vigil_rule_no_sha1": "native", "xccdf_io.vigil_rule_policy": "native",
                                "xccdf_io.vigil_rule_backends": "native", "xccdf_io.vigil_rule_standard": "oval"])

        XCTAssertEqual(try vigil(["report", "1", "--format", "json", "--out", file("stored.json")]).status, 0)
        let stored = try Self.json(String(contentsOfFile: file("stored.json"), encoding: .utf8))
        XCTAssertEqual(Self.systems(stored["rules"]), atScan, "the stored scan's report marks every rule as the scan's did")
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports/vigil-report.schema.json").path
        let valid = try Shell.run("/usr/bin/env", ["python3", "-c", "import json, sys, jsonschema; "
                                                   + "jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
                                                   file("stored.json"), schema])
        XCTAssertEqual(valid.status, 0, "the stored scan's JSON report follows its schema: \(valid.stderr)")

        XCTAssertEqual(try vigil(["report", "1", "--format", "html", "--out", file("stored.html")]).status, 0)
        func badges(_ name: String) throws -> Int {
            try String(contentsOfFile: file(name), encoding: .utf8).components(separatedBy: "<b class=\"badge native\"").count - 1
        }
        XCTAssertEqual(try badges("scan.html"), 3)
        XCTAssertEqual(try badges("stored.html"), 3, "the same badges as the scan's own page")

        let show = try vigil(["show", "1", "--format", "json"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertEqual(Self.systems(try Self.json(show.stdout)["rules"]), atScan)
        let text = try vigil(["show", "1"])
        XCTAssertTrue(text.stdout.contains("[xccdf_io.vigil_rule_no_sha1] (native)"), text.stdout)

        // The root's policy loses its SHA-1 sub-policy: no_sha1 is fixed, policy newly fails.
        for path in ["root/etc/crypto-policies/config", "root/etc/crypto-policies/state/current"] {
            try "FIPS\n".write(toFile: file(path), atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try vigil(["scan", folder.path, "--root", root.path, "--allow-empty", "--quiet"]).status, 2)
        let drift = try vigil(["drift", "--format", "json"])
        XCTAssertEqual(drift.status, 0, drift.stderr)
        let changes = try Self.json(drift.stdout)
        XCTAssertEqual(Self.systems(changes["fixed"]), ["xccdf_io.vigil_rule_no_sha1": "native"], drift.stdout)
        XCTAssertEqual(Self.systems(changes["newlyFailing"]), ["xccdf_io.vigil_rule_policy": "native"], drift.stdout)
        let driftText = try vigil(["drift"])
        XCTAssertTrue(driftText.stdout.contains("[xccdf_io.vigil_rule_no_sha1] (native)"), driftText.stdout)
        XCTAssertTrue(driftText.stdout.contains("[xccdf_io.vigil_rule_policy] (native)"), driftText.stdout)
        XCTAssertEqual(try vigil(["drift", "--format", "html", "--out", file("drift.html")]).status, 0)
        let page = try String(contentsOfFile: file("drift.html"), encoding: .utf8)
        XCTAssertEqual(page.components(separatedBy: "<b class=\"native\"").count - 1, 2, "one marker per changed native rule")
    }
}
