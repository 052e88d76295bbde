import Foundation
import VigilContent
import VigilCrypto
import XCTest
@testable import VigilRules

/// Native checks in rule files: parsing, errors at their file and line, and the XCCDF
/// written (native check first, then the OVAL fallback).
final class NativeRuleTests: XCTestCase {
    static let benchmark = """
        id: demo
        title: Demo
        version: 1.0.0
        description: For tests.
        values:
          min_rsa:
            title: Minimum RSA size
            type: number
            default: "2048"
            options: {strict: "3072"}
        profiles:
          strict:
            title: Strict
            rules: [policy]
            values: {min_rsa: strict}
        """

    static func rule(_ check: String, fallback: String? = nil) -> String {
        var text = "id: policy\ntitle: Crypto policy\nseverity: high\ndescription: FIPS.\ncheck:\n" + check
        if let fallback { text += "\nfallback:\n" + fallback }
        return text
    }

    static let fipsCheck = """
          crypto_policy:
            policy: [FIPS, "FIPS:OSPP"]
            min_rsa_size_at_least: ${min_rsa}
            sha1: forbidden
        """
    static let lineFallback = """
          line:
            files: [/etc/crypto-policies/config]
            pattern: ^FIPS
        """

    func testNativeRuleCompilesToNativeCheckThenOVALFallback() throws {
        let dir = try ruleFolder(["benchmark.yaml": Self.benchmark, "policy.yaml": Self.rule(Self.fipsCheck, fallback: Self.lineFallback)])
        let b = try RuleFolder.load(dir)
        guard case .native(let n) = b.rules[0].check else { return XCTFail("not native: \(b.rules[0].check)") }
        XCTAssertEqual(n.spec, NativeCheckSpec(kind: "crypto_policy", parameters: [
            ("policy", ["FIPS", "FIPS:OSPP"]), ("min_rsa_size_at_least", ["${min_rsa}"]), ("sha1", ["forbidden"])]))
        XCTAssertEqual(n.parameterLines["sha1"], 9)
        let xml = try DataStreamBuilder.build(b)
        let native = try XCTUnwrap(xml.range(of: "<check system=\"\(NativeCheckSystem.uri)\">"))
        let oval = try XCTUnwrap(xml.range(of: "<check system=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\">"))
        XCTAssertLessThan(native.lowerBound, oval.lowerBound, "the native check comes first")
        XCTAssertTrue(xml.contains("<check-export value-id=\"xccdf_io.vigil_value_min_rsa\" export-name=\"min_rsa\"/>"))
        XCTAssertTrue(xml.contains("<vigil:check xmlns:vigil=\"\(NativeCheckSystem.namespace)\" kind=\"crypto_policy\">"
                                   + "<vigil:param name=\"policy\">FIPS</vigil:param><vigil:param name=\"policy\">FIPS:OSPP</vigil:param>"
                                   + "<vigil:param name=\"min_rsa_size_at_least\">${min_rsa}</vigil:param>"
                                   + "<vigil:param name=\"sha1\">forbidden</vigil:param></vigil:check>"), xml)
        XCTAssertTrue(xml.contains("^FIPS"), "the fallback's OVAL is written")
    }

    func testNativeRuleWithoutFallbackHasOnlyTheNativeCheck() throws {
        let dir = try ruleFolder(["benchmark.yaml": Self.benchmark, "policy.yaml": Self.rule(Self.fipsCheck)])
        let xml = try DataStreamBuilder.build(try RuleFolder.load(dir))
        XCTAssertTrue(xml.contains(NativeCheckSystem.uri))
        XCTAssertFalse(xml.contains("<check system=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\">"))
        XCTAssertFalse(xml.contains("<definition "), "no OVAL definition for a rule without fallback")
    }

    func problems(_ check: String, fallback: String? = nil, benchmark: String = NativeRuleTests.benchmark) throws -> [String] {
        folderProblems(try ruleFolder(["benchmark.yaml": benchmark, "policy.yaml": Self.rule(check, fallback: fallback)]))
    }

    func testUnknownParameterIsRefusedAtItsLine() throws {
        let p = try problems("  crypto_policy:\n    policy: FIPS\n    colour: blue")
        XCTAssertEqual(p.count, 1)
        XCTAssertTrue(p[0].hasPrefix("policy.yaml:8: unknown key 'colour' in check 'crypto_policy'"), "\(p)")
    }

    func testBadParameterValueIsRefusedAtItsLine() throws {
        let p = try problems("  crypto_policy:\n    policy: FIPS\n    min_rsa_size_at_least: big")
        XCTAssertEqual(p, ["policy.yaml:8: rule 'policy': 'min_rsa_size_at_least' must be a whole number, not 'big'"])
    }

    func testUnknownValueReferenceIsRefusedAtItsLine() throws {
        let p = try problems("  crypto_policy:\n    policy: FIPS\n    min_rsa_size_at_least: ${nope}")
        XCTAssertEqual(p, ["policy.yaml:8: rule 'policy' uses unknown value '${nope}'"])
    }

    func testEveryChoiceOfAReferencedValueIsChecked() throws {
        let bench = Self.benchmark.replacingOccurrences(of: "options: {strict: \"3072\"}", with: "options: {strict: \"3072\", bad: \"lots\"}")
        let p = try problems("  crypto_policy:\n    min_rsa_size_at_least: ${min_rsa}", benchmark: bench)
        XCTAssertEqual(p, ["policy.yaml:7: rule 'policy': 'min_rsa_size_at_least' must be a whole number, not 'lots' (with value min_rsa = 'lots')"])
    }

    func testCheckWithoutConditionIsRefused() throws {
        let p = try problems("  crypto_policy: {}")
        XCTAssertEqual(p.count, 1)
        XCTAssertTrue(p[0].hasPrefix("policy.yaml:6: rule 'policy': crypto_policy needs at least one of"), "\(p)")
    }

    func testEmptyListAndNestedMappingAreRefused() throws {
        XCTAssertEqual(try problems("  crypto_policy:\n    policy: []"), ["policy.yaml:7: 'policy' in check 'crypto_policy' is an empty list"])
        let nested = try problems("  crypto_policy:\n    policy: {a: b}")
        XCTAssertEqual(nested, ["policy.yaml:7: 'policy' in check 'crypto_policy' must be a list"])
    }

    func testFallbackNeedsANativeCheckAndMustBeStandard() throws {
        let onStandard = try problems(Self.lineFallback, fallback: Self.lineFallback)
        XCTAssertEqual(onStandard.count, 1)
        XCTAssertTrue(onStandard[0].hasPrefix("policy.yaml:10: the rule 'policy' has a 'fallback', but its check is a standard one"), "\(onStandard)")
        let nativeFallback = try problems(Self.fipsCheck, fallback: "  crypto_policy:\n    policy: FIPS")
        XCTAssertEqual(nativeFallback.count, 1)
        XCTAssertTrue(nativeFallback[0].hasPrefix("policy.yaml:11: unknown key 'crypto_policy' in the check of rule 'policy'"), "\(nativeFallback)")
    }
}
