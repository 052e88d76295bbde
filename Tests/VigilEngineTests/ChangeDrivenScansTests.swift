import Foundation
import VigilEngine
import VigilStore
import XCTest

/// What `vigil watch --on-change` chains: a full scan, a change asking for a rescan of
/// the rules it touched, the partial rescan stored as a complete scan.
final class ChangeDrivenScansTests: XCTestCase {
    func testAChangeAsksForARescanWhoseScanIsTheFullScan() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        let options = ChangeFixture.options(rules, root: root, dir: dir)
        let asked = ChangeMonitorTests.Reports()
        let scans = try ChangeDrivenScans(options: options) { asked.add($0) }
        defer { scans.stop() }
        let first = try scans.scan(rules: nil)
        XCTAssertEqual(first.storedID, 1)
        try ChangeFixture.put(root + "/etc/shadow", "root:*:19000:0:99999:7:::\n", mode: 0o644)
        let request = try XCTUnwrap(asked.wait(after: 0, timeout: 2))
        XCTAssertEqual(request.rules, [ChangeFixture.ns + "shadow_mode"])
        let partial = try scans.scan(rules: request.rules)
        let full = try ScanSession(options).run()
        ChangeFixture.assertSameVerdicts(partial.record, full.record)
        XCTAssertEqual(try ScanStore(path: dir + "/vigil.db").drift(from: "1", to: "2").newlyFailing.map(\.ruleID),
                       [ChangeFixture.ns + "shadow_mode"])
        // The monitor now watches the rescan's footprint: a second change is seen too.
        try ChangeFixture.put(root + "/etc/issue", "Welcome\n")
        XCTAssertEqual(asked.wait(after: 1, timeout: 2)?.rules, [ChangeFixture.ns + "issue_text"])
    }

    func testAnImageCannotBeWatched() {
        var options = ScanOptions(vigilVersion: "test")
        options.image = "oci:/nowhere"
        XCTAssertThrowsError(try ChangeDrivenScans(options: options) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("an image does not change"), "\(error)")
        }
    }
}
