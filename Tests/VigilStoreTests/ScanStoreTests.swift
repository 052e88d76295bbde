import Foundation
import GRDB
import VigilCore
import XCTest
@testable import VigilStore

/// A database in a fresh temporary directory, removed after the test.
final class StoreFixture {
    let directory: String
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UUID().uuidString)").path
    }
    deinit { try? FileManager.default.removeItem(atPath: directory) }
    /// A path inside a directory that does not exist yet.
    var path: String { directory + "/data/vigil.db" }

    /// Makes the database at `path` as an older Vigil left it: Vigil's schema migrated up to
    /// `migration` only, then `fill` writes its rows.
    func olderDatabase(upTo migration: String, _ fill: (Database) throws -> Void) throws {
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)") }
        try StoreSchema.migrator.migrate(queue, upTo: migration)
        try queue.write(fill)
        try queue.close()
    }
}

/// A scan of `rules` results (rule id → result), each rule with a title and references.
func record(_ results: [(String, String)], host: String = "node-1", profile: String = "xccdf_p_profile_standard",
            started: Date = Date(), score: Double? = 50, content: String = "sha-a",
            uuid: String = UUID().uuidString.lowercased()) -> ScanRecord {
    ScanRecord(uuid: uuid, hostName: host, hostID: "id-" + host, target: "/", contentPath: "/c.xml", contentSHA256: content,
               benchmarkID: "xccdf_b", benchmarkVersion: "1.0", profileID: profile, vigilVersion: "0.1.0",
               startedAt: started, finishedAt: started.addingTimeInterval(2), score: score, scoreMax: 100,
               scoreSystem: "urn:xccdf:scoring:default",
               rules: results.map { id, result in
                   RuleRecord(ruleID: id, title: "Title of \(id)", severity: "medium", result: XCCDFResult(rawValue: result)!,
                              references: [RuleReference(kind: "nist-800-53", system: "NIST SP 800-53", id: "AC-6")],
                              evidence: result == "fail" ? "/etc/\(id) (owrite=true)" : nil)
               })
}

