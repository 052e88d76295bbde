import Foundation

/// When `vigil watch` scans: every fixed interval (`--every 15m`), or at the times a
/// cron expression names (`--schedule "30 2 * * 1-5"`), in local time.
public enum WatchSchedule: Sendable, Equatable {
    /// A scan every so many seconds, the first at start.
    case every(TimeInterval)
    /// A scan at every minute the cron expression matches.
    case cron(CronSchedule)

    /// The shortest interval `--every` takes, in seconds.
    public static let minimumInterval: TimeInterval = 10
    /// The longest interval `--every` takes: a year, in seconds.
    public static let maximumInterval: TimeInterval = 366 * 86_400

    /// `--every DURATION`: `90s`, `15m`, `6h`, `1d`, or units combined from the largest down
    /// (`1h30m`, `1d12h`); at least `minimumInterval`.
    public init(every text: String) throws {
        let total = try Self.seconds(in: text)
        guard total >= Self.minimumInterval else { throw WatchScheduleError.duration(text, "the shortest interval is 10s") }
        guard total <= Self.maximumInterval else { throw WatchScheduleError.duration(text, "the longest interval is 366d") }
        self = .every(total)
    }

    /// The seconds a duration (`90s`, `1h30m`, as `--every` takes) stands for.
    public static func seconds(in text: String) throws -> TimeInterval {
        let units: [(Character, TimeInterval)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var total: TimeInterval = 0
        var number = ""
        var nextUnit = 0
        for c in text {
            if c.isASCII && c.isNumber {
                number.append(c)
                guard number.count <= 9 else { throw WatchScheduleError.duration(text, "the number is too large") }
                continue
            }
            guard let index = units.firstIndex(where: { $0.0 == c }) else {
                throw WatchScheduleError.duration(text, "'\(c)' is not a unit (s, m, h, d)")
            }
            guard !number.isEmpty else { throw WatchScheduleError.duration(text, "'\(c)' has no number before it") }
            guard index >= nextUnit else {
                throw WatchScheduleError.duration(text, "units go from the largest to the smallest, each once (1d12h, 1h30m)")
            }
            total += TimeInterval(Int(number)!) * units[index].1
            number = ""
            nextUnit = index + 1
        }
        guard number.isEmpty, !text.isEmpty else {
            throw WatchScheduleError.duration(text, "every number needs a unit: s, m, h or d (90s, 15m, 6h, 1d, 1h30m)")
        }
        return total
    }

    /// `--schedule CRON`: see `CronSchedule`.
    public init(cron text: String, calendar: Calendar = .current) throws {
        self = .cron(try CronSchedule(text, calendar: calendar))
    }

    /// The first time strictly after `date` that a scan is due. For an interval that is
    /// `date` plus the interval (the loop passes the slot it last used, so slots stay on
    /// a fixed grid from the start).
    public func next(after date: Date) -> Date {
        switch self {
        case .every(let seconds): return date.addingTimeInterval(seconds)
        case .cron(let cron): return cron.next(after: date)
        }
    }

    /// The gap between the two slots that follow `date`: what "on time" means for health.
    public func interval(after date: Date) -> TimeInterval {
        let first = next(after: date)
        return next(after: first).timeIntervalSince(first)
    }
}

/// A `--every` or `--schedule` value that cannot be used; the message names the value and,
/// for a cron expression, the field.
public enum WatchScheduleError: Error, CustomStringConvertible, Equatable {
    case duration(String, String)
    case cron(String, String)

    public var description: String {
        switch self {
        case .duration(let text, let why): return "duration '\(text)': \(why)"
        case .cron(let text, let why): return "--schedule '\(text)': \(why)"
        }
    }
}
