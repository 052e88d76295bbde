import Foundation
import XCTest
@testable import VigilRules

/// Reading the `flag` check kind: every mistake in a rule is refused with its file and
/// line; the default's verdict is worked out from the condition, or checked against `missing`.
final class FlagCheckFileTests: XCTestCase {
    /// The demo folder of `RuleFolderTests` and one more rule, whose `flag` check holds `fields` (one per line).
    func folder(_ fields: [String]) -> [String: String] {
        let rule = """
            id: apiserver_flag
            title: An API server flag
            severity: medium
            description: A flag.
            check:
              flag:
                files: [/etc/kubernetes/manifests/kube-apiserver.yaml]

            """ + fields.map { "    \($0)\n" }.joined()
        return ["benchmark.yaml": benchmarkYAML, "ssh/root_login.yaml": rootLoginYAML, "ssh/max_tries.yaml": maxTriesYAML,
                "k8s/flag.yaml": rule]
    }

    func problems(_ fields: [String]) throws -> [String] {
        folderProblems(try ruleFolder(folder(fields)))
    }

    func loaded(_ fields: [String]) throws -> FlagCheck {
        let b = try RuleFolder.load(try ruleFolder(folder(fields)))
        guard let rule = b.rules.first(where: { $0.id == "apiserver_flag" }), case .flag(let f) = rule.check else {
            XCTFail("no flag rule")
            throw RuleError(file: "", line: nil, "no flag rule")
        }
        return f
    }

    func testBadConditionsAreRefusedWithTheirLine() throws {
        XCTAssertEqual(try problems(["name: anonymous-auth"]), [
            "k8s/flag.yaml:7: check 'flag' needs exactly one of present, value, value_pattern, contains, lacks, at_least, at_most (at_least with at_most for a range)",
        ])
        XCTAssertEqual(try problems(["name: secure-port", "value: \"6443\"", "contains: x"]), [
            "k8s/flag.yaml:7: check 'flag' needs exactly one of present, value, value_pattern, contains, lacks, at_least, at_most (at_least with at_most for a range), not value and contains",
        ])
        XCTAssertEqual(try problems(["name: --secure-port", "present: true"]),
                       ["k8s/flag.yaml:8: '--secure-port' is not a flag name (give it without the leading --)"])
        XCTAssertEqual(try problems(["name: secure-port", "at_least: high"]),
                       ["k8s/flag.yaml:9: 'at_least' must be an integer or ${value}, not 'high'"])
        XCTAssertEqual(try problems(["name: anonymous-auth", "boolean: true", "value: \"no\""]),
                       ["k8s/flag.yaml:7: a boolean flag is checked with present or with value: true or false"])
        XCTAssertEqual(try problems(["name: anonymous-auth", "boolean: true", "contains: x"]),
                       ["k8s/flag.yaml:7: a boolean flag is checked with present or with value: true or false"])
        XCTAssertEqual(try problems(["name: admission", "contains: \"a,b\""]),
                       ["k8s/flag.yaml:9: 'contains' is one item of the list, without ','"])
        XCTAssertEqual(try problems(["name: profiling", "present: false", "missing: pass"]),
                       ["k8s/flag.yaml:10: 'missing' has no meaning with 'present': an absent flag is what 'present' checks"])
        XCTAssertEqual(try problems(["name: profiling", "present: maybe"]),
                       ["k8s/flag.yaml:9: 'present' in check 'flag' must be true or false, not 'maybe'"])
        XCTAssertEqual(try problems(["name: secure-port", "value: \"6443\"", "default: \"6443\"", "missing: fail"]),
                       ["k8s/flag.yaml:11: the default '6443' passes this check, so 'missing' must be pass"])
        XCTAssertEqual(try problems(["name: secure-port", "value: \"6443\"", "port: 1"]), [
            "k8s/flag.yaml:10: unknown key 'port' in check 'flag'; expected one of: files, component, name, boolean, present, value, "
                + "value_pattern, contains, lacks, at_least, at_most, default, missing, config, config_value, config_pattern, "
                + "k3s_default, k3s_option",
        ])
    }

    func testTheDefaultDecidesAnAbsentFlag() throws {
        XCTAssertTrue(try loaded(["name: secure-port", "at_least: \"1\"", "at_most: \"65535\"", "default: \"6443\""]).missingPasses)
        XCTAssertFalse(try loaded(["name: audit-log-maxage", "at_least: \"30\"", "default: \"0\""]).missingPasses)
        XCTAssertFalse(try loaded(["name: anonymous-auth", "boolean: true", "value: \"false\"", "default: \"true\""]).missingPasses)
        XCTAssertTrue(try loaded(["name: profiling", "boolean: true", "value: \"true\"", "default: \"true\""]).missingPasses)
        XCTAssertTrue(try loaded(["name: enable-admission-plugins", "lacks: AlwaysAdmit", "default: NodeRestriction"]).missingPasses)
        XCTAssertFalse(try loaded(["name: enable-admission-plugins", "contains: AlwaysPullImages", "default: NodeRestriction"]).missingPasses)
        XCTAssertTrue(try loaded(["name: secure-port", "at_most: ${max_tries}", "missing: pass"]).missingPasses,
                      "with a ${value} the rule says whether the default passes")
        XCTAssertFalse(try loaded(["name: secure-port", "value: \"1\""]).missingPasses, "no default: an absent flag fails")
    }
}
