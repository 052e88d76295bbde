import Foundation
import VigilContent
import VigilEngine
import VigilProbes
import VigilReports
import XCTest

final class ScannerTests: XCTestCase {
    func scan(profile: String? = nil, all: Bool = false, jobs: Int = 2, shadowMode: Int = 0o640,
              testOS: Bool = true, onlyRules: [String]? = nil) throws -> (ScanResult, SCAPContent) {
        let (path, root) = try TestDataStream.write(shadowMode: shadowMode, testOS: testOS)
        let content = try SCAPContent.load(path: path)
        var p: XCCDFProfile?
        if let profile {
            guard case .found(let found) = content.benchmark.profile(named: profile) else {
                XCTFail("profile \(profile) not found")
                throw EngineError("no profile")
            }
            p = found
        }
        let policy = try Policy(benchmark: content.benchmark, profile: p, selectAll: all)
        let scanner = Scanner(content: content, policy: policy, target: try RootTarget(root), jobs: jobs,
                              onlyRules: onlyRules.map { Set($0.map { "xccdf_org.example_rule_" + $0 }) })
        return (scanner.run(), content)
    }

    func results(_ r: ScanResult) -> [String: XCCDFResult] {
        Dictionary(r.ruleResults.map { (String($0.ruleID.dropFirst("xccdf_org.example_rule_".count)), $0.result) },
                   uniquingKeysWith: { first, _ in first })
    }

    func testDefaultSelection() throws {
        let (r, _) = try scan()
        let res = results(r)
        XCTAssertEqual(res["root_login"], .pass)
        XCTAssertEqual(res["shadow_mode"], .fail)
        XCTAssertEqual(res["negated"], .fail)
        XCTAssertEqual(res["ocil_only"], .notchecked)
        XCTAssertEqual(res["missing_def"], .error)
        XCTAssertEqual(res["bad_regex"], .error)
        XCTAssertEqual(res["complex_or"], .pass)
        XCTAssertEqual(res["unselected"], .notselected)
        XCTAssertEqual(res["platform_na"], .notapplicable)
        XCTAssertEqual(res["platform_ok"], .pass)
        XCTAssertEqual(r.exitCode, 2)
        let missing = r.ruleResults.first { $0.ruleID.hasSuffix("missing_def") }
        XCTAssertTrue(missing?.message?.contains("oval:x:def:999") ?? false, "\(String(describing: missing?.message))")
        let bad = r.ruleResults.first { $0.ruleID.hasSuffix("bad_regex") }
        XCTAssertTrue(bad?.message?.contains("^(unclosed") ?? false, "a rule in error names the bad pattern: \(String(describing: bad?.message))")
    }

    func testProfileRefinesValuesAndSelection() throws {
        let (r, _) = try scan(profile: "strict")
        let res = results(r)
        XCTAssertEqual(res["root_login"], .fail, "refine-value exports prohibit-password, the file says no")
        XCTAssertEqual(res["unselected"], .pass)
        XCTAssertEqual(res["platform_na"], .notselected)
        XCTAssertEqual(res["platform_ok"], .notselected)
        XCTAssertEqual(r.setValues.map(\.id), ["xccdf_org.example_value_root_login"])
        XCTAssertEqual(r.setValues.first?.value, "prohibit-password")
    }

    /// A rule with no `<fixtext>` shows its shell fix, with the profile's values filled in.
    func testRemediationIsTheShellFixWithTheScansValues() throws {
        func fix(_ profile: String?) throws -> String? {
            let (r, content) = try scan(profile: profile)
            let record = r.record(content: content, host: HostIdentity(name: "h", id: "i"), targetKind: .root, contentSHA256: "", vigilVersion: "0")
            return record.rules.first { $0.ruleID.hasSuffix("_root_login") }?.fixText
        }
        let sed = "sed -i 's/^PermitRootLogin.*/PermitRootLogin %@/' /etc/ssh/sshd_config"
        XCTAssertEqual(try fix(nil), String(format: sed, "no"), "the default value")
        XCTAssertEqual(try fix("strict"), String(format: sed, "prohibit-password"), "the profile's refine-value")
    }

    func testExtendedProfileInheritsAndOverrides() throws {
        let (r, _) = try scan(profile: "xccdf_org.example_profile_strict_extended")
        let res = results(r)
        XCTAssertEqual(res["root_login"], .pass, "set-value in the child profile wins")
        XCTAssertEqual(res["unselected"], .pass, "selection inherited from the parent profile")
        XCTAssertEqual(res["platform_ok"], .notselected)
    }

    func testRequiresLeavesOutARuleWhoseRequirementIsUnselected() throws {
        XCTAssertEqual(results(try scan().0)["needs_unselected"], .notselected)
        XCTAssertEqual(results(try scan(profile: "strict").0)["needs_unselected"], .pass)
    }

