import Foundation
import VigilCore
import XCTest
@testable import VigilStore

/// PostgresStore answers as ScanStore does: the same scans stored in both read back the
/// same through every method `history`, `show`, `drift`, `report` and `prune` use.
final class PostgresStoreTests: PostgresTestCase {
    func testEveryReadAnswersAsSQLiteDoes() throws {
        let (_, owner, _) = try database()
        let pg = try PostgresStore(uri: owner)
        let (sqlite, dir) = try temporarySQLite()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var records = [fleetRecord(rules(40, failing: [1, 5])),
                       fleetRecord(rules(40, failing: [1, 7, 9]), started: Date(timeIntervalSince1970: 1_780_003_600.25)),
                       fleetRecord(rules(12), host: "node-2", profile: "xccdf_b_profile_cis", content: "sha-b")]
        records[2].rules[0].evidence = "a NUL\u{0}byte"  // PostgreSQL text holds no NUL: it becomes U+FFFD
        for r in records {
            XCTAssertEqual(try pg.save(r), try sqlite.save(r))
        }
        XCTAssertEqual(try pg.scanCount(), 3)
        XCTAssertEqual(try pg.history(host: nil, profile: nil, limit: nil), try sqlite.history())
        XCTAssertEqual(try pg.history(host: "node-1", profile: "standard", limit: 1), try sqlite.history(host: "node-1", profile: "standard", limit: 1))
        for reference in ["last", "2", String(records[0].uuid.prefix(8))] {
            XCTAssertEqual(try pg.scan(reference), try sqlite.scan(reference))
        }
        XCTAssertThrowsError(try pg.scan("ffffffff")) { XCTAssertEqual($0 as? StoreError, .noSuchScan("ffffffff")) }
        for id in Int64(1)...3 {
            var expected = try sqlite.results(of: id)
            if id == 3 { expected[0].evidence = "a NUL\u{FFFD}byte" }
            XCTAssertEqual(try pg.results(of: id, details: true), expected)
            var plain = try sqlite.results(of: id, details: false)
            if id == 3 { plain[0].evidence = "a NUL\u{FFFD}byte" }
            XCTAssertEqual(try pg.results(of: id, details: false), plain)
            XCTAssertEqual(try pg.policy(of: id), records[Int(id) - 1].policy)
        }
        XCTAssertEqual(try pg.scan("1").system, records[0].system)
        XCTAssertEqual(try pg.previous(of: try pg.scan("2"))?.id, 1)
        XCTAssertNil(try pg.previous(of: try pg.scan("3")))
        let pgDrift = try pg.drift(), sqliteDrift = try (sqlite as any ScanDatabase).drift()
        XCTAssertEqual(pgDrift.newlyFailing.map(\.ruleID), ["xccdf_org.example_rule_r7", "xccdf_org.example_rule_r9"])
        XCTAssertEqual(pgDrift.newlyFailing, sqliteDrift.newlyFailing)
        XCTAssertEqual(pgDrift.fixed, sqliteDrift.fixed)
    }

    func testAScanSentTwiceIsStoredOnce() throws {
        let (server, owner, name) = try database()
        let pg = try PostgresStore(uri: owner)
        let record = fleetRecord(rules(30, failing: [2]))
        let first = try pg.save(record)
        XCTAssertEqual(try pg.save(record), first, "the same uuid: the scan already stored")
        XCTAssertEqual(try pg.scanCount(), 1)
        XCTAssertEqual(try server.superSQL("SELECT count(*) FROM results", database: name).first?.integer(0), 30)
        // A second scan of the same content shares its rules.
        try pg.save(fleetRecord(rules(30)))
        XCTAssertEqual(try server.superSQL("SELECT count(*) FROM rules", database: name).first?.integer(0), 30)
    }

    func testPruneKeepsTheNewestOfEachSeries() throws {
        let (server, owner, name) = try database()
        let pg = try PostgresStore(uri: owner)
        for i in 0..<4 {
            try pg.save(fleetRecord(rules(5), started: Date(timeIntervalSince1970: 1_780_000_000 + Double(i) * 60)))
        }
        try pg.save(fleetRecord(rules(5), host: "node-2", content: "sha-other"))
        XCTAssertEqual(try pg.prune(keep: 2), 2)
        XCTAssertEqual(try pg.history(host: "node-1", profile: nil, limit: nil).map(\.id), [4, 3])
        XCTAssertEqual(try pg.prune(olderThan: Date(timeIntervalSince1970: 1_780_000_100)), 1, "node-2's scan")
        XCTAssertEqual(try pg.scanCount(), 2)
        XCTAssertEqual(try pg.prune(keep: 0), 2)
        XCTAssertEqual(try server.superSQL("SELECT count(*) FROM rules", database: name).first?.integer(0), 0, "unused rules are dropped")
    }
}
