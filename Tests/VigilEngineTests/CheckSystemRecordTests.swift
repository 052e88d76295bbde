import Foundation
import VigilContent
import VigilCore
import VigilEngine
import VigilTarget
import XCTest

/// The record a scan stores gives each rule result its rule's check system, as the
/// reports mark it (`XCCDFRule.checkSystem`), rules the profile does not select included.
final class CheckSystemRecordTests: XCTestCase {
    func testEachRuleRecordCarriesItsRulesCheckSystem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-checksystem-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("root/etc/crypto-policies"), withIntermediateDirectories: true)
        try "FIPS\n".write(to: dir.appendingPathComponent("root/etc/crypto-policies/config"), atomically: true, encoding: .utf8)
        try NativeScanTests.oval.write(to: dir.appendingPathComponent("oval.xml"), atomically: true, encoding: .utf8)
        let policyCheck = NativeScanTests.native("crypto_policy", [("policy", "FIPS")])
        let ocil = "<check system=\"http://scap.nist.gov/schema/ocil/2\"><check-content-ref href=\"q.xml\" name=\"q\"/></check>"
        let rules: [(String, String, String)] = [
            ("with_fallback", "", policyCheck + NativeScanTests.oval(1)), ("pure", "", NativeScanTests.oval(1)),
            ("question", "", ocil), ("unselected_native", " selected=\"false\"", policyCheck),
        ]
        let xccdf = """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_cs" resolved="1">
              <status>draft</status><title>Check systems</title><version>1</version>
              \(rules.map { "<Rule id=\"xccdf_org.example_rule_\($0.0)\"\($0.1) severity=\"low\"><title>\($0.0)</title>\($0.2)</Rule>" }.joined())
            </Benchmark>
            """
        let path = dir.appendingPathComponent("xccdf.xml").path
        try xccdf.write(toFile: path, atomically: true, encoding: .utf8)
        let content = try SCAPContent.load(path: path)
        let policy = try Policy(benchmark: content.benchmark, profile: nil, selectAll: false)
        let result = Scanner(content: content, policy: policy, target: try RootTarget(dir.appendingPathComponent("root").path),
                             jobs: 1, onlyRules: nil).run()
        let record = result.record(content: content, host: HostIdentity(name: "h", id: "i"), targetKind: .root,
                                   contentSHA256: "", vigilVersion: "0")
        let marked = Dictionary(record.rules.map { (String($0.ruleID.dropFirst("xccdf_org.example_rule_".count)), $0) },
                                uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(marked["with_fallback"]?.checkSystem, .native)
        XCTAssertEqual(marked["with_fallback"]?.result, .pass, "the native check decided")
        XCTAssertEqual(marked["pure"]?.checkSystem, .oval)
        XCTAssertEqual(marked["question"]?.checkSystem, .other)
        XCTAssertEqual(marked["unselected_native"]?.result, .notselected)
        XCTAssertEqual(marked["unselected_native"]?.checkSystem, .native, "marked even where no check ran, as the reports mark it")
    }
}
