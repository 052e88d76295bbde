import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 date-times, "2026-12-01T21:55:00Z" or "2026-12-01T22:55:00+01:00", as
/// `ISO8601DateFormatter`'s `.withInternetDateTime` writes them (whole seconds, rounded
/// down), made with the C library: Foundation's formatter loads ICU's time zone and
/// calendar data (4 MB of a scan's peak memory) and is slow to make once per rule result.
public enum InternetDateTime {
    /// `date` in UTC, with "Z".
    public static func utc(_ date: Date) -> String { string(date, local: false) }

    /// `date` in the machine's time zone, with its offset ("Z" when it is UTC).
    public static func local(_ date: Date) -> String { string(date, local: true) }

    private static func string(_ date: Date, local: Bool) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        if local { localtime_r(&t, &parts) } else { gmtime_r(&t, &parts) }
        let offset = local ? Int(parts.tm_gmtoff) : 0
        var text = "\(four(parts.tm_year + 1900))-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if offset == 0 {
            text += "Z"
        } else {
            let minutes = abs(offset) / 60
            text += "\(offset < 0 ? "-" : "+")\(two(Int32(minutes / 60))):\(two(Int32(minutes % 60)))"
        }
        return text
    }

    private static func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func four(_ n: Int32) -> String {
        let digits = "\(abs(n))"
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
