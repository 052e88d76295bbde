import Foundation
import VigilContent
import VigilCrypto
import VigilEngine
import VigilTarget
import XCTest

/// A test-only native kind reading the running system: counts its evaluations through the
/// per-scan cache and reports the context's time.
struct RuntimeTestCheck: NativeCheckKind {
    static let name = "runtime_test"
    static let parameterNames = ["result"]
    static let evaluations = Counter()
    let result: XCCDFResult
    init(_ p: NativeParameters) throws { result = XCCDFResult(rawValue: try p.required("result")) ?? .error }
    var needs: TargetCapabilities { .runtimeState }
    func evaluate(_ context: NativeContext) -> NativeVerdict {
        let first = context.cache.value("runtime_test") { Self.evaluations.increment() }
        return NativeVerdict(result, evidence: ["computed \(first)", "now \(context.now.timeIntervalSince1970)"])
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func increment() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
    }
}

/// The scanner with native checks: the first supported check decides, values are
/// substituted, bad parameters and unreadable content are `error`, offline roots make
/// checks of the running system `notapplicable`.
final class NativeScanTests: XCTestCase {
    static let ns = NativeCheckSystem.namespace
    static let oval = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
          <definitions>
            <definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>unix</title></metadata>
              <criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition>
            <definition id="oval:x:def:2" version="1" class="compliance"><metadata><title>windows</title></metadata>
              <criteria><criterion test_ref="oval:x:tst:2"/></criteria></definition>
          </definitions>
          <tests><ind:family_test id="oval:x:tst:1" version="1" check="all"><ind:object object_ref="oval:x:obj:1"/></ind:family_test>
            <ind:family_test id="oval:x:tst:2" version="1" check="all"><ind:object object_ref="oval:x:obj:1"/><ind:state state_ref="oval:x:ste:2"/></ind:family_test></tests>
          <objects><ind:family_object id="oval:x:obj:1" version="1"/></objects>
          <states><ind:family_state id="oval:x:ste:2" version="1"><ind:family>windows</ind:family></ind:family_state></states>
        </oval_definitions>
        """

    static func native(_ kind: String, _ params: [(String, String)], exports: String = "") -> String {
        "<check system=\"\(NativeCheckSystem.uri)\">\(exports)<check-content><v:check xmlns:v=\"\(ns)\" kind=\"\(kind)\">"
            + params.map { "<v:param name=\"\($0.0)\">\($0.1)</v:param>" }.joined() + "</v:check></check-content></check>"
    }
    static func oval(_ def: Int) -> String {
        "<check system=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\"><check-content-ref href=\"oval.xml\" name=\"oval:x:def:\(def)\"/></check>"
    }
    static let minRSA = native("crypto_policy", [("min_rsa_size_at_least", "${min}")],
                               exports: "<check-export value-id=\"xccdf_org.example_value_min\" export-name=\"min\"/>")

    static let rules: [String: String] = [
        "policy": minRSA,
        "native_then_failing_oval": native("crypto_policy", [("policy", "FIPS")]) + oval(2),
        "oval_then_native": oval(2) + native("crypto_policy", [("policy", "FIPS")]),
        "complex": "<complex-check operator=\"AND\">\(native("crypto_policy", [("policy", "FIPS")]))\(oval(1))</complex-check>",
        "bad_param": native("crypto_policy", [("min_rsa_size_at_least", "lots")]),
        "unknown_kind": native("no_such_kind", [("a", "b")]),
        "unreadable": "<check system=\"\(NativeCheckSystem.uri)\"><check-content><v:check xmlns:v=\"\(ns)\"/></check-content></check>",
        "runtime_a": native("runtime_test", [("result", "pass")]),
        "runtime_b": native("runtime_test", [("result", "fail")]),
    ]

    func content() throws -> (SCAPContent, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-native-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.oval.write(to: dir.appendingPathComponent("oval.xml"), atomically: true, encoding: .utf8)
        let rules = Self.rules.sorted { $0.key < $1.key }.map { id, body in
            "<Rule id=\"xccdf_org.example_rule_\(id)\" severity=\"high\"><title>\(id)</title>\(body)</Rule>"
        }.joined(separator: "\n")
        let xccdf = """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_native" resolved="1">
              <status>draft</status><title>Native</title><version>1</version>
              <Profile id="xccdf_org.example_profile_strict"><title>Strict</title>
                <refine-value idref="xccdf_org.example_value_min" selector="strict"/></Profile>
              <Value id="xccdf_org.example_value_min" type="number"><title>min</title><value>2048</value><value selector="strict">3072</value></Value>
              \(rules)
            </Benchmark>
            """
        let path = dir.appendingPathComponent("xccdf.xml").path
        try xccdf.write(toFile: path, atomically: true, encoding: .utf8)
        let root = dir.appendingPathComponent("root").path
        for (file, text) in ["etc/crypto-policies/config": "FIPS\n",
                             "usr/share/crypto-policies/policies/FIPS.pol": "# FIPS\nmin_rsa_size = 2048\nhash = SHA2-256\n"] {
            let url = URL(fileURLWithPath: root).appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return (try SCAPContent.load(path: path), root)
    }

    func scan(profile: String? = nil, target: (any Target)?) throws -> [String: RuleResult] {
        let (content, root) = try content()
        var p: XCCDFProfile?
        if let profile, case .found(let found) = content.benchmark.profile(named: profile) { p = found }
        let policy = try Policy(benchmark: content.benchmark, profile: p, selectAll: true)
        let kinds = NativeCheckKinds.all + [RuntimeTestCheck.self]
        let scanner: VigilEngine.Scanner
        if let target {
            scanner = Scanner(content: content, policy: policy, target: target, jobs: 2, nativeKinds: kinds)
        } else {
            let root = try RootTarget(root)
            scanner = Scanner(content: content, policy: policy, collector: Scanner.collector(for: root, content: content),
                              targetLabel: "stub", jobs: 2, nativeKinds: kinds)
        }
        let result = scanner.run()
        return Dictionary(result.ruleResults.map { (String($0.ruleID.dropFirst("xccdf_org.example_rule_".count)), $0) },
                          uniquingKeysWith: { a, _ in a })
    }

    func root() throws -> String { try content().1 }

    func testNativeVerdictsOnAnOfflineRoot() throws {
        let r = try scan(target: try RootTarget(try root()))
        XCTAssertEqual(r["policy"]?.result, .pass)
        XCTAssertEqual(r["policy"]?.evidence, "/usr/share/crypto-policies/policies/FIPS.pol:2: min_rsa_size = 2048 (at least 2048)")
        XCTAssertEqual(r["policy"]?.check?.system, NativeCheckSystem.uri)
        XCTAssertEqual(r["policy"]?.check?.name, "crypto_policy")
        XCTAssertEqual(r["native_then_failing_oval"]?.result, .pass, "the native check comes first and decides")
        XCTAssertEqual(r["oval_then_native"]?.result, .fail, "the OVAL check comes first and decides")
        XCTAssertEqual(r["complex"]?.result, .pass)
        XCTAssertEqual(r["bad_param"]?.result, .error)
        XCTAssertTrue(r["bad_param"]?.message?.contains("rule xccdf_org.example_rule_bad_param") ?? false)
        XCTAssertTrue(r["bad_param"]?.message?.contains("'min_rsa_size_at_least' must be a whole number, not 'lots'") ?? false)
        XCTAssertEqual(r["unknown_kind"]?.result, .error)
        XCTAssertTrue(r["unknown_kind"]?.message?.contains("unknown native check kind 'no_such_kind'") ?? false)
        XCTAssertEqual(r["unreadable"]?.result, .error)
        XCTAssertTrue(r["unreadable"]?.message?.contains("rule xccdf_org.example_rule_unreadable: native check unreadable") ?? false,
                      "\(String(describing: r["unreadable"]?.message))")
        for id in ["runtime_a", "runtime_b"] {
            XCTAssertEqual(r[id]?.result, .notapplicable, id)
            XCTAssertTrue(r[id]?.message?.contains("not a running system") ?? false, id)
        }
    }

    func testProfileValuesAreSubstitutedThroughExports() throws {
        let r = try scan(profile: "strict", target: try RootTarget(try root()))
        XCTAssertEqual(r["policy"]?.result, .fail)
        XCTAssertEqual(r["policy"]?.evidence, "/usr/share/crypto-policies/policies/FIPS.pol:2: min_rsa_size = 2048 (at least 3072)")
    }

    func testWithoutATargetNativeChecksAreErrors() throws {
        let r = try scan(target: nil)
        XCTAssertEqual(r["policy"]?.result, .error)
        XCTAssertTrue(r["policy"]?.message?.contains("no target") ?? false)
        XCTAssertEqual(r["oval_then_native"]?.result, .fail, "OVAL still works")
    }

    func testRunningSystemChecksShareOneCachePerScanAndTheScanStart() throws {
        let before = RuntimeTestCheck.evaluations.increment()
        let r = try scan(target: HostTarget())
        XCTAssertEqual(r["runtime_a"]?.result, .pass)
        XCTAssertEqual(r["runtime_b"]?.result, .fail)
        let a = r["runtime_a"]?.evidence ?? "", b = r["runtime_b"]?.evidence ?? ""
        XCTAssertEqual(a.components(separatedBy: "; ").first, "computed \(before + 1)", "computed once for the scan")
        XCTAssertEqual(a, b, "same cached value and same 'now' for both rules")
    }
}