    /// Of two selected rules that conflict with each other, oscap 1.3.7 leaves out the
    /// first (in benchmark order) and then evaluates the second, which no longer
    /// conflicts with a selected rule.
    func testConflictsAreResolvedInBenchmarkOrder() throws {
        for all in [false, true] {
            let res = results(try scan(all: all).0)
            XCTAssertEqual(res["conflict_first"], .notselected)
            XCTAssertEqual(res["conflict_second"], .pass)
        }
    }

    /// As `oscap xccdf eval --rule` (checked with oscap 1.3.7): the named rules are
    /// evaluated whatever the profile, their group or their requires/conflicts select;
    /// every other rule is notselected; the profile's refine-value still applies.
    func testOnlyRulesEvaluatesTheNamedRulesWhateverTheSelection() throws {
        let (r, _) = try scan(profile: "strict", onlyRules: ["root_login", "platform_ok", "needs_unselected"])
        let res = results(r)
        XCTAssertEqual(res["root_login"], .fail, "the profile's refine-value applies")
        XCTAssertEqual(res["platform_ok"], .pass, "its group is deselected by the profile")
        XCTAssertEqual(res["needs_unselected"], .pass)
        XCTAssertEqual(r.ruleResults.filter { $0.result != .notselected }.count, 3)
        let (d, _) = try scan(onlyRules: ["unselected", "needs_unselected"])
        XCTAssertEqual(results(d)["unselected"], .pass, "not selected by default")
        XCTAssertEqual(results(d)["needs_unselected"], .pass, "requires an unselected rule")
        XCTAssertEqual(results(d)["root_login"], .notselected)
    }

    func testAllProfileSelectsEverything() throws {
        let (r, _) = try scan(all: true)
        XCTAssertEqual(r.ruleResults.filter { $0.result == .notselected }.map(\.ruleID), ["xccdf_org.example_rule_conflict_first"])
    }

    func testMultiCheckGivesOneResultPerDefinition() throws {
        let (r, _) = try scan(all: true)
        let multi = r.ruleResults.filter { $0.ruleID == "xccdf_org.example_rule_multi" }
        XCTAssertEqual(multi.compactMap { $0.check?.name }, ["oval:x:def:bad_regex", "oval:x:def:root_login",
                                                            "oval:x:def:root_login_present", "oval:x:def:shadow_mode"])
        // Exported values are bound once per scan, so root_login sees the value another rule exports.
        XCTAssertEqual(multi.map(\.result), [.error, .pass, .pass, .fail])
    }

    func testBenchmarkPlatformDecidesApplicability() throws {
        let (r, _) = try scan(shadowMode: 0o600, testOS: false)
        let evaluated = r.ruleResults.filter { $0.result != .notselected }
        XCTAssertFalse(evaluated.isEmpty)
        XCTAssertTrue(evaluated.allSatisfy { $0.result == .notapplicable })
        XCTAssertEqual(r.exitCode, 0)
    }

    func testShadowModeChangesVerdict() throws {
        let (r, _) = try scan(shadowMode: 0o600)
        XCTAssertEqual(results(r)["shadow_mode"], .pass)
    }

    func testJobsDoNotChangeResults() throws {
        let (one, _) = try scan(all: true, jobs: 1)
        let (eight, _) = try scan(all: true, jobs: 8)
        XCTAssertEqual(one.ruleResults.map(\.ruleID), eight.ruleResults.map(\.ruleID))
        XCTAssertEqual(one.ruleResults.map(\.result), eight.ruleResults.map(\.result))
    }

    func testScoresFollowTheModels() throws {
        let (r, _) = try scan(shadowMode: 0o600)
        let scores = Dictionary(uniqueKeysWithValues: r.scores.map { ($0.system, $0) })
        // Counted: root_login pass, shadow_mode pass, negated fail, missing_def error, bad_regex error,
        // complex_or pass, conflict_second pass, platform_ok pass (in a group) -> 5 of 8 pass.
        XCTAssertEqual(scores["urn:xccdf:scoring:flat-unweighted"]?.value, 5)
        XCTAssertEqual(scores["urn:xccdf:scoring:flat-unweighted"]?.maximum, 8)
        XCTAssertEqual(scores["urn:xccdf:scoring:absolute"]?.value, 0)
        // Default model: top level has 7 counted rules (4 pass) and the group (100): (400 + 100) / 8.
        XCTAssertEqual(scores["urn:xccdf:scoring:default"]?.value ?? 0, 500.0 / 8.0, accuracy: 0.001)
    }

    func testResultsDocumentHoldsEveryRule() throws {
        let (r, content) = try scan()
        let bytes = try ResultsWriter.xml(content: content, result: r, hostname: "testhost")
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "<rule-result ").count - 1, r.ruleResults.count)
        XCTAssertEqual(Set(r.ruleResults.map(\.ruleID)).count, content.benchmark.rules.count)
        XCTAssertTrue(text.contains("<target>testhost</target>"))
        XCTAssertTrue(text.contains("urn:xccdf:scoring:default"))
    }
}
