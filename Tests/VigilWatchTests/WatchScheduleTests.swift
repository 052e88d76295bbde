import Foundation
import XCTest
@testable import VigilWatch

/// `--every` durations and `--schedule` cron expressions: parsing, errors naming the
/// field, and the next due times against known dates (UTC and a zone with DST).
final class WatchScheduleTests: XCTestCase {
    func calendar(_ zone: String) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone)!
        return c
    }

    /// A date from its local fields in `zone`.
    func date(_ text: String, _ zone: String = "UTC") -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    func testDurations() throws {
        XCTAssertEqual(try WatchSchedule(every: "90s"), .every(90))
        XCTAssertEqual(try WatchSchedule(every: "15m"), .every(900))
        XCTAssertEqual(try WatchSchedule(every: "6h"), .every(21_600))
        XCTAssertEqual(try WatchSchedule(every: "1d"), .every(86_400))
        XCTAssertEqual(try WatchSchedule(every: "1h30m"), .every(5_400))
        XCTAssertEqual(try WatchSchedule(every: "10s"), .every(10))
        for bad in ["9s", "", "15", "m", "15x", "30m1h", "1h1h", "-5m", "1.5h", "9999999999s"] {
            XCTAssertThrowsError(try WatchSchedule(every: bad), bad)
        }
        XCTAssertTrue("\(try error { try WatchSchedule(every: "5s") })".contains("shortest interval is 10s"))
        let start = date("2026-01-01 00:00")
        XCTAssertEqual(WatchSchedule.every(900).next(after: start), start.addingTimeInterval(900))
    }

    func testCronErrorsNameTheField() throws {
        let cases: [(String, String)] = [
            ("* * * *", "5 fields"), ("60 * * * *", "minute field"), ("* 24 * * *", "hour field"),
            ("* * 0 * *", "day-of-month field"), ("* * * 13 *", "month field"), ("* * * * 8", "day-of-week field"),
            ("* * * foo *", "month field"), ("*/0 * * * *", "minute field"), ("5-1 * * * *", "minute field"),
            ("@often", "unknown macro"), ("0 0 30 feb *", "day-of-month field"), ("1,,2 * * * *", "minute field"),
        ]
        for (text, expected) in cases {
            let message = "\(try error { try CronSchedule(text, calendar: calendar("UTC")) })"
            XCTAssertTrue(message.contains(expected) && message.contains(text), "\(text): \(message)")
        }
    }

    func testCronNextDates() throws {
        let utc = calendar("UTC")
        func next(_ expr: String, _ from: String) throws -> Date { try CronSchedule(expr, calendar: utc).next(after: date(from)) }
        // 2026-12-01 is a Tuesday.
        XCTAssertEqual(try next("*/15 * * * *", "2026-12-01 10:07"), date("2026-12-01 10:15"))
        XCTAssertEqual(try next("*/15 * * * *", "2026-12-01 10:15"), date("2026-12-01 10:30"), "strictly after")
        XCTAssertEqual(try next("30 2 * * *", "2026-12-01 03:00"), date("2026-12-02 02:30"))
        XCTAssertEqual(try next("0 9 * * mon-fri", "2026-12-04 10:00"), date("2026-12-07 09:00"), "Friday to Monday")
        XCTAssertEqual(try next("0 0 * * 7", "2026-12-01 00:00"), date("2026-12-06 00:00"), "7 is Sunday")
        XCTAssertEqual(try next("0 0 1 jan,jul *", "2026-12-01 00:00"), date("2027-01-01 00:00"))
        XCTAssertEqual(try next("0 0 29 2 *", "2026-03-01 00:00"), date("2028-02-29 00:00"), "the next leap day")
        XCTAssertEqual(try next("0 12 10-20/5 * *", "2026-12-11 00:00"), date("2026-12-15 12:00"))
        XCTAssertEqual(try next("5/20 * * * *", "2026-12-01 10:30"), date("2026-12-01 10:45"))
        // Day-of-month and day-of-week both restricted: either matches (the 13th, or a Friday).
        XCTAssertEqual(try next("0 0 13 * 5", "2026-12-01 00:00"), date("2026-12-04 00:00"))
        XCTAssertEqual(try next("0 0 13 * 5", "2026-12-11 01:00"), date("2026-12-13 00:00"))
        // Only one restricted: that one decides (*/1 counts as unrestricted).
        XCTAssertEqual(try next("0 0 13 * *", "2026-12-01 00:00"), date("2026-12-13 00:00"))
        XCTAssertEqual(try next("0 0 */1 * fri", "2026-12-01 00:00"), date("2026-12-04 00:00"))
        XCTAssertEqual(try next("@hourly", "2026-12-01 10:07"), date("2026-12-01 11:00"))
        XCTAssertEqual(try next("@daily", "2026-12-01 10:07"), date("2026-12-02 00:00"))
        XCTAssertEqual(try next("@weekly", "2026-12-01 10:07"), date("2026-12-06 00:00"))
        XCTAssertEqual(try next("@monthly", "2026-12-01 10:07"), date("2027-01-01 00:00"))
    }

    /// In local time, across DST: Berlin skips 02:00-03:00 on 2026-03-29 and repeats
    /// 02:00-03:00 on 2026-10-25.
    func testCronInLocalTimeAcrossDST() throws {
        let zone = "Europe/Berlin"
        let daily = try CronSchedule("30 4 * * *", calendar: calendar(zone))
        let before = date("2026-03-28 05:00", zone)
        let due = daily.next(after: before)
        XCTAssertEqual(due, date("2026-03-29 04:30", zone))
        XCTAssertEqual(due.timeIntervalSince(date("2026-03-28 04:30", zone)), 23 * 3600, "the short day")
        let skipped = try CronSchedule("30 2 * * *", calendar: calendar(zone))
        XCTAssertEqual(skipped.next(after: date("2026-03-28 03:00", zone)), date("2026-03-30 02:30", zone),
                       "02:30 does not exist on the 29th")
        let hourly = try CronSchedule("0 * * * *", calendar: calendar(zone))
        let first = hourly.next(after: date("2026-10-25 01:30", zone))
        let second = hourly.next(after: first)
        XCTAssertEqual(second.timeIntervalSince(first), 3600, "hours go on through the repeated hour")
        XCTAssertEqual(WatchSchedule.cron(hourly).interval(after: first), 3600)
    }

    func error(_ body: () throws -> Any) throws -> any Error {
        do { _ = try body() } catch { return error }
        XCTFail("no error")
        return CocoaError(.featureUnsupported)
    }
}
