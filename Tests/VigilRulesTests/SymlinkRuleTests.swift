import Foundation
import XCTest
@testable import VigilRules

/// The `symlink` check in rule files: exactly one of target and target_pattern, absolute
/// paths, and the OVAL written.
final class SymlinkRuleTests: XCTestCase {
    static let bench = "id: demo\ntitle: Demo\nversion: 1.0.0\ndescription: d\n"

    func rule(_ check: String) -> String { "id: link\ntitle: Link\nseverity: high\ndescription: d\ncheck:\n  symlink: \(check)\n" }

    func testBadSymlinkChecksAreRefusedAtTheirLine() throws {
        for (check, message) in [
            ("{path: /a}", "rule.yaml:6: check 'symlink' needs exactly one of target and target_pattern"),
            ("{path: /a, target: /b, target_pattern: x}", "rule.yaml:6: check 'symlink' needs exactly one of target and target_pattern"),
            ("{path: a, target: /b}", "rule.yaml:6: 'a' must be an absolute path without '..'"),
            ("{path: /a, target: ../b}", "rule.yaml:6: '../b' must be an absolute path without '..'"),
            ("{path: /a, target: /b, missing: maybe}", "rule.yaml:6: missing must be pass or fail, not 'maybe'"),
        ] {
            XCTAssertEqual(folderProblems(try ruleFolder(["benchmark.yaml": Self.bench, "rule.yaml": rule(check)])), [message], check)
        }
    }

    func testSymlinkCompilesToASymlinkTestAndWithMissingPassAnAbsenceTest() throws {
        let plain = try DataStreamBuilder.build(try RuleFolder.load(try ruleFolder(["benchmark.yaml": Self.bench, "rule.yaml": rule("{path: /a, target: /b}")])))
        XCTAssertTrue(plain.contains("<unix:symlink_object id=\"oval:io.vigil.demo:obj:1\" version=\"1\"><unix:filepath>/a</unix:filepath></unix:symlink_object>"), plain)
        XCTAssertTrue(plain.contains("<unix:canonical_path operation=\"equals\">/b</unix:canonical_path>"))
        XCTAssertFalse(plain.contains("none_exist"))
        let missing = try DataStreamBuilder.build(try RuleFolder.load(try ruleFolder(["benchmark.yaml": Self.bench,
                                                                                      "rule.yaml": rule("{path: /a, target_pattern: '^/b/', missing: pass}")])))
        XCTAssertTrue(missing.contains("<unix:canonical_path operation=\"pattern match\">^/b/</unix:canonical_path>"))
        XCTAssertTrue(missing.contains("check_existence=\"none_exist\""))
        XCTAssertTrue(missing.contains("<criteria operator=\"OR\">"))
    }
}
