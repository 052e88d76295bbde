import Foundation
import XCTest

/// `vigil fix CONTENT --profile P` against `oscap xccdf generate fix --profile P CONTENT` on
/// SCAP Security Guide data streams: the same rules, in the same order, have a script,
/// and every script body is the same, values substituted (bash); the same promoted
/// variables and the same tasks (Ansible).
final class FixDifferentialTests: XCTestCase {
    static let guide = "/usr/share/xml/scap/ssg/content/"

    func tools() throws -> String {
        guard let oscap = Shell.which("oscap"), FileManager.default.fileExists(atPath: Self.guide + "ssg-debian11-ds.xml") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("oscap and ssg-debian are installed in CI") }
            throw XCTSkip("oscap or the SCAP Security Guide is not installed")
        }
        return oscap
    }

    /// Rule id → script body (nil: missing), in script order, from a bash script in oscap's layout.
    static func bashFixes(_ text: String) -> [(id: String, body: String?)] {
        var out: [(String, String?)] = []
        let blocks = text.components(separatedBy: "# BEGIN fix (").dropFirst()
        for block in blocks {
            guard let open = block.range(of: " for '"), let close = block.range(of: "'\n", range: open.upperBound..<block.endIndex),
                  let end = block.range(of: "# END fix for '") else { continue }
            let id = String(block[open.upperBound..<close.lowerBound])
            // Skip the banner line and the "Remediating rule" echo.
            let lines = block[close.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2)
            let body = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            out.append((id, body.contains("IS MISSING") ? nil : body))
        }
        return out
    }

    func testBashFixesMatchOscap() throws {
        let oscap = try tools()
        for (stream, profile, value) in [("debian11", "anssi_np_nt28_high", "sshd_idle_timeout_value='300'"),
                                         ("ubuntu2204", "cis_level2_server", "var_password_pam_minlen='14'")] {
            let ds = Self.guide + "ssg-\(stream)-ds.xml"
            guard FileManager.default.fileExists(atPath: ds) else { continue }
            let full = "xccdf_org.ssgproject.content_profile_" + profile
            let theirs = try Shell.run(oscap, ["xccdf", "generate", "fix", "--fix-type", "bash", "--profile", full, ds])
            let ours = try Shell.run(Shell.vigilBinary, ["fix", ds, "--format", "bash", "--profile", profile])
            XCTAssertEqual(ours.status, 0, ours.stderr)
            let o = Self.bashFixes(theirs.stdout), v = Self.bashFixes(ours.stdout)
            XCTAssertGreaterThan(o.count, 20, "\(stream): oscap wrote fixes")
            XCTAssertEqual(v.map(\.id), o.map(\.id), "\(stream): the same rules in the same order")
            XCTAssertEqual(v.filter { $0.body != nil }.map(\.id), o.filter { $0.body != nil }.map(\.id), "\(stream): the same rules have a script")
            for (mine, theirs) in zip(v, o) where mine.body != theirs.body {
                XCTFail("\(stream) \(mine.id): script differs from oscap's\n--- oscap\n\(theirs.body ?? "")\n--- vigil\n\(mine.body ?? "")")
            }
            // A value from a <sub>, in both scripts (so that the comparison above covered one).
            XCTAssertTrue(o.contains { $0.body?.contains(value) ?? false }, "\(stream): oscap substituted \(value)")
            XCTAssertTrue(v.contains { $0.body?.contains(value) ?? false }, "\(stream): vigil substituted \(value)")
            XCTAssertTrue(ours.stderr.contains("rules have a bash fix"), ours.stderr)
        }
    }

    func testAnsibleVariablesAndTasksMatchOscap() throws {
        let oscap = try tools()
        let ds = Self.guide + "ssg-ubuntu2204-ds.xml"
        guard FileManager.default.fileExists(atPath: ds) else { throw XCTSkip("no ubuntu2204 data stream") }
        let theirs = try Shell.run(oscap, ["xccdf", "generate", "fix", "--fix-type", "ansible", "--profile",
                                           "xccdf_org.ssgproject.content_profile_cis_level2_server", ds])
        let ours = try Shell.run(Shell.vigilBinary, ["fix", ds, "--format", "ansible", "--profile", "cis_level2_server"])
        XCTAssertEqual(ours.status, 0, ours.stderr)
        /// (vars lines, task lines) without blank lines and without Vigil's per-rule comments.
        func parts(_ text: String) -> (vars: [String], tasks: [String]) {
            let lines = text.split(separator: "\n").map(String.init)
            guard let v = lines.firstIndex(where: { $0.hasPrefix("  vars:") }),
                  let t = lines.firstIndex(where: { $0.hasPrefix("  tasks:") }) else { return ([], []) }
            let tasks = lines[(t + 1)...].filter { !$0.hasPrefix("    # BEGIN fix") && !$0.hasPrefix("    # FIX FOR THIS RULE") }
            return (Array(lines[(v + 1)..<t]), tasks.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        }
        let o = parts(theirs.stdout), v = parts(ours.stdout)
        XCTAssertGreaterThan(o.vars.count, 5)
        XCTAssertEqual(v.vars, o.vars, "the same promoted variables, with the profile's values")
        XCTAssertGreaterThan(o.tasks.count, 1000)
        XCTAssertEqual(v.tasks.count, o.tasks.count)
        if let i = zip(v.tasks, o.tasks).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            XCTFail("task line \(i) differs: oscap '\(o.tasks[i])', vigil '\(v.tasks[i])'")
        }
    }
}
