import Foundation
import GRDB
import VigilCore
import XCTest
@testable import VigilStore

/// The store opened `.readOnly`, as history, show, drift and report open it: nothing is
/// created, migrated or written, and SQLite itself refuses writes.
final class ReadOnlyStoreTests: XCTestCase {
    func testReadOnlyStoreReadsAndRefusesWrites() throws {
        let fx = try StoreFixture()
        let id = try ScanStore(path: fx.path).save(record([("r1", "pass"), ("r2", "fail")]))
        let before = try Data(contentsOf: URL(fileURLWithPath: fx.path))
        let store = try ScanStore(path: fx.path, access: .readOnly)
        XCTAssertEqual(try store.history().map(\.id), [id])
        XCTAssertEqual(try store.results(of: id).map(\.result), [.pass, .fail])
        XCTAssertThrowsError(try store.save(record([("r", "pass")]))) { error in
            XCTAssertTrue("\(error)".contains("\(fx.path): the database was opened read-only and cannot be written"), "\(error)")
        }
        XCTAssertThrowsError(try store.prune(keep: 0))
        // Not our guard: SQLite's own read-only connection.
        XCTAssertThrowsError(try store.pool.write { try $0.execute(sql: "DELETE FROM scans") }) { error in
            XCTAssertEqual((error as? DatabaseError)?.resultCode, .SQLITE_READONLY, "\(error)")
        }
        XCTAssertEqual(try ScanStore(path: fx.path).scanCount(), 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fx.path)), before)
    }

    func testAMissingDatabaseIsNotCreated() throws {
        let fx = try StoreFixture()
        XCTAssertThrowsError(try ScanStore(path: fx.path, access: .readOnly)) { error in
            XCTAssertEqual(error as? StoreError, .missing(path: fx.path))
            XCTAssertTrue("\(error)".contains("--db PATH"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fx.directory), "neither the file nor its directory is made")
    }

    func testAnOlderDatabaseIsMigratedInMemoryAndLeftAsItIs() throws {
        let fx = try StoreFixture()
        try fx.olderDatabase(upTo: "v4-target-kind") { db in
            try db.execute(sql: """
                INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id,
                  benchmark_version, profile_id, vigil_version, started_at, finished_at, pass)
                VALUES ('0ld5ca9', 'old-host', 'id-old', '/', '/c.xml', 'sha', 'xccdf_b', '1', '', '0.0.1', 1, 2, 1);
                """)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: fx.path))
        let store = try ScanStore(path: fx.path, access: .readOnly)
        XCTAssertEqual(try store.history().map(\.hostName), ["old-host"])
        XCTAssertNil(try store.policy(of: 1), "scans from before policies were recorded have none")
        XCTAssertThrowsError(try store.save(record([("r", "pass")])), "the copy in memory refuses writes too")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: fx.path)), before, "the file is not migrated")
        let check = try DatabaseQueue(path: fx.path)
        XCTAssertFalse(try check.read { try StoreSchema.migrator.appliedIdentifiers($0) }.contains("v5-scan-policy"))
        try check.close()
    }

    func testForeignAndNewerDatabasesAreRefusedReadOnlyToo() throws {
        let fx = try StoreFixture()
        try FileManager.default.createDirectory(atPath: fx.directory + "/data", withIntermediateDirectories: true)
        try Data("not a database\n".utf8).write(to: URL(fileURLWithPath: fx.path))
        XCTAssertThrowsError(try ScanStore(path: fx.path, access: .readOnly)) {
            XCTAssertEqual($0 as? StoreError, .foreign(path: fx.path, reason: "not an SQLite database"))
        }
        try FileManager.default.removeItem(atPath: fx.path)
        try ScanStore(path: fx.path).save(record([("r", "pass")]))
        let queue = try DatabaseQueue(path: fx.path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        try queue.close()
        XCTAssertThrowsError(try ScanStore(path: fx.path, access: .readOnly)) {
            XCTAssertEqual($0 as? StoreError, .newerSchema(path: fx.path, unknown: ["v9-from-the-future"]))
        }
    }

    /// The immutable fallback (for a directory the user cannot write) names the file by
    /// a URI: characters that mean something in a URI are escaped.
    func testImmutableURIReachesPathsWithURICharacters() throws {
        let fx = try StoreFixture()
        let path = fx.directory + "/odd ?#%é dir/vigil.db"
        try ScanStore(path: path).save(record([("r", "pass")]))
        let queue = try DatabaseQueue(path: ScanStore.immutableURI(path))
        XCTAssertEqual(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scans") }, 1)
        try queue.close()
    }

    func testReadersAreNotBlockedByAScanBeingWritten() throws {
        let fx = try StoreFixture()
        let writer = try ScanStore(path: fx.path)
        try writer.save(record([("r", "pass")]))
        let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.pool.write { db in
                try db.execute(sql: "INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id, benchmark_version, profile_id, vigil_version, started_at, finished_at) VALUES ('half', 'h', 'h', '/', '/', 's', 'b', '1', '', '0', 3, 4)")
                inside.signal()
                release.wait()
            }
            done.signal()
        }
        inside.wait()
        let started = Date()
        let reader = try ScanStore(path: fx.path, access: .readOnly)
        XCTAssertEqual(try reader.history().count, 1, "the scan being written is not visible")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "opening and reading do not wait for the writer")
        release.signal()
        done.wait()
        XCTAssertEqual(try reader.history().count, 2)
    }
}
