import Foundation
import GRDB
import VigilCore
import XCTest
@testable import VigilStore

/// `RuleRecord.groups` (the titles of the Groups that hold a rule) is stored with the
/// rule (migration `v6-rule-groups`) and read back with the details.
final class RuleGroupsStoreTests: XCTestCase {
    func testGroupsAreStoredAndReadBack() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        var scan = record([("nested", "fail"), ("top", "pass"), ("odd", "pass")])
        scan.rules[0].groups = ["System", "SSH \"server\"", "Keys"]
        scan.rules[2].groups = ["Ünïcode ✓", ""]
        let id = try store.save(scan)
        XCTAssertEqual(try store.results(of: id).map(\.groups), [["System", "SSH \"server\"", "Keys"], [], ["Ünïcode ✓", ""]])
        XCTAssertEqual(try store.results(of: id, details: false).map(\.groups), [[], [], []], "drift reads no details")
    }

    func testRulesStoredBeforeTheMigrationHaveNoGroups() throws {
        let fx = try StoreFixture()
        try fx.olderDatabase(upTo: "v4-target-kind") { db in
            try db.execute(sql: """
                INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id,
                  benchmark_version, profile_id, vigil_version, started_at, finished_at, pass)
                VALUES ('0ld5ca9', 'old-host', 'id-old', '/', '/c.xml', 'sha', 'xccdf_b', '1', '', '0.0.1', 1, 2, 1);
                INSERT INTO rules (id, content_sha256, rule_id, title, refs) VALUES (1, 'sha', 'r', 'R', '[]');
                INSERT INTO results (scan_id, seq, rule, instance, severity, result) VALUES (1, 0, 1, '', 'low', 'pass');
                """)
        }
        let store = try ScanStore(path: fx.path)
        XCTAssertEqual(try store.results(of: 1).map(\.groups), [[]])
        var scan = record([("r2", "pass")])
        scan.rules[0].groups = ["G"]
        XCTAssertEqual(try store.results(of: try store.save(scan)).map(\.groups), [["G"]])
    }
}
