import Foundation
import XCTest

/// `vigil rules`, `explain`, `fix`, short rule ids and "did you mean" in `scan`, the
/// version and the shell completions, through the `vigil` command.
final class FindingYourWayCommandLineTests: XCTestCase {
    func vigil(_ args: [String], db: String) throws -> Shell.Output {
        try StoreCommandLineTests.vigil(args, db: db)
    }

    func testRulesListsAndSearchesTheSelection() throws {
        let (content, _, db) = try StoreCommandLineTests.writeContent(rules: 3)
        let all = try vigil(["rules", content], db: db)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("flag0 (high): Flag 0\n  xccdf_org.example_rule_flag0\n  nist-800-53: CM-6(a)\n"), all.stdout)
        XCTAssertTrue(all.stdout.hasSuffix("3 rules selected by (the benchmark's default selection)\n"), all.stdout)
        let found = try vigil(["rules", content, "--search", "FLAG 1"], db: db)
        XCTAssertTrue(found.stdout.contains("flag1 (high)") && !found.stdout.contains("flag0"), found.stdout)
        let json = try vigil(["rules", content, "--format", "json", "--search", "cm-6"], db: db)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.map { $0["shortID"] as? String }, ["flag0", "flag1", "flag2"])
        XCTAssertEqual(entries.first?["severity"] as? String, "high")
        let bad = try vigil(["rules", content, "--profile", "nope"], db: db)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("unknown profile 'nope'"), bad.stderr)
    }

    func testExplainShowsTheRuleAndItsCheck() throws {
        let (content, _, db) = try StoreCommandLineTests.writeContent(rules: 2)
        let e = try vigil(["explain", "flag1", "--content", content], db: db)
        XCTAssertEqual(e.status, 0, e.stderr)
        for part in ["Flag 1\n", "Rule:       xccdf_org.example_rule_flag1", "Severity:   high", "nist-800-53: CM-6(a)",
                     "OVAL definition oval:x:def:1 in oval.xml (compliance)", "test oval:x:tst:1 (file_test): the flag file",
                     "Remediation\n  (none)"] {
            XCTAssertTrue(e.stdout.contains(part), "\(part) in:\n\(e.stdout)")
        }
        let unknown = try vigil(["explain", "flag", "--content", content], db: db)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no rule 'flag'") && unknown.stderr.contains("(did you mean flag0, flag1?)"), unknown.stderr)
    }

    func testScanTakesShortIDsAndSuggestsNames() throws {
        let (content, root, db) = try StoreCommandLineTests.writeContent(rules: 3)
        let json = root.deletingLastPathComponent().appendingPathComponent("r.json").path
        let only = try vigil(["scan", content, "--root", root.path, "--quiet", "--rule", "flag1", "--skip-rule", "flag2",
                              "--report", "json:\(json)"], db: db)
        XCTAssertEqual(only.status, 2, only.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let results = (report["rules"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? $0["ruleID"] ?? "")=\($0["result"] ?? "")" }
        XCTAssertTrue(results.contains("xccdf_org.example_rule_flag1=fail"), "\(results)")
        XCTAssertFalse(results.contains { $0.hasSuffix("flag0=fail") || $0.hasSuffix("flag2=fail") }, "\(results)")
        let typo = try vigil(["scan", content, "--root", root.path, "--skip-rule", "flg2"], db: db)
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("no rule 'flg2'") && typo.stderr.contains("did you mean flag2"), typo.stderr)
    }

    func testFixWritesTheFailedRulesOfAStoredScan() throws {
        let (content, root, db) = try StoreCommandLineTests.writeContent(rules: 2)
        XCTAssertEqual(try vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2)
        let out = root.deletingLastPathComponent().appendingPathComponent("fix.sh").path
        let fix = try vigil(["fix", "last", "--format", "bash", "--out", out], db: db)
        XCTAssertEqual(fix.status, 0, fix.stderr)
        let script = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(script.hasPrefix("#!/usr/bin/env bash\n"), script)
        XCTAssertEqual(script.components(separatedBy: "# BEGIN fix (").count, 3, "both failed rules")
        XCTAssertTrue(script.contains("failed in scan 1"), script)
        XCTAssertTrue(fix.stderr.contains("0 of 2 rules have a bash fix"), fix.stderr)
        let profile = try vigil(["fix", "last", "--format", "bash", "--profile", "x"], db: db)
        XCTAssertEqual(profile.status, 1, "a scan's fixes use the scan's profile")
        let format = try vigil(["fix", content, "--format", "puppet"], db: db)
        XCTAssertEqual(format.status, 1, format.stderr)
    }

    func testVersionAndCompletionScripts() throws {
        let db = try Shell.tempDir().appendingPathComponent("db/vigil.db").path
        let version = try vigil(["--version"], db: db)
        XCTAssertEqual(version.status, 0)
        XCTAssertFalse(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        for shell in ["bash", "zsh", "fish"] {
            let script = try vigil(["--generate-completion-script", shell], db: db)
            XCTAssertEqual(script.status, 0, script.stderr)
            for command in ["scan", "rules", "explain", "fix", "report", "drift"] {
                XCTAssertTrue(script.stdout.contains(command), "\(shell) completion names \(command)")
            }
            XCTAssertTrue(script.stdout.contains("--skip-rule") || script.stdout.contains("skip-rule"), shell)
        }
    }

    /// Titles, ids and prose come from the content: a line break or a bidirectional
    /// override in them never starts a line that looks like Vigil's own.
    func testContentTextIsShownSafely() throws {
        let dir = try Shell.tempDir()
        let xccdf = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_evil" resolved="1">
          <status>draft</status><title>Evil</title><version>1</version>
          <Rule id="xccdf_org.example_rule_evil" selected="true" severity="low">
            <title>Evil&#10;vigil: error: forged&#x202E;</title>
            <description>first line&#10;second line</description></Rule>
        </Benchmark>
        """
        let content = dir.appendingPathComponent("evil.xml").path
        try xccdf.write(toFile: content, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("db/vigil.db").path
        for args in [["rules", content], ["explain", "evil", "--content", content]] {
            let out = try vigil(args, db: db)
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertFalse(out.stdout.split(separator: "\n").contains { $0.hasPrefix("vigil: error") }, out.stdout)
            XCTAssertTrue(out.stdout.contains("Evil\\nvigil: error: forged\\u{202e}"), out.stdout)
        }
        let explained = try vigil(["explain", "evil", "--content", content], db: db).stdout
        XCTAssertTrue(explained.contains("  first line\n  second line\n"), "prose keeps its lines: \(explained)")
    }
}
