import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// The Heimdall Data Format report, field by field: platform, profile, controls with
/// impact, tags and references, results with status, code description and start time.
final class HDFReportTests: XCTestCase {
    func hdf(_ data: ReportData) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.hdf, data)) as? [String: Any])
    }

    func testHDFStructureFieldByField() throws {
        let waivers = try WaiverList.parse("waivers:\n  - {rule: banner, reason: accepted risk, owner: sec, expires: 2099-01-01}\n", file: "w.yaml")
        var data = identifiedReport()
        data.rules = sampleReport(waivers: waivers).rules
        data.rules.append(ReportRule(record: RuleRecord(ruleID: "xccdf_org.example_rule_skipped_by_profile", title: "Off",
                                                        severity: "low", result: .notselected), waiver: nil, waived: false))
        let root = try hdf(data)
        XCTAssertEqual(root["version"] as? String, "0.1.0")
        let platform = try XCTUnwrap(root["platform"] as? [String: Any])
        XCTAssertEqual(platform["name"] as? String, "red hat enterprise linux")
        XCTAssertEqual(platform["release"] as? String, "9.2")
        XCTAssertEqual(platform["target_id"] as? String, "node-1")
        let statistics = try XCTUnwrap(root["statistics"] as? [String: Any])
        XCTAssertEqual(statistics["duration"] as? Double, 2)
        let profiles = try XCTUnwrap(root["profiles"] as? [[String: Any]])
        XCTAssertEqual(profiles.count, 1)
        let profile = profiles[0]
        XCTAssertEqual(profile["name"] as? String, "xccdf_org.example_benchmark_b")
        XCTAssertEqual(profile["title"] as? String, "Sample benchmark")
        XCTAssertEqual(profile["version"] as? String, "1.2")
        XCTAssertEqual(profile["summary"] as? String, "Sample profile")
        XCTAssertEqual(profile["sha256"] as? String, String(repeating: "ab", count: 32))
        for key in ["supports", "attributes", "groups"] { XCTAssertNotNil(profile[key] as? [Any], key) }
        let controls = try XCTUnwrap(profile["controls"] as? [[String: Any]])
        XCTAssertEqual(controls.map { $0["id"] as? String }, [
            "xccdf_org.example_rule_ok", "xccdf_org.example_rule_root_login", "xccdf_org.example_rule_banner",
            "xccdf_org.example_rule_broken", "xccdf_org.example_rule_other_os",
        ], "the rule the profile does not select is left out")
        XCTAssertEqual(controls.map { $0["impact"] as? Double }, [0.5, 0.7, 0.3, 0.5, 0.0], "severity; notapplicable is 0")

        let root_login = controls[1]
        XCTAssertEqual(root_login["title"] as? String, "No root login")
        XCTAssertEqual(root_login["desc"] as? String, "Root must not log in <directly>.")
        let descriptions = try XCTUnwrap(root_login["descriptions"] as? [[String: String]])
        XCTAssertEqual(descriptions.map { $0["label"] }, ["default", "rationale", "fix"])
        XCTAssertEqual(descriptions[2]["data"], "Set PermitRootLogin no & restart sshd.")
        let tags = try XCTUnwrap(root_login["tags"] as? [String: Any])
        XCTAssertEqual(tags["cci"] as? [String], ["CCI-000770"])
        XCTAssertEqual(tags["gid"] as? String, "V-238218")
        XCTAssertEqual(tags["severity"] as? String, "high")
        XCTAssertEqual((controls[0]["tags"] as? [String: Any])?["nist"] as? [String], ["AC-6"])
        let refs = try XCTUnwrap(root_login["refs"] as? [[String: String]])
        XCTAssertEqual(refs.map { $0["ref"] }, ["stig: V-238218", "cci: CCI-000770"])
        XCTAssertEqual(refs.map { $0["url"] }, ["https://public.cyber.mil/stigs", "http://cyber.mil/cci"])
        XCTAssertEqual((root_login["source_location"] as? [String: Any])?["ref"] as? String, "/c.xml")

        let results = controls.map { ($0["results"] as? [[String: Any]])?.first ?? [:] }
        XCTAssertEqual(results.map { $0["status"] as? String }, ["passed", "failed", "failed", "error", "skipped"])
        XCTAssertEqual(results[1]["code_desc"] as? String, "No root login: fail")
        XCTAssertEqual(results[1]["message"] as? String, "/etc/ssh/sshd_config (PermitRootLogin=yes)")
        XCTAssertEqual(results[3]["message"] as? String, "unsupported object type foo_object")
        XCTAssertEqual(results[4]["skip_message"] as? String, "XCCDF result notapplicable")
        XCTAssertNil(results[0]["message"])
        for result in results { XCTAssertEqual(result["start_time"] as? String, "2026-09-21T14:13:15Z") }
        let waiver = try XCTUnwrap(controls[2]["waiver_data"] as? [String: Any])
        XCTAssertEqual(waiver["expiration_date"] as? String, "2099-01-01")
        XCTAssertEqual(waiver["justification"] as? String, "accepted risk (owner sec)")
        XCTAssertNil(controls[1]["waiver_data"])
        let counts = try XCTUnwrap(statistics["controls"] as? [String: [String: Int]])
        XCTAssertEqual(counts.mapValues { $0["total"] }, ["passed": 1, "failed": 3, "skipped": 1])
        let passthrough = try XCTUnwrap((root["passthrough"] as? [String: Any])?["vigil"] as? [String: Any])
        XCTAssertEqual((passthrough["system"] as? [String: Any])?["kernelRelease"] as? String, "5.14.0-284.el9.x86_64")
        XCTAssertEqual(passthrough["targetKind"] as? String, "host")
    }

    func testARuleWithSeveralInstancesIsOneControlWithSeveralResults() throws {
        var data = sampleReport()
        let instance = { (i: String, result: XCCDFResult) in
            RuleRecord(ruleID: "xccdf_org.example_rule_multi", instance: i, title: "Multi", severity: "medium", result: result)
        }
        data.rules = [instance("oval:x:def:1", .pass), instance("oval:x:def:2", .fail)].map { ReportRule(record: $0, waiver: nil, waived: false) }
        let profile = try XCTUnwrap((try hdf(data)["profiles"] as? [[String: Any]])?.first)
        let controls = try XCTUnwrap(profile["controls"] as? [[String: Any]])
        XCTAssertEqual(controls.count, 1)
        let results = try XCTUnwrap(controls[0]["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["code_desc"] as? String }, ["Multi [oval:x:def:1]: pass", "Multi [oval:x:def:2]: fail"])
        XCTAssertEqual(results.map { $0["status"] as? String }, ["passed", "failed"])
    }

    func testHDFFollowsTheExecJSONRequirements() throws {
        // The required fields of InSpec's exec JSON schema (heimdall2 libs/inspecjs/schemas/exec-json.json).
        let root = try hdf(identifiedReport())
        for key in ["platform", "profiles", "statistics", "version"] { XCTAssertNotNil(root[key], key) }
        let profile = try XCTUnwrap((root["profiles"] as? [[String: Any]])?.first)
        for key in ["name", "sha256", "supports", "attributes", "groups", "controls"] { XCTAssertNotNil(profile[key], key) }
        for control in try XCTUnwrap(profile["controls"] as? [[String: Any]]) {
            for key in ["id", "impact", "refs", "tags", "source_location", "results"] { XCTAssertNotNil(control[key], key) }
            let impact = try XCTUnwrap(control["impact"] as? Double)
            XCTAssertTrue((0...1).contains(impact))
            for result in try XCTUnwrap(control["results"] as? [[String: Any]]) {
                XCTAssertNotNil(result["code_desc"] as? String)
                XCTAssertNotNil(result["start_time"] as? String)
                XCTAssertTrue(["passed", "failed", "skipped", "error"].contains(result["status"] as? String ?? ""))
            }
        }
        for group in try XCTUnwrap(profile["groups"] as? [[String: Any]]) {
            XCTAssertNotNil(group["id"] as? String)
            XCTAssertNotNil(group["controls"] as? [String])
        }
    }
}
