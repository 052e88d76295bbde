import Foundation
import XCTest
@testable import VigilStore

/// A journal's scans still waiting to be sent to the fleet's database survive `prune`:
/// deleted, they would never arrive.
final class OutboxPruneTests: XCTestCase {
    func testPruneKeepsPendingScansAndDeletesSentOnes() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        let destination = "postgresql://db.example/fleet"
        let old = Date(timeIntervalSinceNow: -40 * 86_400)
        let ids = try (0..<4).map { i in
            try store.save(record([("r1", i % 2 == 0 ? "pass" : "fail")], started: old.addingTimeInterval(Double(i) * 3600)),
                           forwardingTo: destination)
        }
        XCTAssertEqual(try store.prune(keep: 1), 0, "every scan is pending")
        XCTAssertEqual(try store.prune(olderThan: Date()), 0, "every scan is pending")
        XCTAssertEqual(try store.scanCount(), 4)

        try store.markSent(ids[0], to: destination)
        try store.markSent(ids[1], to: destination)
        XCTAssertEqual(try store.prune(keep: 1), 2, "the two sent scans, older than the newest")
        XCTAssertEqual(try store.history().map(\.id), [ids[3], ids[2]])
        XCTAssertEqual(try store.pendingScans(for: destination).map(\.scanID), [ids[2], ids[3]])

        try store.markSent(ids[2], to: destination)
        XCTAssertEqual(try store.prune(olderThan: old.addingTimeInterval(3 * 3600)), 1)
        XCTAssertEqual(try store.history().map(\.id), [ids[3]])
    }
}
