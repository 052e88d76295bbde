@testable import VigilContent
import XCTest

/// Rules and profiles named by full or short id, and the "did you mean" offered for a
/// name that matches nothing.
final class RuleLookupTests: XCTestCase {
    let ids = [
        "xccdf_org.ssgproject.content_rule_accounts_password_minlen",
        "xccdf_org.ssgproject.content_rule_accounts_password_pam_minlen",
        "xccdf_org.ssgproject.content_rule_accounts_password_minlen_login_defs",
        "xccdf_org.ssgproject.content_rule_accounts_password_maxlen",
        "xccdf_org.ssgproject.content_rule_sshd_disable_root_login",
        "xccdf_org.ssgproject.content_rule_package_audit_installed",
    ]

    func testShortIDsAreThePartAfterTheKind() {
        XCTAssertEqual(ItemNames.shortID(ids[0]), "accounts_password_minlen")
        XCTAssertEqual(ItemNames.shortID("xccdf_org.ssgproject.content_profile_cis", kind: "profile"), "cis")
        XCTAssertEqual(ItemNames.shortID("no_kind_here"), "no_kind_here")
        XCTAssertEqual(ItemNames.matches("accounts_password_minlen", in: ids), [ids[0]], "a suffix after _rule_, not any suffix")
        XCTAssertEqual(ItemNames.matches(ids[4], in: ids), [ids[4]])
        XCTAssertEqual(ItemNames.matches("minlen", in: ids), [])
    }

    func testTyposSuggestTheNearestShortIDs() {
        XCTAssertEqual(ItemNames.nearest("accounts_pasword_minlen", among: ids).first, ids[0], "one deletion away")
        XCTAssertEqual(ItemNames.nearest("ACCOUNTS_PASSWORD_MAXLEN", among: ids).first, ids[3], "case is ignored")
        XCTAssertEqual(ItemNames.nearest("sshd_disable_rot_login", among: ids), [ids[4]])
        XCTAssertEqual(ItemNames.nearest("password_minlen", among: ids), [ids[0], ids[2]], "short ids holding the name, nearest first")
        let many = ItemNames.nearest("accounts_password_xxxlen", among: ids)
        XCTAssertEqual(many.count, ItemNames.maxSuggestions, "at most three: \(many)")
        XCTAssertEqual(Set(many.prefix(2)), [ids[0], ids[3]], "three edits away, before the others")
        XCTAssertEqual(ItemNames.nearest("firewalld_enabled", among: ids), [], "nothing close: no suggestion")
        XCTAssertEqual(ItemNames.nearest("", among: ids), [])
        XCTAssertEqual(ItemNames.didYouMean([ids[0]]), " (did you mean accounts_password_minlen?)")
        XCTAssertEqual(ItemNames.didYouMean([]), "")
    }

    func testEditDistanceIsLevenshtein() {
        func d(_ a: String, _ b: String) -> Int { ItemNames.editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars)) }
        XCTAssertEqual(d("kitten", "sitting"), 3)
        XCTAssertEqual(d("", "abc"), 3)
        XCTAssertEqual(d("abc", "abc"), 0)
        XCTAssertEqual(d("flaw", "lawn"), 2)
    }

    func testABenchmarkFindsRulesByShortID() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-lookup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func rule(_ id: String) -> String { "<Rule id=\"\(id)\" selected=\"true\"><title>t</title></Rule>" }
        let xml = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_b" resolved="1">
          <status>draft</status><title>B</title><version>1</version>
          \(rule("xccdf_org.example_rule_ssh_root"))\(rule("xccdf_org.other_rule_ssh_root"))\(rule("xccdf_org.example_rule_audit_on"))
        </Benchmark>
        """
        let path = dir.appendingPathComponent("b.xml")
        try xml.write(to: path, atomically: true, encoding: .utf8)
        let b = try SCAPContent.load(path: path.path).benchmark
        XCTAssertEqual(b.rule(named: "audit_on"), .found("xccdf_org.example_rule_audit_on"))
        XCTAssertEqual(b.rule(named: "xccdf_org.other_rule_ssh_root"), .found("xccdf_org.other_rule_ssh_root"))
        XCTAssertEqual(b.rule(named: "ssh_root"), .ambiguous(["xccdf_org.example_rule_ssh_root", "xccdf_org.other_rule_ssh_root"]))
        XCTAssertEqual(b.rule(named: "audit_of"), .unknown(suggestions: ["xccdf_org.example_rule_audit_on"]))
    }
}
