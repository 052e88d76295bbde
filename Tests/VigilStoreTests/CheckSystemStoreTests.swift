import Foundation
import GRDB
import VigilCore
import XCTest
@testable import VigilStore

/// Each stored rule result keeps how its rule is checked (`RuleCheckSystem`); results
/// stored before migration `v8-check-system` read back as unknown (nil).
final class CheckSystemStoreTests: XCTestCase {
    /// A scan whose rules r1…r4 are checked natively, by OVAL, otherwise, and unknown.
    private func markedRecord(started: Date = Date()) -> ScanRecord {
        var scan = record([("r1", "fail"), ("r2", "pass"), ("r3", "notchecked"), ("r4", "pass")], started: started)
        for (i, system) in [RuleCheckSystem.native, .oval, .other, nil].enumerated() { scan.rules[i].checkSystem = system }
        return scan
    }

    func testEachResultKeepsItsCheckSystem() throws {
        let fx = try StoreFixture()
        let id = try ScanStore(path: fx.path).save(markedRecord())
        let store = try ScanStore(path: fx.path)
        XCTAssertEqual(try store.results(of: id).map(\.checkSystem), [.native, .oval, .other, nil])
        XCTAssertEqual(try store.results(of: id, details: false).map(\.checkSystem), [.native, .oval, .other, nil],
                       "drift reads results without details and still needs it")
        let column = try store.pool.read {
            try Int64?.fetchAll($0, sql: "SELECT check_system FROM results WHERE scan_id = ? ORDER BY seq", arguments: [id])
        }
        XCTAssertEqual(column, [1, 0, 2, nil], "one small number per result, NULL when unknown")
        let readOnly = try ScanStore(path: fx.path, access: .readOnly)
        XCTAssertEqual(try readOnly.results(of: id).map(\.checkSystem), [.native, .oval, .other, nil])
    }

    func testAnOlderDatabaseIsUpgradedItsResultsUnknownAndStaysPrivate() throws {
        let fx = try StoreFixture()
        try fx.olderDatabase(upTo: "v7-system-identity") { db in
            try db.execute(sql: """
                INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id,
                  benchmark_version, profile_id, vigil_version, started_at, finished_at, fail)
                VALUES ('u-old', 'node-1', 'id-node-1', '/', '/c.xml', 'sha-a', 'xccdf_b', '1.0', 'xccdf_p_profile_standard', '0.1.0', 1, 2, 1);
                INSERT INTO rules (id, content_sha256, rule_id, title, refs) VALUES (1, 'sha-a', 'r1', 'Title of r1', '[]');
                INSERT INTO results (scan_id, seq, rule, instance, severity, result, evidence)
                VALUES (1, 0, 1, '', 'medium', 'fail', '/etc/r1');
                """)
        }
        chmod(fx.path, 0o600)
        // Read-only, the older database is upgraded in a private copy only.
        XCTAssertEqual(try ScanStore(path: fx.path, access: .readOnly).results(of: 1).map(\.checkSystem), [nil])
        let store = try ScanStore(path: fx.path)
        let applied = try store.pool.read { try DatabaseMigrator().appliedIdentifiers($0) }
        XCTAssertTrue(applied.contains("v8-check-system"), "\(applied)")
        let old = try store.results(of: 1)
        XCTAssertEqual(old.map(\.ruleID), ["r1"])
        XCTAssertNil(old[0].checkSystem, "a result stored before the migration has no check system")
        XCTAssertEqual(old[0].evidence, "/etc/r1")
        let id = try store.save(markedRecord(started: Date(timeIntervalSince1970: 10)))
        XCTAssertEqual(try store.results(of: id).map(\.checkSystem), [.native, .oval, .other, nil])
        var st = stat()
        XCTAssertEqual(stat(fx.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600, "the migrated database keeps its permissions")
        for sidecar in ["-wal", "-shm"] where stat(fx.path + sidecar, &st) == 0 {
            XCTAssertEqual(st.st_mode & 0o077, 0, "\(sidecar) must not be readable by others")
        }
    }

    func testAnUnknownCheckSystemIsRefusedNamingScanAndRule() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let id = try store.save(markedRecord())
        for value in ["3", "'native'"] {
            XCTAssertThrowsError(try store.pool.write {
                try $0.execute(sql: "UPDATE results SET check_system = \(value) WHERE scan_id = ? AND seq = 0", arguments: [id])
            }, "the column accepts only 0, 1 and 2")
        }
        // A damaged or foreign database: an error naming scan and rule, never a crash.
        for (value, shown) in [("3", "3"), ("'native'", "\"native\""), ("x'00'", "Data(")] {
            try store.pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: "UPDATE results SET check_system = \(value) WHERE scan_id = ? AND seq = 0", arguments: [id])
                try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
            }
            XCTAssertThrowsError(try store.results(of: id)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("scan \(id): rule r1 has an unknown check system \(shown)"), text)
            }
        }
    }

    func testDriftCarriesTheCheckSystemOfEachChange() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        var before = record([("r1", "pass"), ("r2", "fail"), ("gone", "pass")], started: Date(timeIntervalSince1970: 100))
        before.rules[2].checkSystem = .native
        var after = record([("r1", "fail"), ("r2", "pass"), ("new", "fail")], started: Date(timeIntervalSince1970: 200))
        after.rules[0].checkSystem = .native
        after.rules[1].checkSystem = .oval
        try store.save(before)
        try store.save(after)
        let drift = try store.drift()
        XCTAssertEqual(drift.newlyFailing.map(\.ruleID), ["r1", "new"])
        XCTAssertEqual(drift.newlyFailing.map(\.checkSystem), [.native, nil], "the later scan's")
        XCTAssertEqual(drift.fixed.map(\.checkSystem), [.oval])
        XCTAssertEqual(drift.removed.map(\.checkSystem), [.native], "a removed rule: the earlier scan's")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(drift.newlyFailing[0]), as: UTF8.self)
        XCTAssertTrue(json.contains("\"checkSystem\":\"native\""), json)
        XCTAssertFalse(String(decoding: try encoder.encode(drift.newlyFailing[1]), as: UTF8.self).contains("checkSystem"),
                       "unknown: left out")
    }
}
