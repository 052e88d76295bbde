import Foundation
import VigilContent
import VigilEngine
import XCTest

/// Resolving a profile: the chain of profiles it extends, group selection, the values
/// chosen (set, refined, default), refinements, and the errors for a broken chain.
final class PolicyTests: XCTestCase {
    static let benchmark = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_policy" resolved="1">
          <status>draft</status><title>Policy</title><version>1</version>
          <Profile id="base"><title>Base</title>
            <select idref="a" selected="true"/>
            <select idref="c" selected="true"/>
            <select idref="nothing_by_that_id" selected="true"/>
            <refine-value idref="v" selector="strict"/>
            <refine-rule idref="a" severity="high" weight="2.5" role="unscored" selector="s1"/>
          </Profile>
          <Profile id="child" extends="base"><title>Child</title>
            <select idref="b" selected="true"/>
            <select idref="c" selected="false"/>
            <refine-value idref="v" selector="lenient"/>
            <set-value idref="w">42</set-value>
            <set-value idref="no_such_value">x</set-value>
          </Profile>
          <Profile id="grouped" extends="child"><title>Grouped</title>
            <select idref="off" selected="true"/>
          </Profile>
          <Profile id="loop1" extends="loop2"><title>L1</title></Profile>
          <Profile id="loop2" extends="loop1"><title>L2</title></Profile>
          <Profile id="orphan" extends="nowhere"><title>O</title></Profile>
          <Value id="v" type="string"><title>V</title><value>default</value>
            <value selector="strict">s</value><value selector="lenient">l</value></Value>
          <Value id="w" type="number"><title>W</title><value>1</value></Value>
          <Value id="x" type="string"><title>X</title><value selector="only">o</value></Value>
          <Rule id="a" selected="false" severity="low"><title>A</title></Rule>
          <Rule id="b" selected="false" severity="low"><title>B</title></Rule>
          <Rule id="c" selected="false" severity="low"><title>C</title></Rule>
          <Group id="off" selected="false"><title>Off</title>
            <Rule id="d" selected="true" severity="low"><title>D</title></Rule>
          </Group>
        </Benchmark>
        """

    func load() throws -> XCCDFBenchmark {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-policy-\(UUID().uuidString).xml")
        try Self.benchmark.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try SCAPContent.load(path: url.path).benchmark
    }

    func policy(_ b: XCCDFBenchmark, _ id: String?, selectAll: Bool = false) throws -> Policy {
        try Policy(benchmark: b, profile: id.map { id in b.profiles.first { $0.id == id }! }, selectAll: selectAll)
    }

    func testDefaultsKeepRulesOfUnselectedGroupsOut() throws {
        let p = try policy(try load(), nil)
        XCTAssertNil(p.profileID)
        XCTAssertEqual(p.selected, [], "d is selected itself, its group is not")
        XCTAssertEqual(p.values, ["v": "default", "w": "1", "x": "o"], "no default value: the only one there is")
        XCTAssertEqual(p.changedValues, [])
        XCTAssertTrue(p.refinements.isEmpty)
    }

    func testChildProfileAppliesAfterItsParent() throws {
        let p = try policy(try load(), "child")
        XCTAssertEqual(p.profileID, "child")
        XCTAssertEqual(p.selected, ["a", "b"], "the child deselects c, which its parent selected")
        XCTAssertEqual(p.values, ["v": "l", "w": "42", "x": "o"], "the child's refine-value wins over the parent's")
        XCTAssertEqual(p.changedValues, ["v", "w"], "each once, in order; unknown values left out")
        let a = try XCTUnwrap(p.refinements["a"])
        XCTAssertEqual(a.severity, "high")
        XCTAssertEqual(a.weight, 2.5)
        XCTAssertEqual(a.role, "unscored")
        XCTAssertEqual(a.selector, "s1")
    }

    func testSelectingTheGroupSelectsItsRule() throws {
        XCTAssertEqual(try policy(try load(), "grouped").selected, ["a", "b", "d"])
    }

    func testSelectAllSelectsEveryRuleAndKeepsTheProfileValues() throws {
        let p = try policy(try load(), "base", selectAll: true)
        XCTAssertEqual(p.profileID, XCCDFNames.allRulesProfile)
        XCTAssertEqual(p.selected, ["a", "b", "c", "d"])
        XCTAssertEqual(p.values["v"], "s")
    }

    func testBrokenProfileChainsAreErrors() throws {
        let b = try load()
        XCTAssertThrowsError(try policy(b, "loop1")) {
            XCTAssertEqual(($0 as? EngineError)?.description, "profile loop1 extends itself")
        }
        XCTAssertThrowsError(try policy(b, "orphan")) {
            XCTAssertEqual(($0 as? EngineError)?.description, "profile orphan extends unknown profile nowhere")
        }
    }
}
