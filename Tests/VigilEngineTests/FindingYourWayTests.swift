import Foundation
import VigilContent
import VigilEngine
import VigilStore
import XCTest

/// Short rule ids and `--skip-rule` in a scan, the rule listing and explanation, and the
/// remediation plans `vigil fix` writes, on the test data stream.
final class FindingYourWayTests: XCTestCase {
    static let ruleNS = "xccdf_org.example_rule_"

    func scan(_ change: (inout ScanOptions) -> Void) throws -> [String: XCCDFResult] {
        let (path, root) = try TestDataStream.write()
        var o = ScanOptions(vigilVersion: "test")
        o.content = path
        o.root = root
        o.jobs = 2
        o.profile = "strict"
        change(&o)
        let outcome = try ScanSession(o).run()
        return Dictionary(outcome.result.ruleResults.map { (ItemNames.shortID($0.ruleID), $0.result) }, uniquingKeysWith: { a, _ in a })
    }

    func testRuleAndSkipRuleTakeShortIDs() throws {
        let all = try scan { _ in }
        let only = try scan { $0.rules = ["root_login"] }
        XCTAssertEqual(only.filter { $0.value != .notselected }.map(\.key), ["root_login"])
        XCTAssertEqual(only["root_login"], all["root_login"])

        let skipped = try scan { $0.skipRules = ["shadow_mode", Self.ruleNS + "negated"] }
        XCTAssertEqual(skipped["shadow_mode"], .notselected)
        XCTAssertEqual(skipped["negated"], .notselected)
        XCTAssertNotEqual(all["shadow_mode"], .notselected, "the profile selects it")
        // Skipping leaves requires/conflicts as they were (oscap --skip-rule does the same).
        for (rule, result) in all where rule != "shadow_mode" && rule != "negated" {
            XCTAssertEqual(skipped[rule], result, rule)
        }
    }

