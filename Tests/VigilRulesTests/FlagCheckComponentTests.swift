import Foundation
import XCTest
@testable import VigilRules

/// Reading a `flag` check with `component:`: the keys that only go with it, the config
/// comparison derived from the flag's test, k3s's defaults, and every mistake refused with
/// its file and line.
final class FlagCheckComponentTests: XCTestCase {
    /// The demo folder with one more rule whose `flag` check holds `fields` (one per line, from line 7).
    func folder(_ fields: [String]) -> [String: String] {
        let rule = """
            id: component_flag
            title: A component flag
            severity: medium
            description: A flag.
            check:
              flag:

            """ + fields.map { "    \($0)\n" }.joined()
        return ["benchmark.yaml": benchmarkYAML, "ssh/root_login.yaml": rootLoginYAML, "ssh/max_tries.yaml": maxTriesYAML,
                "k8s/flag.yaml": rule]
    }

    func problems(_ fields: [String]) throws -> [String] { folderProblems(try ruleFolder(folder(fields))) }

    func loaded(_ fields: [String]) throws -> FlagCheck {
        let b = try RuleFolder.load(try ruleFolder(folder(fields)))
        guard let rule = b.rules.first(where: { $0.id == "component_flag" }), case .flag(let f) = rule.check else {
            throw RuleError(file: "", line: nil, "no flag rule")
        }
        return f
    }

    func testSourcesAndComponentOnlyKeysAreRefusedWithTheirLine() throws {
        XCTAssertEqual(try problems(["name: profiling", "present: true"]),
                       ["k8s/flag.yaml:7: check 'flag' needs 'files' (manifests) or 'component'"])
        XCTAssertEqual(try problems(["files: [/etc/a.yaml]", "component: kube-apiserver", "name: profiling", "present: true"]),
                       ["k8s/flag.yaml:8: check 'flag' takes 'files' or 'component', not both"])
        XCTAssertEqual(try problems(["component: kube-api", "name: profiling", "present: true"]),
                       ["k8s/flag.yaml:7: unknown component 'kube-api'; expected one of: kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet, kube-proxy"])
        XCTAssertEqual(try problems(["files: [/etc/a.yaml]", "name: profiling", "present: true", "k3s_default: \"false\""]),
                       ["k8s/flag.yaml:10: 'k3s_default' goes with 'component', not with 'files'"])
        XCTAssertEqual(try problems(["component: kube-apiserver", "name: profiling", "value: x", "config: .profiling"]),
                       ["k8s/flag.yaml:10: 'config' is read for kubelet and etcd only, not kube-apiserver"])
        XCTAssertEqual(try problems(["component: kubelet", "name: read-only-port", "value: \"0\"", "config: readOnlyPort"]),
                       ["k8s/flag.yaml:10: 'readOnlyPort' is not a YAML path (like .authentication.anonymous.enabled)"])
        XCTAssertEqual(try problems(["component: kubelet", "name: read-only-port", "value: \"0\"", "config_value: \"0\""]),
                       ["k8s/flag.yaml:10: 'config_value' needs 'config'"])
        XCTAssertEqual(try problems(["component: kubelet", "name: a", "value: \"0\"", "config: .a", "config_value: \"0\"", "config_pattern: '0'"]),
                       ["k8s/flag.yaml:12: give 'config_value' or 'config_pattern', not both"])
        XCTAssertEqual(try problems(["component: kubelet", "name: a", "present: true", "config: .a"]),
                       ["k8s/flag.yaml:10: 'config' needs a value test (value, value_pattern, contains, lacks, at_least, at_most), not 'present'"])
        XCTAssertEqual(try problems(["component: kubelet", "name: protect-kernel-defaults", "value: \"true\"", "k3s_option: protect-kernel-defaults"]),
                       ["k8s/flag.yaml:10: 'k3s_option' sets a boolean flag to true; give 'boolean: true'"])
        XCTAssertEqual(try problems(["component: kubelet", "name: a", "boolean: true", "value: \"true\"", "k3s_option: --a"]),
                       ["k8s/flag.yaml:11: '--a' is not a k3s option name (lower case, without the leading --)"])
    }

