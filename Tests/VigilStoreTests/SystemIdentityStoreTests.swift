import Foundation
import GRDB
import VigilCore
import XCTest
@testable import VigilStore

/// The scanned system's identity is stored with the scan as one JSON value and read back
/// whole; scans stored before the migration that added it have none.
final class SystemIdentityStoreTests: XCTestCase {
    func testTheIdentityIsStoredAndReadBackWhole() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        var scan = record([("r1", "pass")])
        let identity = SystemIdentity(hostName: "node-1", fqdn: "node-1.example", osName: "Debian GNU/Linux", osVersion: "12",
                                      osPrettyName: "Debian GNU/Linux 12 (bookworm)", kernelRelease: "6.1.0-18-amd64",
                                      kernelVersion: "#1 SMP", architecture: "x86_64", ipAddresses: ["192.0.2.7", "2001:db8::7"],
                                      macAddresses: ["02:00:00:00:00:07"], user: "ops", benchmarkTitle: "Guide",
                                      profileTitle: "Standard", profileDescription: "The standard profile.")
        scan.system = identity
        let id = try store.save(scan)
        XCTAssertEqual(try store.scan(String(id)).system, identity)
        XCTAssertEqual(try store.history().first?.system, identity, "listings carry it too")
        let without = try store.save(record([("r1", "pass")]))
        XCTAssertNil(try store.scan(String(without)).system)
        let text = try store.pool.read { try String.fetchOne($0, sql: "SELECT system FROM scans WHERE id = ?", arguments: [id]) }
        XCTAssertEqual(SystemIdentity(jsonText: text), identity, "one JSON text column")
    }

    func testScansStoredBeforeTheMigrationHaveNoIdentity() throws {
        let fx = try StoreFixture()
        try fx.olderDatabase(upTo: "v4-target-kind") { db in
            try db.execute(sql: """
                INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id,
                  benchmark_version, profile_id, vigil_version, started_at, finished_at)
                VALUES ('u-old', 'h', 'id-h', '/', '/c.xml', 'sha', 'xccdf_b', '1', '', '0.1.0', 1, 2)
                """)
        }
        let store = try ScanStore(path: fx.path)
        let old = try store.scan("last")
        XCTAssertEqual(old.uuid, "u-old")
        XCTAssertNil(old.system)
        XCTAssertNil(SystemIdentity(jsonText: "not json"))
    }
}