    func testUnknownRulesAndProfilesSuggestTheNearest() throws {
        func message(_ change: (inout ScanOptions) -> Void) -> String {
            do { _ = try scan(change); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message { $0.rules = ["root_logn"] }.contains("no rule 'root_logn'") , message { $0.rules = ["root_logn"] })
        XCTAssertTrue(message { $0.rules = ["root_logn"] }.hasSuffix("(did you mean root_login?)"))
        XCTAssertTrue(message { $0.skipRules = ["shadow_mod"] }.contains("did you mean shadow_mode"))
        XCTAssertFalse(message { $0.rules = ["zzzzzzzzzzzz"] }.contains("did you mean"), "nothing near: no suggestion")
        XCTAssertTrue(message { $0.profile = "strikt" }.contains("unknown profile 'strikt' (did you mean strict"))
        XCTAssertTrue(message { $0.rules = ["shadow_mode"]; $0.skipRules = ["shadow_mode"] }.contains("both --rule and --skip-rule"))
    }

    func testRulesAreListedAndExplained() throws {
        let (path, _) = try TestDataStream.write()
        let content = try SCAPContent.load(path: path, ruleTexts: true)
        let strict = try ContentLookup.policy(content, profile: "strict")
        let entries = RuleCatalog.entries(content.benchmark, policy: strict)
        XCTAssertEqual(entries.map(\.id), content.benchmark.ruleOrder.filter(strict.selected.contains), "benchmark order")
        XCTAssertTrue(entries.contains { $0.shortID == "unselected" }, "the profile selects it")
        let root = try XCTUnwrap(entries.first { $0.shortID == "root_login" })
        XCTAssertEqual(root.severity, "high")
        XCTAssertEqual(root.references.first { $0.kind == "cce" }?.id, "CCE-root_login")
        XCTAssertEqual(RuleCatalog.entries(content.benchmark, policy: strict, search: "ROOT_LOGIN").map(\.shortID), ["root_login"])
        XCTAssertEqual(RuleCatalog.entries(content.benchmark, policy: strict, search: "cce-shadow").map(\.shortID), ["shadow_mode"])

        let e = try RuleExplanation(rule: Self.ruleNS + "root_login", content: content, policy: strict)
        XCTAssertEqual(e.description, "Rule root_login")
        XCTAssertEqual(e.selectedBy, ["xccdf_org.example_profile_strict", "xccdf_org.example_profile_strict_extended"])
        XCTAssertEqual(e.checks.first?.definitionID, "oval:x:def:root_login")
        XCTAssertEqual(e.checks.first?.definitionTitle, "root login")
        XCTAssertEqual(e.checks.first?.criteria, ["AND", "  test oval:x:tst:root_login (textfilecontent54_test): c"])
        let sh = try XCTUnwrap(e.fixes.first { $0.system == FixFormat.bash.system })
        XCTAssertEqual(sh.script, "sed -i 's/^PermitRootLogin.*/PermitRootLogin prohibit-password/' /etc/ssh/sshd_config",
                       "the profile's value in place of <sub>")
        XCTAssertEqual(e.fixes.map(\.system), ["urn:xccdf:fix:script:ansible", "urn:xccdf:fix:script:sh"], "every fix")
        XCTAssertEqual(try ContentLookup.ruleID("complex_or", in: content), Self.ruleNS + "complex_or")
        XCTAssertEqual(try RuleExplanation(rule: Self.ruleNS + "complex_or", content: content, policy: strict).checks.count, 2)
    }

    func testAProfilePlanFixesEverySelectedRuleWithItsValues() throws {
        let (path, _) = try TestDataStream.write()
        let content = try SCAPContent.load(path: path, ruleTexts: true)
        let strict = try RemediationPlan.profile(content, profile: "strict").script(.bash)
        let root = try XCTUnwrap(strict.entries.first { $0.ruleID == Self.ruleNS + "root_login" })
        XCTAssertEqual(root.script, "sed -i 's/^PermitRootLogin.*/PermitRootLogin prohibit-password/' /etc/ssh/sshd_config")
        XCTAssertEqual(strict.rulesWithScript, [Self.ruleNS + "root_login"])
        XCTAssertTrue(strict.text.contains("(>&2 echo 'FIX FOR THIS RULE '\\''\(Self.ruleNS)shadow_mode'\\'' IS MISSING!')"))

        // The default selection: the benchmark's own value; requires/conflicts left aside as
        // `oscap xccdf generate fix` leaves them.
        let defaults = try RemediationPlan.profile(content, profile: nil)
        XCTAssertTrue(try defaults.script(.bash).text.contains("PermitRootLogin no/"))
        XCTAssertFalse(defaults.policy.selected.contains(Self.ruleNS + "needs_unselected"))
        XCTAssertTrue(defaults.rules.contains(Self.ruleNS + "needs_unselected"))
        XCTAssertTrue(defaults.rules.contains(Self.ruleNS + "conflict_first") && defaults.rules.contains(Self.ruleNS + "conflict_second"))

        let ansible = try RemediationPlan.profile(content, profile: "strict").script(.ansible)
        XCTAssertEqual(ansible.rulesWithScript, [Self.ruleNS + "root_login"])
        XCTAssertTrue(ansible.text.contains("  tasks:\n    # BEGIN fix (1 / "), ansible.text)
        XCTAssertTrue(ansible.text.contains("\n    - lineinfile: {}\n"), ansible.text)
    }

    func testAScanPlanFixesTheRulesThatFailedWithTheScansValues() throws {
        let (path, root) = try TestDataStream.write()
        let db = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("db/vigil.db").path
        var o = ScanOptions(vigilVersion: "test")
        o.content = path
        o.root = root
        o.profile = "strict"
        o.store = db
        let outcome = try ScanSession(o).run()
        let failed = outcome.result.ruleResults.filter { $0.result == .fail }.map(\.ruleID)
        XCTAssertTrue(failed.contains(Self.ruleNS + "root_login"), "the file says 'no', the profile wants prohibit-password")
        let store = try ScanStore(path: db)
        let plan = try RemediationPlan.scan("last", in: store)
        XCTAssertEqual(plan.rules, failed)
        let script = try plan.script(.bash)
        XCTAssertEqual(script.entries.map(\.ruleID), failed)
        XCTAssertTrue(script.text.contains("PermitRootLogin prohibit-password/"), "the scan's profile values")
        XCTAssertTrue(script.header.contains { $0.contains("failed in scan 1") }, "\(script.header)")

        // The content changed since the scan: its fixes may not be the ones evaluated.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("<!-- changed -->\n".utf8))
        try handle.close()
        XCTAssertThrowsError(try RemediationPlan.scan("1", in: store)) { error in
            XCTAssertTrue("\(error)".contains("has changed since scan 1"), "\(error)")
        }
    }

    /// `vigil rules` shows CCE, CIS and the other catalogues by kind: a Common Criteria
    /// (niap-ccevs) or PCI DSS (pcisecuritystandards) href is neither CCE nor CIS.
    func testReferenceKindsDoNotMistakeLookalikeHrefs() {
        XCTAssertEqual(RuleReferences.kind(system: "https://www.niap-ccevs.org/Profile/PP.cfm", id: "FMT_SMF_EXT.1"), "other")
        XCTAssertEqual(RuleReferences.kind(system: "https://www.pcisecuritystandards.org/documents/PCI_DSS_v3-2-1.pdf", id: "Req-8.2.3"), "other")
        XCTAssertEqual(RuleReferences.kind(system: "https://nvd.nist.gov/cce/index.cfm", id: "CCE-83579-3"), "cce")
        XCTAssertEqual(RuleReferences.kind(system: "https://ncp.nist.gov/cce", id: "CCE-1"), "cce")
        XCTAssertEqual(RuleReferences.kind(system: "https://www.cisecurity.org/controls/", id: "12"), "cis")
        XCTAssertEqual(RuleReferences.kind(system: "https://www.cisecurity.org/benchmark/ubuntu_linux/", id: "5.2.1"), "cis")
    }
}