final class ScanStoreTests: XCTestCase {
    func testScanIsStoredAndReadBackWithPrivatePermissions() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        // A UUID whose first 8 characters are digits (as about one in forty random ones
        // are): its prefix is still found, as no scan has that number.
        let id = try store.save(record([("r1", "pass"), ("r2", "fail"), ("r3", "notapplicable")],
                                       uuid: "20261130-7e57-4000-8000-00000000c0de"))
        var st = stat()
        XCTAssertEqual(stat(fx.path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
        XCTAssertEqual(stat(fx.directory + "/data", &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)
        for sidecar in ["-wal", "-shm"] where stat(fx.path + sidecar, &st) == 0 {
            XCTAssertEqual(st.st_mode & 0o077, 0, "\(sidecar) must not be readable by others")
        }

        let reopened = try ScanStore(path: fx.path)
        let scan = try reopened.scan(String(id))
        XCTAssertEqual(scan.hostName, "node-1")
        XCTAssertEqual(scan.counts, [.pass: 1, .fail: 1, .notapplicable: 1])
        XCTAssertEqual(try reopened.scan("last").id, id)
        XCTAssertEqual(try reopened.scan(String(scan.uuid.prefix(8))).id, id)
        let rules = try reopened.results(of: id)
        XCTAssertEqual(rules.map(\.ruleID), ["r1", "r2", "r3"])
        XCTAssertEqual(rules[1].title, "Title of r2")
        XCTAssertEqual(rules[1].evidence, "/etc/r2 (owrite=true)")
        XCTAssertEqual(rules[1].references, [RuleReference(kind: "nist-800-53", system: "NIST SP 800-53", id: "AC-6")])
        XCTAssertThrowsError(try reopened.scan("999")) { XCTAssertEqual($0 as? StoreError, .noSuchScan("999")) }
    }

    func testWorldReadableDatabaseIsMadePrivate() throws {
        let fx = try StoreFixture()
        _ = try ScanStore(path: fx.path)
        chmod(fx.path, 0o644)
        _ = try ScanStore(path: fx.path)
        var st = stat()
        stat(fx.path, &st)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    func testHistoryFiltersAndOrdersNewestFirst() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let t = Date(timeIntervalSince1970: 1_700_000_000)
        try store.save(record([("r", "pass")], host: "a", started: t))
        try store.save(record([("r", "fail")], host: "b", started: t.addingTimeInterval(10)))
        try store.save(record([("r", "pass")], host: "a", profile: "xccdf_p_profile_high", started: t.addingTimeInterval(20)))
        XCTAssertEqual(try store.history().map(\.hostName), ["a", "b", "a"])
        XCTAssertEqual(try store.history(host: "a").count, 2)
        XCTAssertEqual(try store.history(host: "id-b").count, 1)
        XCTAssertEqual(try store.history(profile: "high").map(\.profileID), ["xccdf_p_profile_high"])
        XCTAssertEqual(try store.history(limit: 1).count, 1)
    }

    func testDriftListsEveryKindOfChange() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let t = Date(timeIntervalSince1970: 1_700_000_000)
        try store.save(record([("same", "pass"), ("breaks", "pass"), ("mends", "fail"), ("errs", "pass"), ("gone", "pass")],
                              started: t, score: 60))
        // Another host's scan in between must not be taken as the earlier scan.
        try store.save(record([("breaks", "fail")], host: "other", started: t.addingTimeInterval(5)))
        try store.save(record([("same", "pass"), ("breaks", "fail"), ("mends", "pass"), ("errs", "error"), ("new", "fail")],
                              started: t.addingTimeInterval(10), score: 55.5))
        let d = try store.drift()
        XCTAssertEqual(d.from.startedAt, t)
        XCTAssertEqual(d.newlyFailing.map(\.ruleID), ["breaks", "new"])
        XCTAssertEqual(d.fixed.map(\.ruleID), ["mends"])
        XCTAssertEqual(d.changed.map { "\($0.ruleID):\($0.from?.rawValue ?? "-")>\($0.to?.rawValue ?? "-")" }, ["errs:pass>error"])
        XCTAssertEqual(d.added.map(\.ruleID), ["new"])
        XCTAssertEqual(d.removed.map(\.ruleID), ["gone"])
        XCTAssertEqual(try XCTUnwrap(d.scoreChange), -4.5, accuracy: 1e-9)
        XCTAssertTrue(d.hasRegression)
        XCTAssertEqual(d.newlyFailing.first?.evidence, "/etc/breaks (owrite=true)")

        let same = try store.drift(from: "1", to: "1")
        XCTAssertFalse(same.hasRegression)
        XCTAssertTrue(same.changed.isEmpty && same.added.isEmpty && same.removed.isEmpty)
        XCTAssertThrowsError(try store.drift(to: "2"), "the other host has no earlier scan")
    }

    func testPruneKeepsTheNewestOfEachSeries() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let t = Date(timeIntervalSince1970: 1_700_000_000)
        for i in 0..<5 { try store.save(record([("r", "pass")], host: "a", started: t.addingTimeInterval(Double(i)))) }
        for i in 0..<3 {
            try store.save(record([("r", "pass")], host: "b", started: t.addingTimeInterval(Double(i)), content: "sha-b"))
        }
        XCTAssertEqual(try store.prune(keep: 2), 4)
        XCTAssertEqual(try store.history(host: "a").map(\.startedAt), [t.addingTimeInterval(4), t.addingTimeInterval(3)])
        XCTAssertEqual(try store.history(host: "b").count, 2)
        XCTAssertEqual(try store.prune(olderThan: t.addingTimeInterval(2)), 1)
        XCTAssertEqual(try store.scanCount(), 3)
        XCTAssertEqual(try store.prune(keep: 0), 3)
        let orphans = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM rules") }
        XCTAssertEqual(orphans, 0, "rule titles of deleted scans are deleted too")
    }

