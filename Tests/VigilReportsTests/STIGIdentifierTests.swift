import Foundation
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// STIG checklists: DISA's identifiers from the SCAP Security Guide's references, the
/// STIG id of the scanned OS, a warning for rules without a STIG id, and an error for
/// content with none.
final class STIGIdentifierTests: XCTestCase {
    static let downloads = "https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=operating-systems%2Cunix-linux"
    static let tools = "https://public.cyber.mil/stigs/srg-stig-tools/"

    /// A rule as the SCAP Security Guide gives it for RHEL 8 and 9 (`RuleReferences.kind`
    /// sorts these: SRG- is srg, SV- and the STIG ids are stig, CCI- is cci).
    static func ssgRule(result: XCCDFResult = .fail) -> RuleRecord {
        RuleRecord(ruleID: "xccdf_org.ssgproject.content_rule_sshd_disable_root_login", title: "Disable SSH Root Login",
                   severity: "medium", result: result, references: [
                       RuleReference(kind: "cci", system: "https://public.cyber.mil/stigs/cci/", id: "CCI-000770"),
                       RuleReference(kind: "srg", system: downloads, id: "SRG-OS-000109-GPOS-00056"),
                       RuleReference(kind: "stig", system: downloads, id: "RHEL-08-010550"),
                       RuleReference(kind: "stig", system: downloads, id: "RHEL-09-255045"),
                       RuleReference(kind: "stig", system: tools, id: "SV-230296r858711_rule"),
                   ])
    }

    func report(os: (String, String), rules: [RuleRecord]) -> ReportData {
        var data = identifiedReport()
        data.scan.system?.osName = os.0
        data.scan.system?.osVersion = os.1
        data.rules = rules.map { ReportRule(record: $0, waiver: nil, waived: false) }
        return data
    }

    func testDISAFormFromSSGReferencesAndTheSTIGIdOfTheScannedOS() throws {
        let ids9 = try XCTUnwrap(STIGIdentifiers(Self.ssgRule(), osName: "Red Hat Enterprise Linux", osVersion: "9.2"))
        XCTAssertEqual(ids9, STIGIdentifiers(vulnNumber: "V-230296", ruleID: "SV-230296r858711_rule", stigID: "RHEL-09-255045"))
        let ids8 = try XCTUnwrap(STIGIdentifiers(Self.ssgRule(), osName: "Red Hat Enterprise Linux", osVersion: "8.6"))
        XCTAssertEqual(ids8.stigID, "RHEL-08-010550")
        XCTAssertEqual(STIGIdentifiers(Self.ssgRule(), osName: "", osVersion: "")?.stigID, "RHEL-08-010550", "unknown OS: the first")
        XCTAssertEqual(STIGIdentifiers.best(["SLES-12-030150", "SLES-15-040040"], osName: "SUSE Linux Enterprise Server", osVersion: "15.5"),
                       "SLES-15-040040")
        XCTAssertEqual(STIGIdentifiers.best(["UBTU-20-010000", "UBTU-22-010000"], osName: "Ubuntu", osVersion: "22.04"), "UBTU-22-010000")
        XCTAssertEqual(STIGIdentifiers.best(["OL08-00-010000", "RHEL-08-010000"], osName: "Oracle Linux Server", osVersion: "8.9"), "OL08-00-010000")
        XCTAssertNil(STIGIdentifiers(RuleRecord(ruleID: "r", title: "t", severity: "low", result: .pass,
                                                references: [RuleReference(kind: "cci", system: "", id: "CCI-1")]),
                                     osName: "", osVersion: ""))

        let data = report(os: ("Red Hat Enterprise Linux", "9.2"), rules: [Self.ssgRule()])
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try ReportPipeline.render(.ckl, data)), label: "x.ckl").root)
        let vuln = try XCTUnwrap(root.child("STIGS")?.child("iSTIG")?.child("VULN"))
        func attribute(_ name: String) -> String? {
            vuln.children("STIG_DATA").first { $0.child("VULN_ATTRIBUTE")?.text == name }?.child("ATTRIBUTE_DATA")?.text
        }
        XCTAssertEqual(attribute("Vuln_Num"), "V-230296")
        XCTAssertEqual(attribute("Rule_ID"), "SV-230296r858711_rule")
        XCTAssertEqual(attribute("Rule_Ver"), "RHEL-09-255045")
        let cklb = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.cklb, data)) as? [String: Any])
        let rule = try XCTUnwrap(((cklb["stigs"] as? [[String: Any]])?.first?["rules"] as? [[String: Any]])?.first)
        XCTAssertEqual(rule["group_id"] as? String, "V-230296")
        XCTAssertEqual(rule["rule_id"] as? String, "SV-230296r858711_rule")
        XCTAssertEqual(rule["rule_version"] as? String, "RHEL-09-255045")
        XCTAssertEqual(rule["rule_id_src"] as? String, "xccdf_org.ssgproject.content_rule_sshd_disable_root_login")
    }

    func testRulesWithoutASTIGIdAreCountedInAWarning() throws {
        let plain = { (n: Int, result: XCCDFResult) in
            RuleRecord(ruleID: "xccdf_org.example_rule_plain\(n)", title: "Plain \(n)", severity: "low", result: result)
        }
        let data = report(os: ("Red Hat Enterprise Linux", "9.2"),
                          rules: [Self.ssgRule(), plain(1, .pass), plain(2, .fail), plain(3, .notselected)])
        for format in [ReportFormat.ckl, .cklb] {
            XCTAssertEqual(ReportPipeline.warnings(format, data),
                           ["2 of 3 evaluated rules have no STIG id and are not in the \(format.rawValue) checklist"])
            XCTAssertFalse(try ReportPipeline.render(format, data).isEmpty)
        }
        // A rule the profile does not select is not in the checklist, STIG id or not.
        var unselected = Self.ssgRule(result: .notselected)
        unselected.ruleID = "xccdf_org.ssgproject.content_rule_httpd_other_stig"
        let mixed = report(os: ("Red Hat Enterprise Linux", "9.2"), rules: [Self.ssgRule(), unselected])
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try ReportPipeline.render(.ckl, mixed)), label: "x.ckl").root)
        XCTAssertEqual(root.child("STIGS")?.child("iSTIG")?.children("VULN").count, 1)
        let cklb = try XCTUnwrap(JSONSerialization.jsonObject(with: try ReportPipeline.render(.cklb, mixed)) as? [String: Any])
        XCTAssertEqual((cklb["stigs"] as? [[String: Any]])?.first?["size"] as? Int, 1)
        XCTAssertEqual(ReportPipeline.warnings(.json, data), [])
        XCTAssertEqual(ReportPipeline.warnings(.ckl, report(os: ("", ""), rules: [Self.ssgRule()])), [], "none missing, no warning")
    }

    func testContentWithoutAnySTIGIdIsAnErrorForChecklists() {
        let data = report(os: ("Debian GNU/Linux", "12"), rules: [
            RuleRecord(ruleID: "xccdf_org.example_rule_a", title: "A", severity: "low", result: .fail,
                       references: [RuleReference(kind: "cis", system: "https://www.cisecurity.org/", id: "1.1")]),
        ])
        for format in [ReportFormat.ckl, .cklb] {
            XCTAssertThrowsError(try ReportPipeline.render(format, data)) { error in
                XCTAssertTrue(error is ReportError)
                XCTAssertTrue("\(error)".contains("no rule of xccdf_org.example_benchmark_b has a STIG id"), "\(error)")
            }
        }
        XCTAssertNoThrow(try ReportPipeline.render(.json, data))
    }
}
