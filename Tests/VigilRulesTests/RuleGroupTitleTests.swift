import Foundation
import VigilContent
import XCTest
@testable import VigilRules

/// Folders are XCCDF Groups: a `group.yaml` gives one a title and description, and
/// folders come in natural order (CIS numbering: 1.2 before 1.10).
final class RuleGroupTitleTests: XCTestCase {
    /// A rule in `folder` that checks that `/etc/<id>` exists.
    func rule(_ id: String) -> String {
        """
        id: \(id)
        title: Rule \(id)
        severity: low
        description: A file exists.
        check:
          file:
            path: /etc/\(id)
        """
    }

    func folder(groupYAML: String = "title: 1.2 API Server\ndescription: The API server's flags.\n") throws -> String {
        try ruleFolder([
            "benchmark.yaml": benchmarkYAML.replacingOccurrences(of: "rules: [root_login]", with: "rules: [a]")
                .replacingOccurrences(of: "rules: [max_tries]", with: "rules: [b]"),
            "1.10-later/b.yaml": rule("b"),
            "1.2-api-server/a.yaml": rule("a"),
            "1.2-api-server/group.yaml": groupYAML,
            "2-etcd/c.yaml": rule("c"),
            "1.2-api-server/10-sub/e.yaml": rule("e"),
            "1.2-api-server/9-sub/d.yaml": rule("d"),
        ])
    }

    func testNaturalOrderComparesDigitRunsAsNumbers() {
        let names = ["2-etcd", "1.10-later", "1.2-api-server", "4.2-kubelet", "10-x", "1.1-files", "a", "B", "stig"]
        XCTAssertEqual(names.sorted(by: NaturalOrder.less),
                       ["1.1-files", "1.2-api-server", "1.10-later", "2-etcd", "4.2-kubelet", "10-x", "B", "a", "stig"])
        XCTAssertFalse(NaturalOrder.less("x", "x"))
        XCTAssertNotEqual(NaturalOrder.less("01", "1"), NaturalOrder.less("1", "01"), "a strict order even for equal numbers")
    }

    func testGroupYAMLTitlesTheGroupAndFoldersComeInNaturalOrder() throws {
        let b = try RuleFolder.load(try folder())
        XCTAssertEqual(b.rules.map(\.id), ["a", "d", "e", "b", "c"], "1.2 (its rules, then 9-sub, 10-sub), 1.10, 2")
        XCTAssertEqual(b.groups, ["1.2-api-server": RuleGroupText(title: "1.2 API Server", description: "The API server's flags.")])
        XCTAssertFalse(b.rules.contains { $0.file.hasSuffix("group.yaml") }, "group.yaml is not a rule file")

        let content = try SCAPContent.load(path: try folder())
        let groups = content.benchmark.groups
        XCTAssertEqual(groups["xccdf_io.vigil_group_1.2-api-server"]?.title, "1.2 API Server")
        XCTAssertEqual(groups["xccdf_io.vigil_group_1.10-later"]?.title, "1.10-later", "without group.yaml: the folder's name")
        XCTAssertEqual(content.benchmark.ruleOrder.map { $0.replacingOccurrences(of: "xccdf_io.vigil_rule_", with: "") },
                       ["a", "d", "e", "b", "c"])
        let xml = String(decoding: try SCAPContent.compile(folder: try folder()), as: UTF8.self)
        XCTAssertTrue(xml.contains("<title>1.2 API Server</title><description>The API server&apos;s flags.</description>"),
                      String(xml[xml.range(of: "1.2 API Server")!.lowerBound...].prefix(120)))
    }

    func testAMalformedGroupYAMLIsAnErrorAtItsLine() throws {
        func problems(_ text: String) throws -> [String] {
            let dir = try folder(groupYAML: text)
            do {
                _ = try RuleFolder.load(dir)
                return []
            } catch let e as RuleErrors {
                return e.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
            }
        }
        XCTAssertEqual(try problems("title: T\nsummary: x\n"),
                       ["1.2-api-server/group.yaml:2: unknown key 'summary' in the group; expected one of: title, description"])
        XCTAssertEqual(try problems("description: no title\n"), ["1.2-api-server/group.yaml:1: the group has no 'title'"])
        XCTAssertEqual(try problems("title: '  '\n"), ["1.2-api-server/group.yaml:1: 'title' in the group is empty"])
        XCTAssertEqual(try problems("title: [a\n").count, 1)
    }
}
