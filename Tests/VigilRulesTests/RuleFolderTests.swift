import Foundation
import VigilContent
import VigilCrypto
import XCTest
@testable import VigilRules

/// The check kinds a rule may hold, as messages list them: the standard ones, then the
/// native ones (which other kinds' helpers add to).
let allCheckKinds = "file, line, key_value, sysctl, package, service, kernel_arg, yaml, flag, symlink, oval, "
    + NativeCheckKinds.names.joined(separator: ", ")

/// A rule folder written by a test: `files` maps relative paths to their text.
func ruleFolder(_ files: [String: String]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-rules-\(UUID().uuidString)")
    for (path, text) in files {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return dir.path
}

let benchmarkYAML = """
    id: demo
    title: Demo rules
    version: 1.0.0
    description: For tests.
    values:
      max_tries:
        title: Max SSH tries
        type: number
        default: "4"
        options: {strict: "3"}
    profiles:
      strict:
        title: Strict
        rules: [root_login]
        values: {max_tries: strict}
      stricter:
        title: Stricter
        extends: strict
        rules: [max_tries]
    """

let rootLoginYAML = """
    id: root_login
    title: No SSH root login
    severity: high
    description: Root must not log in over SSH.
    references:
      nist-800-53: [AC-6(2)]
      stig: [V-238218]
      cci: [CCI-000770]
    remediation: Set PermitRootLogin no.
    check:
      key_value:
        files: [/etc/ssh/sshd_config]
        key: PermitRootLogin
        value: "no"
    """

let maxTriesYAML = """
    id: max_tries
    title: SSH tries
    severity: medium
    description: Few tries.
    check:
      key_value:
        files: [/etc/ssh/sshd_config, /etc/ssh/sshd_config.d/*.conf]
        key: MaxAuthTries
        at_most: ${max_tries}
    """

final class RuleFolderTests: XCTestCase {
    func good() -> [String: String] {
        ["benchmark.yaml": benchmarkYAML, "ssh/root_login.yaml": rootLoginYAML, "ssh/max_tries.yaml": maxTriesYAML]
    }

    /// The problems of a folder, one line each.
    func problems(_ files: [String: String]) throws -> [String] {
        let dir = try ruleFolder(files)
        do {
            _ = try RuleFolder.load(dir)
            XCTFail("the folder loaded")
            return []
        } catch let e as RuleErrors {
            return e.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
        }
    }

    func testFolderCompilesToContentVigilLoads() throws {
        let dir = try ruleFolder(good())
        let content = try SCAPContent.load(path: dir)
        let b = content.benchmark
        XCTAssertEqual(b.id, "xccdf_io.vigil_benchmark_demo")
        XCTAssertEqual(Set(b.rules.keys), ["xccdf_io.vigil_rule_root_login", "xccdf_io.vigil_rule_max_tries"])
        let rule = try XCTUnwrap(b.rules["xccdf_io.vigil_rule_root_login"])
        XCTAssertEqual(rule.severity, "high")
        XCTAssertEqual(rule.fixText, "Set PermitRootLogin no.")
        XCTAssertEqual(rule.references.map(\.value), ["AC-6(2)", "V-238218", "CCI-000770"])
        XCTAssertEqual(rule.parent, "xccdf_io.vigil_group_ssh", "a folder becomes a group")
        XCTAssertEqual(b.profiles.map(\.id).sorted(), ["xccdf_io.vigil_profile_strict", "xccdf_io.vigil_profile_stricter"])
        let tries = try XCTUnwrap(b.rules["xccdf_io.vigil_rule_max_tries"])
        XCTAssertEqual(tries.checks.first?.exports.map(\.valueID), ["xccdf_io.vigil_value_max_tries"], "${value} is exported to OVAL")
        XCTAssertNotNil(content.compiled)
    }

    func testTheSameFolderCompilesToTheSameBytes() throws {
        let dir = try ruleFolder(good())
        XCTAssertEqual(try SCAPContent.compile(folder: dir), try SCAPContent.compile(folder: dir))
    }

    /// OpenSCAP 1.3.7 skips an empty element that directly follows another, so the data
    /// stream never puts two side by side (profiles deselect every rule with empty selects).
    func testNoEmptyElementDirectlyFollowsAnother() throws {
        let xml = String(decoding: try SCAPContent.compile(folder: try ruleFolder(good())), as: UTF8.self)
        XCTAssertTrue(xml.contains("<select idref=\"xccdf_io.vigil_rule_max_tries\" selected=\"false\"/>"))
        XCTAssertFalse(xml.contains("/><"))
    }

    func testYAMLErrorNamesFileAndLine() throws {
        var files = good()
        files["ssh/root_login.yaml"] = "id: root_login\ntitle: [unclosed\nseverity: high\n"
        let p = try problems(files)
        XCTAssertEqual(p.count, 1, "\(p)")
        XCTAssertTrue(p[0].hasPrefix("ssh/root_login.yaml:"), p[0])
        XCTAssertTrue(p[0].contains("not valid YAML"), p[0])
    }

    func testUnknownCheckKindIsRefused() throws {
        var files = good()
        files["ssh/root_login.yaml"] = rootLoginYAML.replacingOccurrences(of: "key_value:", with: "keyvalue:")
        XCTAssertEqual(try problems(files), [
            "ssh/root_login.yaml:11: unknown key 'keyvalue' in the check of rule 'root_login'; expected one of: "
                + allCheckKinds,
        ])
    }

    func testMissingFieldIsRefused() throws {
        var files = good()
        files["ssh/root_login.yaml"] = rootLoginYAML.replacingOccurrences(of: "severity: high\n", with: "")
        XCTAssertEqual(try problems(files), ["ssh/root_login.yaml:1: the rule has no 'severity'"])
        files = good()
        files["ssh/max_tries.yaml"] = maxTriesYAML.replacingOccurrences(of: "    key: MaxAuthTries\n", with: "")
        XCTAssertEqual(try problems(files), ["ssh/max_tries.yaml:7: check 'key_value' has no 'key'"])
    }

    func testDuplicateIdIsRefused() throws {
        var files = good()
        files["other/root_login_again.yaml"] = rootLoginYAML
        XCTAssertEqual(try problems(files), [
            "ssh/root_login.yaml:1: duplicate rule id 'root_login', first defined in other/root_login_again.yaml:1",
        ])
    }

    func testProfileNamingUnknownRuleIsRefused() throws {
        var files = good()
        files["benchmark.yaml"] = benchmarkYAML.replacingOccurrences(of: "rules: [root_login]", with: "rules: [root_logon]")
        XCTAssertEqual(try problems(files), ["benchmark.yaml:12: profile 'strict' names unknown rule 'root_logon'"])
    }

    func testOtherMistakesAreRefusedWithTheirLine() throws {
        func one(_ path: String, _ from: String, _ to: String) throws -> String {
            var files = good()
            files[path] = files[path]!.replacingOccurrences(of: from, with: to)
            let p = try problems(files)
            XCTAssertEqual(p.count, 1, "\(p)")
            return p.first ?? ""
        }
        XCTAssertEqual(try one("ssh/root_login.yaml", "severity: high", "severity: critical"),
                       "ssh/root_login.yaml:3: severity must be one of high, medium, low, info, unknown, not 'critical'")
        XCTAssertEqual(try one("ssh/max_tries.yaml", "${max_tries}", "${max_retries}"),
                       "ssh/max_tries.yaml:1: rule 'max_tries' uses unknown value '${max_retries}'")
        XCTAssertEqual(try one("ssh/max_tries.yaml", "at_most: ${max_tries}", "at_most: 4\n    value: \"4\""),
                       "ssh/max_tries.yaml:7: check 'key_value' needs exactly one of value, value_pattern, allowed, at_most, at_least, not value and at_most")
        XCTAssertEqual(try one("ssh/root_login.yaml", "files: [/etc/ssh/sshd_config]", "files: [etc/ssh/sshd_config]"),
                       "ssh/root_login.yaml:12: 'etc/ssh/sshd_config' must be an absolute path without '..'")
        XCTAssertEqual(try one("ssh/root_login.yaml", "    key: PermitRootLogin\n", "    key: PermitRootLogin\n    ignore_case: yes\n"),
                       "ssh/root_login.yaml:14: 'ignore_case' in check 'key_value' must be true or false, not 'yes'")
        XCTAssertEqual(try one("benchmark.yaml", "extends: strict", "extends: lenient"),
                       "benchmark.yaml:16: profile 'stricter' extends unknown profile 'lenient'")
        var cycle = good()
        cycle["benchmark.yaml"] = benchmarkYAML.replacingOccurrences(of: "    rules: [root_login]\n", with: "    extends: stricter\n    rules: [root_login]\n")
        XCTAssertEqual(try problems(cycle), ["benchmark.yaml:12: profile 'strict' extends itself: strict -> stricter -> strict",
                                             "benchmark.yaml:17: profile 'stricter' extends itself: stricter -> strict -> stricter"])
        XCTAssertEqual(try one("ssh/root_login.yaml", "  key_value:", "  file: {path: /etc/shadow}\n  key_value:"),
                       "ssh/root_login.yaml:11: the check of rule 'root_login' must hold exactly one of: \(allCheckKinds)")
    }

    func testRawOVALErrorsPointIntoTheBlock() throws {
        var files = good()
        files["raw.yaml"] = """
            id: raw
            title: Raw
            severity: low
            description: Raw OVAL.
            check:
              oval: |
                <ind:textfilecontent54_test id="oval:com.example:tst:1" version="1" check="all" comment="x">
                  <ind:object object_ref="oval:com.example:obj:1"/>
                </ind:textfilecontent54_tst>
            """
        let dir = try ruleFolder(files)
        XCTAssertThrowsError(try SCAPContent.compile(folder: dir)) { error in
            let text = "\(error)".replacingOccurrences(of: dir + "/", with: "")
            XCTAssertTrue(text.hasPrefix("raw.yaml:9: check 'oval' is not well-formed XML"), text)
        }
    }

    /// Raw OVAL that is well-formed but that the OVAL loader refuses (found by fuzz-rules:
    /// `check="adl"`) is reported at the rule's file and the line of the element, not at a
    /// line of the generated data stream.
    func testRawOVALTheLoaderRefusesIsReportedAtTheRule() throws {
        var files = good()
        files["raw.yaml"] = """
            id: raw
            title: Raw
            severity: low
            description: Raw OVAL.
            check:
              oval: |
                <ind:textfilecontent54_object id="oval:com.example:obj:1" version="1">
                  <ind:filepath>/etc/motd</ind:filepath>
                  <ind:pattern operation="pattern match">monitored</ind:pattern>
                  <ind:instance datatype="int">1</ind:instance>
                </ind:textfilecontent54_object>
                <ind:textfilecontent54_test id="oval:com.example:tst:1" version="1" check="adl"
                    check_existence="at_least_one_exists" comment="x">
                  <ind:object object_ref="oval:com.example:obj:1"/>
                </ind:textfilecontent54_test>
            """
        let dir = try ruleFolder(files)
        for load in [{ _ = try SCAPContent.compile(folder: dir) }, { _ = try SCAPContent.load(path: dir) }] {
            XCTAssertThrowsError(try load()) { error in
                let text = "\(error)".replacingOccurrences(of: dir + "/", with: "")
                XCTAssertTrue(text.hasPrefix("raw.yaml:12: rule raw: raw OVAL: "), text)
                XCTAssertTrue(text.contains("adl"), text)
            }
        }
    }
}
