import Foundation
import XCTest
@testable import VigilReports
@testable import VigilStore
@testable import vigil

/// `vigil fleet`: the latest scan of every series with its failures by severity and its
/// regressions, the same from PostgreSQL and SQLite.
final class FleetTests: PostgresTestCase {
    static let day: TimeInterval = 86400
    static let now = Date(timeIntervalSince1970: 1_780_000_000 + 10 * day)

    /// node-a: two scans, the second newly failing r4 and r8 (r1 fails in both); node-b: one
    /// old scan; web<1>: two profiles, the cis one of other content.
    func fill(_ db: any ScanDatabase) throws {
        func at(_ days: Double) -> Date { Date(timeIntervalSince1970: 1_780_000_000 + days * Self.day) }
        func uuid(_ n: Int) -> String { "00000000-0000-4000-8000-00000000000\(n)" }
        try db.save(fleetRecord(rules(12, failing: [1]), host: "node-a", started: at(8), uuid: uuid(1)))
        try db.save(fleetRecord(rules(12, failing: [1, 4, 8]), host: "node-a", started: at(9), uuid: uuid(2)))
        try db.save(fleetRecord(rules(12, failing: [0, 1, 2]), host: "node-b", started: at(2), uuid: uuid(3)))
        try db.save(fleetRecord(rules(6), host: "web<1>", started: at(9.5), uuid: uuid(4)))
        try db.save(fleetRecord(rules(6, failing: [5]), host: "web<1>", profile: "xccdf_b_profile_cis", started: at(9.9),
                                content: "sha-c", benchmark: "xccdf_org.example_benchmark_other", uuid: uuid(5)))
    }

    func testFleetFromPostgreSQLAndSQLiteAgree() throws {
        let (_, owner, _) = try database()
        let pg = try PostgresStore(uri: owner)
        let (sqlite, dir) = try temporarySQLite()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try fill(pg)
        try fill(sqlite)
        let series = try pg.fleet(FleetFilter())
        XCTAssertEqual(series, try sqlite.fleet(FleetFilter()))
        XCTAssertEqual(series.map(\.latest.hostName), ["node-a", "node-b", "web<1>", "web<1>"])
        let a = series[0]
        XCTAssertEqual(a.latest.id, 2)
        XCTAssertEqual(a.previousID, 1)
        XCTAssertEqual(a.scans, 2)
        XCTAssertEqual(a.regressions, ["xccdf_org.example_rule_r4", "xccdf_org.example_rule_r8"])
        // r1, r4 (medium, low by position: i % 3) and r8: severities high/medium/low cycle.
        XCTAssertEqual(a.failuresBySeverity, ["medium": 2, "low": 1], "r1 and r4 medium, r8 low (i % 3)")
        XCTAssertEqual(series[1].regressions, [], "a first scan has no regressions")
        XCTAssertNil(series[1].previousID)
        XCTAssertEqual(series[1].failuresBySeverity, ["high": 1, "medium": 1, "low": 1])

        for (filter, hosts) in [(FleetFilter(host: "node-*"), ["node-a", "node-b"]), (FleetFilter(host: "WEB"), ["web<1>", "web<1>"]),
                                (FleetFilter(host: "id-node-?"), ["node-a", "node-b"]), (FleetFilter(host: "node"), ["node-a", "node-b"]),
                                (FleetFilter(host: "*-a"), ["node-a"]), (FleetFilter(host: "n%"), []),
                                (FleetFilter(benchmark: "other"), ["web<1>"]), (FleetFilter(profile: "standard"), ["node-a", "node-b", "web<1>"]),
                                (FleetFilter(benchmark: "xccdf_org.example_benchmark_b", profile: "cis"), [])] {
            XCTAssertEqual(try pg.fleet(filter).map(\.latest.hostName), hosts, "\(filter)")
            XCTAssertEqual(try sqlite.fleet(filter).map(\.latest.hostName), hosts, "\(filter)")
        }
        let stale = FleetReport(series, now: Self.now, staleAfter: 3 * Self.day)
        XCTAssertEqual(stale.entries.map(\.host), ["node-b"], "only node-b's newest scan is over 3 days old")
        XCTAssertEqual(stale.entries[0].ageSeconds, Int(8 * Self.day))
    }

    func testFleetCommandWritesTextJSONAndHTML() throws {
        let (_, owner, _) = try database()
        try fill(try PostgresStore(uri: owner))
        let dir = NSTemporaryDirectory() + "vigil-fleet-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(Vigil.run(["fleet", "--db", owner, "--format", "json", "--out", dir + "/f.json", "--host", "node-*"]), 0)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/f.json"))) as? [[String: Any]]
        XCTAssertEqual(json?.map { $0["host"] as? String }, ["node-a", "node-b"])
        XCTAssertEqual(json?.first?["regressions"] as? [String], ["xccdf_org.example_rule_r4", "xccdf_org.example_rule_r8"])
        XCTAssertEqual(json?.first?["fail"] as? Int, 3)
        XCTAssertEqual(Vigil.run(["fleet", "--db", owner, "--format", "html", "--out", dir + "/f.html"]), 0)
        let html = try String(contentsOfFile: dir + "/f.html", encoding: .utf8)
        XCTAssertTrue(html.contains("web&lt;1&gt;") && !html.contains("web<1>"), "escaped")
        XCTAssertFalse(html.contains("<script") || html.contains("http://") || html.contains("https://"), "self-contained")
        XCTAssertTrue(html.contains("3 hosts, 4 series"), html)
        XCTAssertEqual(Vigil.run(["fleet", "--db", owner, "--out", dir + "/f.txt", "--stale", "1000w"]), 0)
        XCTAssertEqual(try String(contentsOfFile: dir + "/f.txt", encoding: .utf8), "No stored scans match.\n")
        XCTAssertEqual(Vigil.run(["fleet", "--db", owner, "--out", dir + "/all.txt"]), 0)
        let table = try String(contentsOfFile: dir + "/all.txt", encoding: .utf8)
        XCTAssertTrue(table.hasPrefix("HOST ") && table.hasSuffix("3 hosts, 4 series.\n"), table)
        XCTAssertEqual(Vigil.run(["fleet", "--db", owner, "--stale", "soon"]), 1)
    }
}
