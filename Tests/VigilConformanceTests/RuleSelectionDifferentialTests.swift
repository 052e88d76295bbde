import Foundation
import XCTest

/// Which rules are evaluated, against oscap 1.3.7: `--rule` (the named rules whatever the
/// profile, their group or their requires/conflicts select; the profile's values still
/// apply) and XCCDF requires/conflicts (resolved in benchmark order).
final class RuleSelectionDifferentialTests: XCTestCase {
    static let prefix = "xccdf_org.example_rule_"

    /// A benchmark whose rules check `key=N` in `conf` against a Value the profile refines,
    /// with rules the profile leaves out, requires and conflicts, and a deselected group.
    static func benchmark(in dir: URL) throws -> String {
        let conf = dir.appendingPathComponent("conf").path
        try "val=2\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let oval = """
            <?xml version="1.0" encoding="UTF-8"?>
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
              <generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
              <definitions>
                <definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>value</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition>
                <definition id="oval:x:def:2" version="1" class="compliance"><metadata><title>exists</title><description>d</description></metadata><criteria><criterion test_ref="oval:x:tst:2"/></criteria></definition>
              </definitions>
              <tests>
                <ind:textfilecontent54_test id="oval:x:tst:1" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/><ind:state state_ref="oval:x:ste:1"/></ind:textfilecontent54_test>
                <ind:textfilecontent54_test id="oval:x:tst:2" version="1" check="all" comment="c"><ind:object object_ref="oval:x:obj:1"/></ind:textfilecontent54_test>
              </tests>
              <objects>
                <ind:textfilecontent54_object id="oval:x:obj:1" version="1"><ind:filepath>\(conf)</ind:filepath><ind:pattern operation="pattern match">^val=(\\d+)$</ind:pattern><ind:instance datatype="int">1</ind:instance></ind:textfilecontent54_object>
              </objects>
              <states>
                <ind:textfilecontent54_state id="oval:x:ste:1" version="1"><ind:subexpression var_ref="oval:x:var:1"/></ind:textfilecontent54_state>
              </states>
              <variables><external_variable id="oval:x:var:1" version="1" datatype="string" comment="v"/></variables>
            </oval_definitions>
            """
        try oval.write(to: dir.appendingPathComponent("oval.xml"), atomically: true, encoding: .utf8)
        func rule(_ n: String, _ selected: Bool, _ links: String = "", value: Bool = false) -> String {
            let export = value ? #"<check-export export-name="oval:x:var:1" value-id="xccdf_org.example_value_v"/>"# : ""
            return """
                <Rule id="\(prefix)\(n)" selected="\(selected)" severity="medium"><title>\(n)</title>\(links)
                  <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">\(export)<check-content-ref href="oval.xml" name="oval:x:def:\(value ? 1 : 2)"/></check></Rule>
                """
        }
        func requires(_ n: String) -> String { #"<requires idref="\#(prefix)\#(n)"/>"# }
        func conflicts(_ n: String) -> String { #"<conflicts idref="\#(prefix)\#(n)"/>"# }
        let xccdf = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_sel" resolved="1" xml:lang="en">
              <status>draft</status><title>selection</title><version>1</version>
              <Profile id="xccdf_org.example_profile_p"><title>p</title>
                <select idref="\(prefix)value" selected="true"/>
                <select idref="\(prefix)needs_off" selected="true"/>
                <select idref="\(prefix)conflicts_value" selected="true"/>
                <select idref="\(prefix)default_on" selected="false"/>
                <refine-value idref="xccdf_org.example_value_v" selector="strict"/>
              </Profile>
              <Value id="xccdf_org.example_value_v" type="string"><title>v</title><value>1</value><value selector="strict">2</value></Value>
              \(rule("value", true, value: true))
              \(rule("off", false))
              \(rule("needs_off", false, requires("off")))
              \(rule("conflicts_value", false, conflicts("value")))
              \(rule("default_on", true))
              \(rule("off_value", false, value: true))
              \(rule("first", true, conflicts("second")))
              \(rule("second", true, conflicts("first")))
              \(rule("needs_grouped", true, requires("grouped")))
              <Group id="xccdf_org.example_group_off" selected="false"><title>off</title>
                \(rule("grouped", true, value: true))
              </Group>
            </Benchmark>
            """
        let path = dir.appendingPathComponent("selection-xccdf.xml").path
        try xccdf.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testRuleOptionAndRequiresConflictsAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let content = try Self.benchmark(in: work)
        let profile = ["--profile", "xccdf_org.example_profile_p"]
        var cases: [(String, [String])] = [("default", []), ("profile", profile)]
        for r in ["value", "off", "needs_off", "conflicts_value", "default_on", "off_value", "first", "grouped"] {
            cases.append(("default-\(r)", ["--rule", Self.prefix + r]))
            cases.append(("profile-\(r)", profile + ["--rule", Self.prefix + r]))
        }
        cases.append(("profile-value-conflicts", profile + ["--rule", Self.prefix + "value", "--rule", Self.prefix + "conflicts_value"]))
        cases.append(("default-first-second", ["--rule", Self.prefix + "first", "--rule", Self.prefix + "second"]))
        var evaluated = 0
        for (name, options) in cases {
            let run = try DifferentialRun.run(t, content: content, options: options, work: work, name: name)
            print("[differential] selection \(name): \(run.summary)")
            XCTAssertEqual(run.status, 0, "vigil and oscap differ (\(name)):\n\(run.output)")
            let vigil = try DifferentialRun.results(in: run.candidate)
            XCTAssertEqual(vigil, try DifferentialRun.results(in: run.reference), "\(name): notselected rules too")
            if options.contains("--rule") {
                let named = Set(options.enumerated().filter { $0.offset > 0 && options[$0.offset - 1] == "--rule" }.map(\.element))
                XCTAssertEqual(Set(vigil.filter { $0.value != "notselected" }.keys), named, name)
            }
            evaluated += vigil.values.filter { $0 != "notselected" }.count
        }
        XCTAssertGreaterThan(evaluated, cases.count)
    }

    /// SSG's two core_pattern rules conflict with each other; with `(all)` oscap leaves out
    /// the first and evaluates the second; with `--rule` it evaluates both.
    func testConflictingSSGRulesAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let cs9 = "/usr/share/xml/scap/ssg/content/ssg-cs9-ds.xml"
        guard FileManager.default.fileExists(atPath: cs9) else { throw XCTSkip("ssg-cs9-ds.xml is not installed") }
        let work = try Shell.tempDir()
        let root = try PackageManagerDifferentialTests.centOSDressedRoot(in: work.appendingPathComponent("root"))
        let ssg = "xccdf_org.ssgproject.content_rule_"
        let pair = ["--rule", ssg + "sysctl_kernel_core_pattern", "--rule", ssg + "sysctl_kernel_core_pattern_empty_string",
                    "--rule", ssg + "package_audit_installed"]
        for (name, options) in [("stig-rules", ["--profile", "xccdf_org.ssgproject.content_profile_stig"] + pair), ("all-rules", pair)] {
            let run = try DifferentialRun.run(t, content: cs9, options: options, root: root, work: work, name: name)
            print("[differential] cs9 \(name): \(run.summary)")
            XCTAssertEqual(run.status, 0, "vigil and oscap differ (\(name)):\n\(run.output)")
            XCTAssertTrue(run.summary.contains("3 of 3"), run.summary)
        }
    }
}
