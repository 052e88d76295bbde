import Foundation
import VigilContent
import VigilEngine
import XCTest

/// How `vigil fix` reads, chooses and writes fixes: oscap's choice among several fixes,
/// `<sub>` of values, titles and plain-texts, fixes that cannot be resolved, and a script
/// that stays safe to run whatever the rule ids hold.
final class RemediationScriptTests: XCTestCase {
    static let sh = "urn:xccdf:fix:script:sh"

    func content(_ rules: String) throws -> SCAPContent {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fix-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let xml = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" xmlns:h="http://www.w3.org/1999/xhtml" id="xccdf_org.example_benchmark_fix" resolved="1">
          <status>draft</status><title>Fixes</title><version>1</version>
          <plain-text id="xccdf_org.example_plain_owner">platform-team</plain-text>
          <Value id="xccdf_org.example_value_days" type="number"><title>Maximum days</title><value>60</value></Value>
          \(rules)
        </Benchmark>
        """
        let path = dir.appendingPathComponent("b.xml")
        try xml.write(to: path, atomically: true, encoding: .utf8)
        return try SCAPContent.load(path: path.path, ruleTexts: true)
    }

    func script(_ c: SCAPContent, _ format: FixFormat = .bash) throws -> FixScript {
        try RemediationPlan.profile(c, profile: nil).script(format)
    }

    func testOscapsChoiceAmongFixes() throws {
        func rule(_ id: String, _ fixes: String) -> String { "<Rule id=\"xccdf_org.example_rule_\(id)\" selected=\"true\"><title>t</title>\(fixes)</Rule>" }
        func fix(_ body: String, _ attrs: String = "", system: String = RemediationScriptTests.sh) -> String { "<fix system=\"\(system)\" \(attrs)>\(body)</fix>" }
        let c = try content(
            rule("reboot", fix("echo reboot", #"reboot="true""#) + fix("echo no-reboot", #"reboot="false""#))
            + rule("disruption", fix("echo high", #"disruption="high""#) + fix("echo low", #"disruption="low""#)
                   + fix("echo medium", #"disruption="medium""#) + fix("echo medium-2", #"disruption="medium""#))
            + rule("system", fix("echo ansible", system: "urn:xccdf:fix:script:ansible") + fix("echo puppet", system: "urn:xccdf:fix:script:puppet")
                   + fix("echo sh"))
            + rule("none", fix("- debug: {}", system: "urn:xccdf:fix:script:ansible")))
        let s = try script(c)
        func body(_ id: String) -> String? { s.entries.first { $0.ruleID == "xccdf_org.example_rule_\(id)" }?.script }
        XCTAssertEqual(body("reboot"), "echo no-reboot", "a fix without reboot is preferred")
        XCTAssertEqual(body("disruption"), "echo medium", "the last low or medium level met, then the first fix of it")
        XCTAssertEqual(body("system"), "echo sh")
        XCTAssertNil(body("none"))
        XCTAssertEqual(s.entries.first { $0.ruleID.hasSuffix("none") }?.missing, "no fix")
        XCTAssertTrue(s.problems.isEmpty, "a missing fix is no problem: \(s.problems)")
        XCTAssertEqual(try script(c, .ansible).rulesWithScript, ["xccdf_org.example_rule_system", "xccdf_org.example_rule_none"])
    }

    func testSubstitutionsAndFixesThatCannotBeResolved() throws {
        let c = try content("""
        <Rule id="xccdf_org.example_rule_subs" selected="true"><title>t</title>
          <fix system="urn:xccdf:fix:script:sh"><!-- dropped -->days=<sub idref="xccdf_org.example_value_days"/> # <sub idref="xccdf_org.example_value_days" use="title"/>, <sub idref="xccdf_org.example_plain_owner"/><![CDATA[ && echo "<ok>"]]></fix></Rule>
        <Rule id="xccdf_org.example_rule_unknown_sub" selected="true"><title>t</title>
          <fix system="urn:xccdf:fix:script:sh">x=<sub idref="xccdf_org.example_value_nope"/></fix></Rule>
        <Rule id="xccdf_org.example_rule_element" selected="true"><title>t</title>
          <fix system="urn:xccdf:fix:script:sh">echo <h:b>bold</h:b></fix></Rule>
        """)
        let s = try script(c)
        XCTAssertEqual(s.entries[0].script, #"days=60 # Maximum days, platform-team && echo "<ok>""#)
        XCTAssertNil(s.entries[1].script)
        XCTAssertNil(s.entries[2].script)
        XCTAssertEqual(s.problems.count, 2)
        XCTAssertTrue(s.problems[0].hasPrefix("xccdf_org.example_rule_unknown_sub: ") && s.problems[0].contains("b.xml:"), s.problems[0])
        XCTAssertTrue(s.problems[0].contains("xccdf_org.example_value_nope"), s.problems[0])
        XCTAssertTrue(s.problems[1].contains("<b>"), s.problems[1])
        XCTAssertFalse(s.text.contains("x="), "never half written")
        XCTAssertTrue(s.text.contains("WAS NOT WRITTEN"))
    }

    /// Rule ids come from the content: a quote, `$(...)` or a line break in one must not
    /// run anything or end a comment when the script runs.
    func testTheScriptIsSafeToRunWhateverTheIdsHold() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fix-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let marker = dir.appendingPathComponent("pwned").path
        let hostile = "xccdf_org.example_rule_x'$(touch \(marker))'&#10;touch \(marker)&#10;&quot;`touch \(marker)`"
        let c = try content("""
        <Rule id="\(hostile)" selected="true"><title>t</title><fix system="urn:xccdf:fix:script:sh">echo fixed-one</fix></Rule>
        <Rule id="\(hostile)2" selected="true"><title>t</title></Rule>
        """)
        let path = dir.appendingPathComponent("fix.sh").path
        try script(c).text.write(toFile: path, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [path]
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("fixed-one"), text)
        XCTAssertTrue(text.contains("Remediating rule 2/2: 'xccdf_org.example_rule_x'$(touch"), text)
        XCTAssertTrue(text.contains("IS MISSING!"), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "nothing from an id ran")
    }

    func testAnsibleVariablesArePromotedOnceAndThePlaybookParses() throws {
        let promote = """
        - name: XCCDF Value var_days # promote to variable
          set_fact:
            var_days: !!str <sub idref="xccdf_org.example_value_days"/>
          tags:
            - always

        - name: Set days
          lineinfile: {path: /etc/login.defs, line: "PASS_MAX_DAYS {{ var_days }}"}
        """
        let c = try content("""
        <Rule id="xccdf_org.example_rule_a" selected="true"><title>t</title><fix system="urn:xccdf:fix:script:ansible">\(promote)</fix></Rule>
        <Rule id="xccdf_org.example_rule_b" selected="true"><title>t</title><fix system="urn:xccdf:fix:script:ansible">\(promote)</fix></Rule>
        <Rule id="xccdf_org.example_rule_c" selected="true"><title>t</title></Rule>
        """)
        let text = try script(c, .ansible).text
        XCTAssertTrue(text.contains("  vars:\n    var_days: !!str 60\n  tasks:\n"), text)
        XCTAssertEqual(text.components(separatedBy: "var_days: !!str").count, 2, "promoted once, removed from the tasks")
        XCTAssertEqual(text.components(separatedBy: "    - name: Set days\n").count, 3, "each rule's task, indented")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fix-\(UUID().uuidString).yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", """
            import sys
            try:
                import yaml
            except ImportError:
                print('skip'); sys.exit(0)
            d = yaml.safe_load(open(sys.argv[1]))
            assert d[0]['hosts'] == 'all' and d[0]['vars'] == {'var_days': '60'}, d
            assert [t['name'] for t in d[0]['tasks']] == ['Set days', 'Set days'], d
            print('ok')
            """, file.path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, said + text)
    }

    /// `vigil explain` shows prose with the profile's values in place of `<sub>` and
    /// XHTML reduced to its text.
    func testExplainedProseHasItsValues() throws {
        let c = try content("""
        <Rule id="xccdf_org.example_rule_days" selected="true"><title>t</title>
          <description>Set <h:code>PASS_MAX_DAYS</h:code> to <sub idref="xccdf_org.example_value_days" use="legacy"/>.<h:br/>Ask <sub idref="xccdf_org.example_plain_owner"/>.</description>
          <rationale>Old <sub idref="xccdf_org.example_value_nope"/> passwords.</rationale>
          <fixtext>Edit (<sub idref="xccdf_org.example_value_days" use="title"/>)</fixtext></Rule>
        """)
        let policy = try ContentLookup.policy(c, profile: nil)
        let e = try RuleExplanation(rule: "xccdf_org.example_rule_days", content: c, policy: policy)
        XCTAssertEqual(e.description, "Set PASS_MAX_DAYS to 60.\nAsk platform-team.")
        XCTAssertEqual(e.rationale, "Old (xccdf_org.example_value_nope) passwords.")
        XCTAssertEqual(e.fixText, "Edit (Maximum days)")
    }
}
