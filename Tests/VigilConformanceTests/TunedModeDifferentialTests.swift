import Foundation
import XCTest

/// `file` with `mode: ${value}`: one rule whose most permissive mode the profile chooses
/// (CIS 0600, the STIG 0644), compiled to one branch per choice; Vigil and oscap agree on
/// files of several modes under each profile and on the default.
final class TunedModeDifferentialTests: XCTestCase {
    func testTheProfileChoosesTheModeAndBothToolsAgree() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let root = work.appendingPathComponent("root")
        let folder = work.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try """
            id: tuned
            title: Tuned modes
            version: "1"
            values:
              config_mode:
                title: Most permissive mode of the configuration files
                default: "0600"
                options: {stig: "0644"}
            profiles:
              cis: {title: CIS, rules: [f600, f640, f644, f664, f400]}
              stig: {title: STIG, rules: [f600, f640, f644, f664, f400], values: {config_mode: stig}}
              strict: {title: Strict, rules: [f600, f640, f644, f664, f400], values: {config_mode: "0400"}}

            """.write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        let modes: [(String, mode_t)] = [("f600", 0o600), ("f640", 0o640), ("f644", 0o644), ("f664", 0o664), ("f400", 0o400)]
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc/app"), withIntermediateDirectories: true)
        for (name, mode) in modes {
            let path = root.appendingPathComponent("etc/app/\(name).conf").path
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x\n".utf8)))
            XCTAssertEqual(chmod(path, mode), 0)
            try CheckKindsDifferentialTests.rule(name, "  file: {path: /etc/app/\(name).conf, mode: \"${config_mode}\"}\n")
                .write(to: folder.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let ds = work.appendingPathComponent("tuned-ds.xml").path
        XCTAssertEqual(try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds]).status, 0)
        let expected: [String: [String: String]] = [
            "cis": ["f600": "pass", "f640": "fail", "f644": "fail", "f664": "fail", "f400": "pass"],
            "stig": ["f600": "pass", "f640": "pass", "f644": "pass", "f664": "fail", "f400": "pass"],
            "strict": ["f600": "fail", "f640": "fail", "f644": "fail", "f664": "fail", "f400": "pass"],
        ]
        for (profile, verdicts) in expected {
            let run = try DifferentialRun.run(t, content: ds, options: ["--profile", profile], root: root.path, work: work, name: profile)
            XCTAssertEqual(run.status, 0, "\(profile): oscap and vigil differ:\n\(run.output)")
            let results = try DifferentialRun.results(in: run.candidate)
            for (rule, verdict) in verdicts {
                XCTAssertEqual(results["xccdf_io.vigil_rule_\(rule)"], verdict, "\(profile) \(rule)")
            }
        }
    }
}
