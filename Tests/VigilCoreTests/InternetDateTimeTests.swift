import Foundation
import VigilCore
import XCTest

/// `InternetDateTime` writes what `ISO8601DateFormatter` writes with `.withInternetDateTime`.
final class InternetDateTimeTests: XCTestCase {
    let dates = [0, 951_782_400.5, 1_790_000_000.999, 4_102_444_799, -86_400 * 365.25 * 30]
        .map(Date.init(timeIntervalSince1970:))

    func testUTCIsFoundationsFormat() {
        let f = ISO8601DateFormatter()
        for d in dates { XCTAssertEqual(InternetDateTime.utc(d), f.string(from: d), "\(d.timeIntervalSince1970)") }
        XCTAssertEqual(InternetDateTime.utc(Date(timeIntervalSince1970: 1_790_000_000)), "2026-09-21T14:13:20Z")
    }

    /// Local time with the offset of the zone `TZ` names.
    func testLocalTimeCarriesTheOffset() throws {
        for (zone, expected) in [("UTC", "2026-09-21T14:13:20Z"), ("Asia/Kolkata", "2026-09-21T19:43:20+05:30"),
                                 ("America/St_Johns", "2026-09-21T11:43:20-02:30")] {
            guard zone == "UTC" || FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/" + zone) else { continue }
            setenv("TZ", zone, 1)
            tzset()
            defer { unsetenv("TZ"); tzset() }
            XCTAssertEqual(InternetDateTime.local(Date(timeIntervalSince1970: 1_790_000_000)), expected, zone)
        }
    }
}
