import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week), or one of
/// `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, matched in a calendar's time zone
/// (local time by default). As in cron, when both day-of-month and day-of-week are
/// restricted a day matching either is due; otherwise a day must match both.
public struct CronSchedule: Sendable, Equatable {
    /// The expression as given.
    public let text: String
    public let minute: CronField
    public let hour: CronField
    public let dayOfMonth: CronField
    public let month: CronField
    public let dayOfWeek: CronField
    /// The calendar (and so the time zone) the fields are read in.
    public let calendar: Calendar

    static let macros = ["@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
                         "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"]

    public init(_ text: String, calendar: Calendar = .current) throws {
        self.text = text
        self.calendar = calendar
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var expanded = trimmed
        if trimmed.hasPrefix("@") {
            guard let macro = Self.macros[trimmed.lowercased()] else {
                throw WatchScheduleError.cron(text, "unknown macro (known: @hourly, @daily, @weekly, @monthly, @yearly)")
            }
            expanded = macro
        }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw WatchScheduleError.cron(text, "a cron expression has 5 fields (minute hour day-of-month month day-of-week), "
                + "this one has \(fields.count)")
        }
        do {
            minute = try CronField(fields[0], .minute)
            hour = try CronField(fields[1], .hour)
            dayOfMonth = try CronField(fields[2], .dayOfMonth)
            month = try CronField(fields[3], .month)
            dayOfWeek = try CronField(fields[4], .dayOfWeek)
        } catch let error as CronFieldError {
            throw WatchScheduleError.cron(text, error.message)
        }
        guard dayOfWeek.restricted && dayOfMonth.restricted || Self.anyDayExists(dayOfMonth, month) else {
            throw WatchScheduleError.cron(text, "day-of-month field '\(fields[2])': no month of the month field has such a day")
        }
    }

    /// Whether some month of `month` has a day of `dayOfMonth` (February counted with 29 days).
    static func anyDayExists(_ dayOfMonth: CronField, _ month: CronField) -> Bool {
        let lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return month.values.contains { m in dayOfMonth.values.contains { $0 <= lengths[m - 1] } }
    }

    /// Whether the day of `parts` is due.
    func dayMatches(_ parts: DateComponents) -> Bool {
        let dom = dayOfMonth.values.contains(parts.day!)
        let dow = dayOfWeek.values.contains(parts.weekday! - 1)
        return dayOfMonth.restricted && dayOfWeek.restricted ? dom || dow : dom && dow
    }

    /// The first minute strictly after `date` that the expression matches, found field by
    /// field through the calendar (a month, day or hour that does not match is skipped
    /// whole); a local time that a DST change skips is not due that day. Within eight years
    /// every valid expression matches; past that, `Date.distantFuture`.
    public func next(after date: Date) -> Date {
        var t = Date(timeIntervalSinceReferenceDate: (date.timeIntervalSinceReferenceDate / 60).rounded(.down) * 60 + 60)
        let limit = date.addingTimeInterval(8 * 366 * 86_400)
        while t < limit {
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
            if !month.values.contains(parts.month!) {
                t = start(of: .month, after: t)
            } else if !dayMatches(parts) {
                t = start(of: .day, after: t)
            } else if !hour.values.contains(parts.hour!) {
                t = start(of: .hour, after: t)
            } else if !minute.values.contains(parts.minute!) {
                t = t.addingTimeInterval(60)
            } else {
                return t
            }
        }
        return .distantFuture
    }

    /// The start of the month, day or hour after the one holding `t`.
    func start(of unit: Calendar.Component, after t: Date) -> Date {
        guard let current = calendar.dateInterval(of: unit, for: t) else { return t.addingTimeInterval(60) }
        return current.end
    }
}
