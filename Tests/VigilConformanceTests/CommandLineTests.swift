import Foundation
import XCTest

/// The `vigil` executable's arguments, messages and exit codes.
final class CommandLineTests: XCTestCase {
    func vigil(_ args: [String]) throws -> Shell.Output {
        try Shell.run(Shell.vigilBinary, args)
    }

    func writeContent() throws -> (content: String, dir: URL) {
        let dir = try Shell.tempDir()
        let oval = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
          <definitions>
            <definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
              <criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition>
            <definition id="oval:x:def:2" version="1" class="compliance"><metadata><title>t</title></metadata>
              <criteria><criterion test_ref="oval:x:tst:1" negate="true"/></criteria></definition>
          </definitions>
          <tests><ind:family_test id="oval:x:tst:1" version="1" check="all"><ind:object object_ref="oval:x:obj:1"/></ind:family_test></tests>
          <objects><ind:family_object id="oval:x:obj:1" version="1"/></objects>
        </oval_definitions>
        """
        func rule(_ id: String, _ def: String) -> String {
            """
            <Rule id="xccdf_org.example_rule_\(id)" selected="true" severity="low"><title>\(id)</title>
              <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:\(def)"/></check></Rule>
            """
        }
        let xccdf = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_cli" resolved="1">
          <status>draft</status><title>CLI</title><version>7</version>
          <Profile id="xccdf_org.example_profile_pass_only"><title>Pass only</title>
            <select idref="xccdf_org.example_rule_fails" selected="false"/></Profile>
          <Profile id="xccdf_org.other_profile_pass_only"><title>Same short name</title>
            <select idref="xccdf_org.example_rule_fails" selected="false"/></Profile>
          <Profile id="xccdf_org.example_profile_pass_only_too"><title>Also</title>
            <select idref="xccdf_org.example_rule_fails" selected="false"/></Profile>
          \(rule("passes", "1"))
          \(rule("fails", "2"))
        </Benchmark>
        """
        try oval.write(to: dir.appendingPathComponent("oval.xml"), atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("xccdf.xml")
        try xccdf.write(to: path, atomically: true, encoding: .utf8)
        return (path.path, dir)
    }

    func testExitCodesFollowOscap() throws {
        let (content, _) = try writeContent()
        XCTAssertEqual(try vigil(["scan", content, "--quiet"]).status, 2, "a failing rule gives 2")
        XCTAssertEqual(try vigil(["scan", content, "--quiet", "--profile", "xccdf_org.example_profile_pass_only"]).status, 0)
        XCTAssertEqual(try vigil(["scan", content, "--quiet", "--rule", "xccdf_org.example_rule_passes"]).status, 0)
    }

    func testProfileNamesAreCheckedAndListed() throws {
        let (content, _) = try writeContent()
        let unknown = try vigil(["scan", content, "--profile", "nope"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown profile 'nope'") && unknown.stderr.contains("xccdf_org.example_profile_pass_only"), unknown.stderr)
        XCTAssertEqual(unknown.stderr.split(separator: "\n").count, 1, "one-line error")
        let ambiguous = try vigil(["scan", content, "--profile", "pass_only"])
        XCTAssertEqual(ambiguous.status, 1)
        XCTAssertTrue(ambiguous.stderr.contains("ambiguous") && ambiguous.stderr.contains("xccdf_org.other_profile_pass_only"), ambiguous.stderr)
        let short = try vigil(["scan", content, "--profile", "pass_only_too", "--quiet"])
        XCTAssertEqual(short.status, 0, short.stderr)
    }

    func testBadInputExitsOneWithOneLine() throws {
        let (content, dir) = try writeContent()
        let missing = try vigil(["scan", dir.appendingPathComponent("none.xml").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("none.xml: no such file"), missing.stderr)
        let badRoot = try vigil(["scan", content, "--root", dir.appendingPathComponent("nowhere").path])
        XCTAssertEqual(badRoot.status, 1)
        XCTAssertTrue(badRoot.stderr.contains("not a directory"), badRoot.stderr)
        let badRule = try vigil(["scan", content, "--rule", "xccdf_org.example_rule_nope"])
        XCTAssertEqual(badRule.status, 1)
        let malformed = dir.appendingPathComponent("bad.xml")
        try "<Benchmark>\n<oops>\n".write(to: malformed, atomically: true, encoding: .utf8)
        let m = try vigil(["scan", malformed.path])
        XCTAssertEqual(m.status, 1)
        XCTAssertTrue(m.stderr.contains("bad.xml:"), m.stderr)
        XCTAssertEqual(m.stderr.split(separator: "\n").count, 1, m.stderr)
    }

    func testInfoListsProfilesWithRuleCounts() throws {
        let (content, _) = try writeContent()
        let out = try vigil(["info", content])
        XCTAssertEqual(out.status, 0)
        XCTAssertTrue(out.stdout.contains("xccdf_org.example_benchmark_cli"))
        XCTAssertTrue(out.stdout.contains("Version: 7"))
        XCTAssertTrue(out.stdout.contains("Pass only (1 rules)"), out.stdout)
    }

    func testResultsValidateWithOscap() throws {
        guard let oscap = Shell.which("oscap") else { throw XCTSkip("oscap is not installed") }
        let (content, dir) = try writeContent()
        let results = dir.appendingPathComponent("results.xml").path
        XCTAssertEqual(try vigil(["scan", content, "--quiet", "--results", results]).status, 2)
        let v = try Shell.run(oscap, ["xccdf", "validate", results])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
    }
}

/// The gate never passes on a scan that evaluated nothing, and the exit codes are the
/// documented ones.
final class EmptyScanCommandLineTests: XCTestCase {
    static let guides = "/usr/share/xml/scap/ssg/content/"

    /// The SCAP Security Guide data stream `name`, or a skip when it is not installed (a
    /// failure in CI, which installs it).
    func guide(_ name: String) throws -> String {
        let path = Self.guides + name
        guard FileManager.default.fileExists(atPath: path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(path) is missing in CI") }
            throw XCTSkip("\(path) is not installed")
        }
        return path
    }

    /// The scanned system's os-release ID (this machine's).
    var osID: String {
        let text = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let line = text.split(separator: "\n").first { $0.hasPrefix("ID=") } ?? ""
        return line.dropFirst(3).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// RHEL 9 content on this (non-RHEL) machine: a warning that the content is for
    /// another platform, every rule notapplicable, exit 4 with the reason; without a
    /// profile no rule is selected at all, also 4; `--allow-empty` gives 0.
    func testRHELContentOnThisMachineDoesNotPass() throws {
        let rhel9 = try guide("ssg-rhel9-ds.xml")
        guard !["rhel", "centos", "almalinux", "rocky", "ol"].contains(osID) else { throw XCTSkip("this machine may be RHEL 9 (\(osID))") }
        let profile = try Shell.run(Shell.vigilBinary, ["scan", rhel9, "--profile", "ospp", "--no-store"])
        XCTAssertEqual(profile.status, 4, profile.stderr)
        XCTAssertTrue(profile.stderr.contains("vigil: warning: the content is for cpe:/o:redhat:enterprise_linux:9"), profile.stderr)
        XCTAssertTrue(profile.stderr.contains("vigil: error: no rule was evaluated: all ") && profile.stderr.contains("are notapplicable"),
                      profile.stderr)
        XCTAssertTrue(profile.stdout.contains("gate: nothing evaluated (exit code 4)"), profile.stdout)

        let noProfile = try Shell.run(Shell.vigilBinary, ["scan", rhel9, "--no-store", "--quiet"])
        XCTAssertEqual(noProfile.status, 4, noProfile.stderr)
        XCTAssertTrue(noProfile.stderr.contains("selects no rule by default and no --profile was given"), noProfile.stderr)

        let allowed = try Shell.run(Shell.vigilBinary, ["scan", rhel9, "--profile", "ospp", "--no-store", "--allow-empty"])
        XCTAssertEqual(allowed.status, 0, allowed.stderr)
        XCTAssertTrue(allowed.stderr.contains("vigil: warning: no rule was evaluated"), allowed.stderr)
        XCTAssertFalse(allowed.stderr.contains("vigil: error:"), allowed.stderr)
        XCTAssertTrue(allowed.stdout.contains("gate: pass (nothing evaluated, allowed by --allow-empty)"), allowed.stdout)
    }

    /// A SCAP Security Guide data stream selects no rule by default: scanned without a
    /// profile it does not pass, and the error names the way out (`--profile`).
    func testAGuideWithoutAProfileDoesNotPass() throws {
        let debian11 = try guide("ssg-debian11-ds.xml")
        let out = try Shell.run(Shell.vigilBinary, ["scan", debian11, "--no-store", "--quiet"])
        XCTAssertEqual(out.status, 4, out.stderr)
        XCTAssertTrue(out.stderr.contains("choose one of its") && out.stderr.contains("--profile"), out.stderr)
    }

    /// OpenShift content on a machine that is not an OpenShift node: the warning names it.
    func testOpenShiftContentOffOpenShiftWarns() throws {
        let ocp4 = try guide("ssg-ocp4-ds.xml")
        guard !FileManager.default.fileExists(atPath: "/etc/kubernetes") else { throw XCTSkip("this machine may be a node") }
        let out = try Shell.run(Shell.vigilBinary, ["scan", ocp4, "--profile", "cis", "--no-store", "--quiet"])
        XCTAssertEqual(out.status, 4, out.stderr)
        XCTAssertTrue(out.stderr.contains("vigil: warning: the content is for cpe:/a:redhat:openshift_container_platform"), out.stderr)
        XCTAssertTrue(out.stderr.contains("other platforms"), "a long list is cut: \(out.stderr)")
    }

    /// `vigil --help`, `vigil scan --help` and README.md list the same exit codes: 0 to 5.
    func testTheExitCodesAreDocumentedAlike() throws {
        func codes(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { line in
                let t = line.trimmingCharacters(in: .whitespaces)
                if let m = t.firstMatch(of: /^\| `(\d)` \|/) { return String(m.1) }
                if line.hasPrefix("  "), let m = t.firstMatch(of: /^(\d)  \S/) { return String(m.1) }
                return nil
            }
        }
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        XCTAssertEqual(codes(try String(contentsOf: readme, encoding: .utf8)), ["0", "1", "2", "3", "4", "5"])
        for args in [["--help"], ["scan", "--help"]] {
            let out = try Shell.run(Shell.vigilBinary, args)
            XCTAssertEqual(out.status, 0)
            XCTAssertTrue(out.stdout.contains("Exit codes:"), out.stdout)
            XCTAssertEqual(codes(out.stdout), ["0", "1", "2", "3", "4", "5"], out.stdout)
        }
        XCTAssertTrue(try Shell.run(Shell.vigilBinary, ["scan", "--help"]).stdout.contains("--allow-empty"))
    }
}

/// Usage errors exit 1, the documented code for "the command could not run".
final class UsageErrorTests: XCTestCase {
    func testUsageErrorsExitOneAndHelpExitsZero() throws {
        for args in [["scan", "--no-such-option"], ["prune"], ["history", "--limit", "many"], ["show", "--format", "xml"],
                     ["no-such-command"], ["report"]] {
            let out = try Shell.run(Shell.vigilBinary, args)
            XCTAssertEqual(out.status, 1, "\(args): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains("Error:") || out.stderr.contains("error:"), "\(args): \(out.stderr)")
        }
        for args in [["--help"], ["scan", "--help"], ["help", "drift"], ["--version"]] {
            let out = try Shell.run(Shell.vigilBinary, args)
            XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
            XCTAssertFalse(out.stdout.isEmpty, "\(args)")
        }
    }
}