    func testConfigComparisonIsDerivedFromTheFlagsTest() throws {
        let anonymous = try loaded(["component: kubelet", "name: anonymous-auth", "boolean: true", "value: \"false\"",
                                    "default: \"true\"", "config: .authentication.anonymous.enabled"])
        XCTAssertEqual(anonymous.config?.boolean, true)
        guard case .equals("false")? = anonymous.config?.test else { return XCTFail("boolean false: \(String(describing: anonymous.config))") }
        let ciphers = try loaded(["component: kubelet", "name: tls-cipher-suites", "lacks: TLS_RSA_WITH_RC4_128_SHA",
                                  "missing: pass", "config: .tlsCipherSuites"])
        XCTAssertEqual(ciphers.config?.entityCheck, "none satisfy")
        guard case .equals("TLS_RSA_WITH_RC4_128_SHA")? = ciphers.config?.test else { return XCTFail("lacks") }
        let contains = try loaded(["component: kubelet", "name: x", "contains: A", "config: .x"])
        XCTAssertEqual(contains.config?.entityCheck, "at least one")
        let timeout = try loaded(["component: kubelet", "name: streaming-connection-idle-timeout", "value: 5m",
                                  "config: .streamingConnectionIdleTimeout", "config_pattern: '5m(?:0s)?'"])
        guard case .pattern("5m(?:0s)?")? = timeout.config?.test else { return XCTFail("config_pattern") }
        let port = try loaded(["component: kubelet", "name: read-only-port", "at_most: \"0\"", "config: .readOnlyPort"])
        guard case .atMost("0")? = port.config?.test else { return XCTFail("at_most") }
    }

    func testK3sDefaultsComeFromTheRuleThenK3sThenTheUpstreamDefault() throws {
        let table = try loaded(["component: kube-apiserver", "name: profiling", "boolean: true", "value: \"false\"", "default: \"true\""])
        XCTAssertEqual(table.k3sDefault, "false")
        XCTAssertFalse(table.missingPasses)
        XCTAssertTrue(table.k3sMissingPasses)
        let given = try loaded(["component: kube-apiserver", "name: profiling", "boolean: true", "value: \"false\"",
                                "default: \"true\"", "k3s_default: \"true\""])
        XCTAssertFalse(given.k3sMissingPasses)
        let upstream = try loaded(["component: kube-apiserver", "name: audit-log-maxage", "at_least: \"30\"", "default: \"0\""])
        XCTAssertNil(K3sDefaults.value(.apiServer, flag: "audit-log-maxage"))
        XCTAssertEqual(upstream.k3sDefault, "0")
        XCTAssertFalse(upstream.k3sMissingPasses)
        let present = try loaded(["component: kube-apiserver", "name: tls-cert-file", "present: true"])
        XCTAssertTrue(present.k3sMissingPasses, "k3s passes --tls-cert-file itself")
        let absent = try loaded(["component: kube-apiserver", "name: token-auth-file", "present: false"])
        XCTAssertTrue(absent.k3sMissingPasses)
    }

    func testNumberPatternsMatchExactlyTheIntegersWithinTheBound() throws {
        for bound in [0, 1, 9, 10, 30, 99, 100, 305, 1000] {
            let least = try NSRegularExpression(pattern: "^(?:\(NumberPattern.atLeast(String(bound))!))$")
            let most = try NSRegularExpression(pattern: "^(?:\(NumberPattern.atMost(String(bound))!))$")
            for n in 0...1200 {
                for text in [String(n), "0" + String(n)] {
                    let r = NSRange(text.startIndex..., in: text)
                    XCTAssertEqual(least.firstMatch(in: text, range: r) != nil, n >= bound, "\(text) >= \(bound)")
                    XCTAssertEqual(most.firstMatch(in: text, range: r) != nil, n <= bound, "\(text) <= \(bound)")
                }
            }
        }
        XCTAssertNil(NumberPattern.atLeast("-1"))
        XCTAssertNil(NumberPattern.atMost("${max}"))
    }
}
