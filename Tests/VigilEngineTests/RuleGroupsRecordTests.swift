import Foundation
import VigilContent
import VigilEngine
import VigilProbes
import VigilStore
import XCTest

/// The engine fills `RuleRecord.groups` from the benchmark's Group nesting.
final class RuleGroupsRecordTests: XCTestCase {
    func testEachRuleRecordNamesTheGroupsAroundIt() throws {
        let (path, root) = try TestDataStream.write(shadowMode: 0o640, testOS: true)
        let content = try SCAPContent.load(path: path)
        let policy = try Policy(benchmark: content.benchmark, profile: nil, selectAll: true)
        let result = Scanner(content: content, policy: policy, target: try RootTarget(root), jobs: 1, onlyRules: nil).run()
        let record = result.record(content: content, host: HostIdentity(name: "h", id: "i"), targetKind: .root,
                                   contentSHA256: "", vigilVersion: "0")
        let groups = Dictionary(record.rules.map { ($0.ruleID.replacingOccurrences(of: "xccdf_org.example_rule_", with: ""), $0.groups) },
                                uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(groups["platform_na"], ["Extra"])
        XCTAssertEqual(groups["platform_ok"], ["Extra"])
        XCTAssertEqual(groups["root_login"], [], "a rule directly under the benchmark")
    }
}
