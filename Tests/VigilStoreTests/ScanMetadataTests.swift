import Foundation
import GRDB
import VigilCore
import XCTest
@testable import VigilStore

/// The target kind a scan stores, the migration that gives older scans theirs, typed
/// results read back, and the flat JSON of a stored scan.
final class ScanMetadataTests: XCTestCase {
    func testTargetKindIsStoredAndOlderScansGetOneByTheirTarget() throws {
        let fx = try StoreFixture()
        // A database before the kind was stored: scans of the live host ("/" and the first
        // releases' "live host") and of a root directory.
        try fx.olderDatabase(upTo: "v3-rule-texts") { db in
            for (n, target) in ["/", "live host", "/mnt/image"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO scans (uuid, host_name, host_id, target, content_path, content_sha256, benchmark_id,
                      benchmark_version, profile_id, vigil_version, started_at, finished_at)
                    VALUES (?, 'h', 'id-h', ?, '/c.xml', 'sha', 'xccdf_b', '1', '', '0.1.0', ?, ?)
                    """, arguments: ["uuid-\(n)", target, n, n + 1])
            }
        }
        let store = try ScanStore(path: fx.path)
        XCTAssertEqual(try store.history().reversed().map(\.targetKind), ["host", "host", "root"])
        var root = record([("r", "pass")])
        root.target = "/srv/root"
        root.targetKind = "root"
        let id = try store.save(root)
        XCTAssertEqual(try store.scan(String(id)).targetKind, "root")
        XCTAssertEqual(try store.scan(String(id)).target, "/srv/root")
        try store.save(record([("r", "pass")]))
        XCTAssertEqual(try store.scan("last").targetKind, "host", "the default kind")
    }

    func testAnUnknownResultInTheDatabaseIsAnErrorNamingTheScan() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let id = try store.save(record([("r1", "pass"), ("r2", "fail")]))
        try store.pool.write { try $0.execute(sql: "UPDATE results SET result = 'failed' WHERE seq = 1") }
        XCTAssertThrowsError(try store.results(of: id)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(fx.path) && text.contains("scan \(id)") && text.contains("'failed'") && text.contains("r2"), text)
        }
        XCTAssertThrowsError(try store.drift(from: String(id), to: String(id)))
    }

    /// The metadata is one struct, written flat beside the id and counts, as before it was.
    func testStoredScanJSONIsFlatWithCountsByResultName() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let id = try store.save(record([("r1", "pass"), ("r2", "fail"), ("r3", "fail")]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(try store.scan(String(id)))) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["id", "uuid", "hostName", "hostID", "target", "targetKind", "contentPath",
                                          "contentSHA256", "benchmarkID", "benchmarkVersion", "profileID", "vigilVersion",
                                          "startedAt", "finishedAt", "score", "scoreMax", "scoreSystem", "counts"])
        XCTAssertEqual(object["counts"] as? [String: Int], ["pass": 1, "fail": 2])
        XCTAssertEqual(object["hostName"] as? String, "node-1")
        let decoded = try JSONDecoder().decode(StoredScan.self, from: encoder.encode(try store.scan(String(id))))
        XCTAssertEqual(decoded, try store.scan(String(id)))
    }
}
