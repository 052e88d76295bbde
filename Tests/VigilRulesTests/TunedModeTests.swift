import Foundation
import XCTest
@testable import VigilRules

/// `file` with `mode: ${value}`: read as a tunable, its choices checked octal at the value's
/// line, and compiled to one branch per choice.
final class TunedModeTests: XCTestCase {
    static func folder(defaultMode: String, strict: String) -> [String: String] {
        let benchmark = """
            id: modes
            title: Modes
            version: "1"
            values:
              conf_mode:
                title: Mode
                default: "\(defaultMode)"
                options: {stig: "0644"}
            profiles:
              strict: {title: Strict, rules: [conf], values: {conf_mode: "\(strict)"}}

            """
        let rule = "id: conf\ntitle: Conf\nseverity: medium\ndescription: d\ncheck:\n  file: {path: /etc/app.conf, mode: \"${conf_mode}\"}\n"
        return ["benchmark.yaml": benchmark, "conf.yaml": rule]
    }

    func testAModeValueIsReadAndEveryChoiceBecomesABranch() throws {
        let b = try RuleFolder.load(try ruleFolder(Self.folder(defaultMode: "0600", strict: "0400")))
        guard case .file(let c) = try XCTUnwrap(b.rules.first).check else { return XCTFail("not a file check") }
        XCTAssertEqual(c.modeValue, "conf_mode")
        XCTAssertNil(c.mode)
        XCTAssertEqual(DataStreamBuilder.valueChoices(b)["conf_mode"], ["0600", "0644", "0400"])
        let ds = try DataStreamBuilder.build(b)
        for mode in ["0600", "0644", "0400"] { XCTAssertTrue(ds.contains("<ind:value operation=\"equals\">\(mode)</ind:value>"), mode) }
        XCTAssertTrue(ds.contains("<check-export value-id=\"xccdf_io.vigil_value_conf_mode\""))
    }

    func testAChoiceThatIsNoModeIsRefusedAtTheValuesLine() throws {
        for (d, s, bad) in [("rw-------", "0400", "rw-------"), ("0600", "600x", "600x"), ("0600", "17777", "17777")] {
            XCTAssertEqual(folderProblems(try ruleFolder(Self.folder(defaultMode: d, strict: s))),
                           ["benchmark.yaml:5: value 'conf_mode' is the mode of rule 'conf', so each of its choices must be octal like \"0640\", not '\(bad)'"])
        }
    }
}
