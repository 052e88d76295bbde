import Foundation
import VigilCore
import XCTest
@testable import VigilStore

/// How `show`, `report` and `drift` find a scan: "last", its number, or the start of its
/// UUID, with a number winning over a UUID prefix and an ambiguous prefix refused.
final class ScanLookupTests: XCTestCase {
    let first = "77060000-0000-4000-8000-000000000001"
    let second = "77061111-0000-4000-8000-000000000002"
    let third = "12345678-abcd-4000-8000-000000000003"

    var fixture: StoreFixture?

    override func tearDown() { fixture = nil }

    /// A store with three scans, numbered 1, 2 and 3, of the UUIDs above.
    func makeStore() throws -> ScanStore {
        let fx = try StoreFixture()
        fixture = fx
        let store = try ScanStore(path: fx.path)
        for uuid in [first, second, third] { try store.save(record([("r", "pass")], uuid: uuid)) }
        return store
    }

    func testAnAllDigitUUIDPrefixFindsTheScanWhenNoScanHasThatNumber() throws {
        let store = try makeStore()
        XCTAssertEqual(try store.scan("1234").uuid, third, "no scan 1234: the UUID prefix")
        XCTAssertEqual(try store.scan("77060").uuid, first)
        XCTAssertEqual(try store.scan("7706111").uuid, second)
        XCTAssertEqual(try store.scan("12345678-ABCD").uuid, third, "prefixes are matched without regard to case")
        XCTAssertEqual(try store.scan("2").uuid, second, "a number of a stored scan is that scan")
        XCTAssertEqual(try store.scan("last").uuid, third)
        XCTAssertThrowsError(try store.scan("9999")) { XCTAssertEqual($0 as? StoreError, .noSuchScan("9999")) }
        XCTAssertThrowsError(try store.scan("99"), "too short for a UUID prefix") {
            XCTAssertEqual($0 as? StoreError, .noSuchScan("99"))
        }
        XCTAssertThrowsError(try store.scan("77%")) { XCTAssertEqual($0 as? StoreError, .noSuchScan("77%")) }
    }

    func testANumberOfAnExistingScanWinsOverAUUIDPrefix() throws {
        let store = try makeStore()
        // Scan 1234 now exists: "1234" is that scan, though another scan's UUID starts so.
        try store.pool.write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            try db.execute(sql: "UPDATE scans SET id = 1234 WHERE id = 1")
            try db.execute(sql: "UPDATE results SET scan_id = 1234 WHERE scan_id = 1")
            try db.execute(sql: "UPDATE scan_policies SET scan_id = 1234 WHERE scan_id = 1")
        }
        XCTAssertEqual(try store.scan("1234").uuid, first)
        XCTAssertEqual(try store.scan("12345").uuid, third)
    }

    func testAnAmbiguousPrefixListsTheCandidates() throws {
        let store = try makeStore()
        XCTAssertThrowsError(try store.scan("7706")) { error in
            XCTAssertEqual(error as? StoreError, .ambiguousScan("7706", candidates: ["1 (\(first))", "2 (\(second))"]))
            let text = "\(error)"
            XCTAssertTrue(text.contains(first) && text.contains(second) && !text.contains(third), text)
        }
        // The shared lookup is the one drift uses.
        XCTAssertThrowsError(try store.drift(from: "7706", to: "3")) {
            guard case .ambiguousScan? = $0 as? StoreError else { return XCTFail("\($0)") }
        }
    }

    func testManyCandidatesAreCutShort() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        for n in 0..<(ScanStore.candidatesShown + 3) {
            try store.save(record([("r", "pass")], uuid: String(format: "abcd%04d-0000-4000-8000-000000000000", n)))
        }
        XCTAssertThrowsError(try store.scan("abcd")) { error in
            guard case .ambiguousScan(_, let candidates)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(candidates.count, ScanStore.candidatesShown + 1)
            XCTAssertEqual(candidates.last, "and more")
        }
    }
}
