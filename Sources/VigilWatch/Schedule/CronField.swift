/// One field of a cron expression: the values it allows, and whether it was written as a
/// restriction (not starting with `*`), which decides how day-of-month and day-of-week combine.
public struct CronField: Sendable, Equatable {
    /// What a field is: its name in messages, its range, and the names it takes.
    struct Kind {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
        /// The first name's value (jan = 1, sun = 0).
        let firstNamed: Int

        static let minute = Kind(name: "minute", range: 0...59, names: [], firstNamed: 0)
        static let hour = Kind(name: "hour", range: 0...23, names: [], firstNamed: 0)
        static let dayOfMonth = Kind(name: "day-of-month", range: 1...31, names: [], firstNamed: 1)
        static let month = Kind(name: "month", range: 1...12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                                                     "sep", "oct", "nov", "dec"], firstNamed: 1)
        /// 0 and 7 are both Sunday.
        static let dayOfWeek = Kind(name: "day-of-week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
                                    firstNamed: 0)
    }

    /// The values the field matches.
    public let values: Set<Int>
    /// Written as a restriction (its text does not start with `*`).
    public let restricted: Bool

    /// Parses a field: comma-separated items, each `*`, `N`, `N-M`, with an optional `/STEP`
    /// (`N/STEP` runs to the end of the range); names (jan, mon) where the field has them.
    /// Throws a message naming the field.
    init(_ text: String, _ kind: Kind) throws {
        var values: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            values.formUnion(try Self.item(String(item), kind))
        }
        if kind.name == Kind.dayOfWeek.name, values.remove(7) != nil { values.insert(0) }
        self.values = values
        restricted = !text.hasPrefix("*")
    }

    static func item(_ item: String, _ kind: Kind) throws -> [Int] {
        func fail(_ why: String) -> Error { CronFieldError(message: "\(kind.name) field '\(item)': \(why)") }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw fail("more than one '/'") }
        var step = 1
        if parts.count == 2 {
            guard let s = Int(parts[1]), s >= 1, s <= kind.range.upperBound + 1 else { throw fail("the step must be a number from 1") }
            step = s
        }
        let span = String(parts[0])
        var low = kind.range.lowerBound, high = kind.range.upperBound
        if span != "*" {
            let bounds = span.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw fail("a range is N-M") }
            low = try value(String(bounds[0]), kind, fail)
            if bounds.count == 2 { high = try value(String(bounds[1]), kind, fail) } else if parts.count == 1 { high = low }
            guard low <= high else { throw fail("the range runs backwards") }
        }
        return Array(stride(from: low, through: high, by: step))
    }

    static func value(_ text: String, _ kind: Kind, _ fail: (String) -> Error) throws -> Int {
        if let n = Int(text), text.allSatisfy(\.isNumber) {
            guard kind.range.contains(n) else { throw fail("\(n) is outside \(kind.range.lowerBound)-\(kind.range.upperBound)") }
            return n
        }
        if let i = kind.names.firstIndex(of: text.lowercased()) { return kind.firstNamed + i }
        let names = kind.names.isEmpty ? "" : " or a name (\(kind.names.joined(separator: ", ")))"
        throw fail("'\(text)' is not a number from \(kind.range.lowerBound) to \(kind.range.upperBound)\(names)")
    }
}

/// A cron field that cannot be parsed (the message names the field).
struct CronFieldError: Error {
    let message: String
}