    func testForeignFilesAreRefusedAndLeftUntouched() throws {
        let fx = try StoreFixture()
        try FileManager.default.createDirectory(atPath: fx.directory + "/data", withIntermediateDirectories: true)
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: fx.path))
        XCTAssertThrowsError(try ScanStore(path: fx.path)) { error in
            XCTAssertEqual(error as? StoreError, .foreign(path: fx.path, reason: "not an SQLite database"))
            XCTAssertTrue("\(error)".contains(fx.path))
        }
        XCTAssertEqual(try String(contentsOfFile: fx.path, encoding: .utf8), "not a database\n")

        let other = fx.directory + "/data/other.db"
        let queue = try DatabaseQueue(path: other)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('keep me')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        XCTAssertThrowsError(try ScanStore(path: other)) { error in
            guard case .foreign(let path, _)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, other)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: other)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other + "-wal"))
    }

    func testCorruptDatabaseGivesAnErrorNamingTheFile() throws {
        let fx = try StoreFixture()
        do {
            let store = try ScanStore(path: fx.path)
            for i in 0..<20 { try store.save(record((0..<50).map { ("rule\(i)-\($0)", "pass") })) }
        }
        // Checkpoint the WAL into the file, then overwrite pages after the first.
        let queue = try DatabaseQueue(path: fx.path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: fx.path))
        try handle.seek(toOffset: 4096)
        handle.write(Data(repeating: 0xA5, count: 8192 * 4))
        try handle.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: fx.path))
        do {
            let store = try ScanStore(path: fx.path)
            _ = try store.history()
            _ = try store.results(of: 1)
            XCTFail("a corrupt database must give an error")
        } catch {
            XCTAssertTrue("\(error)".contains(fx.path), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fx.path)), damaged, "the damaged file is not rewritten")
    }

    func testNewerSchemaIsRefused() throws {
        let fx = try StoreFixture()
        try ScanStore(path: fx.path).save(record([("r", "pass")]))
        let queue = try DatabaseQueue(path: fx.path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        try queue.close()
        XCTAssertThrowsError(try ScanStore(path: fx.path)) { error in
            XCTAssertEqual(error as? StoreError, .newerSchema(path: fx.path, unknown: ["v9-from-the-future"]))
        }
    }

    func testOlderSchemaIsMigratedWithoutLosingScans() throws {
        let fx = try StoreFixture()
        // A database as the first release left it: only the first migration, one scan.
        try fx.olderDatabase(upTo: "v1-scans") { db in
            try db.execute(sql: """
                INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id,
                  benchmark_version, profile_id, vigil_version, started_at, finished_at, pass)
                VALUES ('0ld5ca9', 'old-host', 'id-old', '/', '/c.xml', 'sha', 'xccdf_b', '1', '', '0.0.1', 1, 2, 1);
                INSERT INTO rules (id, content_sha256, rule_id, title, refs) VALUES (1, 'sha', 'r', 'R', '[]');
                INSERT INTO results (scan_id, seq, rule, instance, severity, result) VALUES (1, 0, 1, '', 'low', 'pass');
                """)
        }
        let store = try ScanStore(path: fx.path)
        XCTAssertEqual(try store.history().map(\.hostName), ["old-host"])
        XCTAssertEqual(try store.results(of: 1).map(\.result), [.pass])
        let applied = try store.pool.read { try StoreSchema.migrator.appliedIdentifiers($0) }
        XCTAssertEqual(applied, Set(StoreSchema.migrator.migrations))
        let indexes = try store.pool.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'scans_series'") }
        XCTAssertEqual(indexes, ["scans_series"])
    }

    func testReadersAreNotBlockedByAScanBeingWritten() throws {
        let fx = try StoreFixture()
        let writer = try ScanStore(path: fx.path)
        try writer.save(record([("r", "pass")]))
        let inside = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.pool.write { db in
                try db.execute(sql: "INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id, benchmark_version, profile_id, vigil_version, started_at, finished_at) VALUES ('half', 'h', 'h', '/', '/', 's', 'b', '1', '', '0', 3, 4)")
                inside.signal()
                release.wait()
            }
            done.signal()
        }
        inside.wait()
        let reader = try ScanStore(path: fx.path)
        let started = Date()
        XCTAssertEqual(try reader.history().count, 1, "the scan being written is not visible")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "reading does not wait for the writer")
        release.signal()
        done.wait()
        XCTAssertEqual(try reader.history().count, 2)
    }

    func testDefaultLocation() {
        XCTAssertEqual(StoreLocation.defaultPath(environment: ["VIGIL_DB": "/x/y.db"], isRoot: true), "/x/y.db")
        XCTAssertEqual(StoreLocation.defaultPath(environment: [:], isRoot: true), "/var/lib/vigil/vigil.db")
        XCTAssertEqual(StoreLocation.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"], isRoot: false), "/d/vigil/vigil.db")
        XCTAssertEqual(StoreLocation.defaultPath(environment: ["HOME": "/h"], isRoot: false), "/h/.local/share/vigil/vigil.db")
    }
}
