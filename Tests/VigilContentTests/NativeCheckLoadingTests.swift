import Foundation
import VigilContent
import VigilCrypto
import XCTest

/// The loader reads Vigil's native checks from `<check-content>`; a malformed one is
/// kept as a problem for its rule, never a failure of the whole benchmark.
final class NativeCheckLoadingTests: XCTestCase {
    static let ns = NativeCheckSystem.namespace

    func load(_ checks: [String: String]) throws -> [String: XCCDFCheck] {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let rules = checks.map { id, body in
            "<Rule id=\"xccdf_org.example_rule_\(id)\" severity=\"high\"><title>\(id)</title>"
                + "<check system=\"\(NativeCheckSystem.uri)\">\(body)</check></Rule>"
        }.joined(separator: "\n")
        let content = try SCAPContent.load(path: try f.write("xccdf.xml", sampleBenchmark(extra: rules)))
        var out: [String: XCCDFCheck] = [:]
        for id in checks.keys { out[id] = content.benchmark.rules["xccdf_org.example_rule_\(id)"]?.checks.first }
        return out
    }

    func testParametersAreReadInOrderWithRepeatedNamesAsLists() throws {
        let c = try load(["ok": """
            <check-export value-id="xccdf_org.example_value_v" export-name="v"/>
            <check-content><v:check xmlns:v="\(Self.ns)" kind="crypto_policy"><v:param name="policy">FIPS</v:param>
            <v:param name="applied">true</v:param><v:param name="policy">FIPS:OSPP</v:param></v:check></check-content>
            """])["ok"]
        XCTAssertEqual(c?.native, NativeCheckSpec(kind: "crypto_policy", parameters: [("policy", ["FIPS", "FIPS:OSPP"]), ("applied", ["true"])]))
        XCTAssertNil(c?.nativeProblem)
        XCTAssertEqual(c?.exports.first?.exportName, "v")
    }

    func testMalformedNativeChecksAreProblemsOfTheirRuleOnly() throws {
        let checks = try load([
            "nokind": "<check-content><v:check xmlns:v=\"\(Self.ns)\"><v:param name=\"a\">1</v:param></v:check></check-content>",
            "nocontent": "<check-content-ref href=\"x\"/>",
            "foreign": "<check-content><check kind=\"crypto_policy\"/></check-content>",
            "badparam": "<check-content><v:check xmlns:v=\"\(Self.ns)\" kind=\"k\"><v:other name=\"a\"/></v:check></check-content>",
            "noname": "<check-content><v:check xmlns:v=\"\(Self.ns)\" kind=\"k\"><v:param>1</v:param></v:check></check-content>",
            "two": "<check-content><v:check xmlns:v=\"\(Self.ns)\" kind=\"k\"/><v:check xmlns:v=\"\(Self.ns)\" kind=\"k\"/></check-content>",
        ])
        for (id, problem) in ["nokind": "has no kind", "nocontent": "has no <check-content>", "foreign": "must hold one <check>",
                              "badparam": "is not a <param", "noname": "is not a <param", "two": "must hold one <check>"] {
            XCTAssertNil(checks[id]?.native, id)
            XCTAssertTrue(checks[id]?.nativeProblem?.contains(problem) ?? false, "\(id): \(String(describing: checks[id]?.nativeProblem))")
            XCTAssertTrue(checks[id]?.nativeProblem?.contains("xccdf.xml:") ?? false, "names the file and line: \(id)")
        }
    }

    func testTooManyParameterValuesAreAProblem() throws {
        let params = String(repeating: "<v:param name=\"a\">1</v:param>", count: 5000)
        let c = try load(["many": "<check-content><v:check xmlns:v=\"\(Self.ns)\" kind=\"k\">\(params)</v:check></check-content>"])["many"]
        XCTAssertNil(c?.native)
        XCTAssertTrue(c?.nativeProblem?.contains("more than 4096 parameter values") ?? false, "\(String(describing: c?.nativeProblem))")
    }
}

/// `RuleCheckSystem`: the one place that says whether a rule is SCAP-pure.
final class RuleCheckSystemTests: XCTestCase {
    func testRulesAreClassifiedByTheirChecks() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let native = "<check system=\"\(NativeCheckSystem.uri)\"><check-content><v:check xmlns:v=\"\(NativeCheckSystem.namespace)\" kind=\"k\"/></check-content></check>"
        let oval = "<check system=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\"><check-content-ref href=\"oval.xml\" name=\"oval:x:def:1\"/></check>"
        let ocil = "<check system=\"http://scap.nist.gov/schema/ocil/2\"><check-content-ref href=\"ocil.xml\"/></check>"
        let rules = ["native_fallback": native + oval, "native_only": native, "oval_ocil": oval + ocil, "ocil": ocil,
                     "complex_native": "<complex-check operator=\"AND\">\(oval)\(native)</complex-check>"]
        let extra = rules.map { "<Rule id=\"xccdf_org.example_rule_\($0.key)\"><title>t</title>\($0.value)</Rule>" }.joined()
        let b = try SCAPContent.load(path: try f.write("xccdf.xml", sampleBenchmark(extra: extra))).benchmark
        func rule(_ id: String) -> XCCDFRule { b.rules["xccdf_org.example_rule_\(id)"]! }
        XCTAssertEqual(rule("native_fallback").checkSystem, .native)
        XCTAssertTrue(rule("native_fallback").hasOVALFallback)
        XCTAssertEqual(rule("native_only").checkSystem, .native)
        XCTAssertFalse(rule("native_only").hasOVALFallback)
        XCTAssertEqual(rule("oval_ocil").checkSystem, .oval, "OVAL with OCIL is SCAP-pure")
        XCTAssertEqual(rule("ocil").checkSystem, .other)
        XCTAssertEqual(rule("complex_native").checkSystem, .native, "a native check inside a complex check counts")
        XCTAssertEqual(rule("family").checkSystem, .oval)
    }
}
