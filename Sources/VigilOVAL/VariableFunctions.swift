import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The OVAL 5.11 local-variable functions, with OpenSCAP's semantics (cartesian
/// products for concat and arithmetic, first component only for one-argument functions).
struct VariableFunctions {
    let evaluator: OVALEvaluator

    func apply(_ name: String, _ attrs: [String: String], _ args: [VariableComponent]) -> VariableValues {
        switch name {
        case "concat": return concat(args)
        case "count": return count(args)
        case "unique": return unique(args)
        case "arithmetic": return arithmetic(attrs["arithmetic_operation"] ?? "", args)
        case "begin":
            return mapFirst(args) { s in
                let p = attrs["character"] ?? ""
                return [s.hasPrefix(p) ? s : p + s]
            }
        case "end":
            return mapFirst(args) { s in
                let p = attrs["character"] ?? ""
                return [s.hasSuffix(p) ? s : s + p]
            }
        case "split":
            return mapFirst(args) { s in
                let d = attrs["delimiter"] ?? ""
                if d.isEmpty { return s.map { String($0) } }
                return s.components(separatedBy: d)
            }
        case "substring":
            return substring(attrs, args)
        case "escape_regex":
            return mapFirst(args) { [Self.escapeRegex($0)] }
        case "glob_to_regex":
            let noescape = attrs["glob_noescape"] == "true" || attrs["glob_noescape"] == "1"
            var failed = false
            var r = mapFirst(args) { s in
                guard let re = Self.globToRegex(s, noescape: noescape) else { failed = true; return [] }
                return [re]
            }
            if failed { r.flag = .error }
            return r
        case "regex_capture":
            return regexCapture(attrs["pattern"] ?? "", args)
        case "time_difference":
            return timeDifference(attrs, args)
        default:
            return VariableValues(flag: .error, values: [], message: "unsupported variable function \(name)")
        }
    }

    private func evaluateAll(_ args: [VariableComponent]) -> ([VariableValues], CollectedFlag) {
        var flag: CollectedFlag?
        var parts: [VariableValues] = []
        for a in args {
            let v = evaluator.evaluate(a)
            flag = CollectedFlag.aggregate(flag, v.flag)
            parts.append(v)
        }
        return (parts, flag ?? .error)
    }

    /// No values, with `flag` and the first message of the components.
    private static func none(_ flag: CollectedFlag, _ parts: [VariableValues]) -> VariableValues {
        VariableValues(flag: flag, values: [], message: parts.lazy.compactMap(\.message).first)
    }

    /// Applies `f` to every value of the first component; results are strings.
    private func mapFirst(_ args: [VariableComponent], _ f: (String) -> [String]) -> VariableValues {
        guard let first = args.first else { return VariableValues(flag: .error, values: []) }
        let v = evaluator.evaluate(first)
        var out: [OVALValue] = []
        for value in v.values { out += f(value.text).map { OVALValue($0) } }
        return VariableValues(flag: v.flag, values: out, message: v.message)
    }

    /// The number of values the cartesian product of `parts` has (parts with no values left
    /// out), or an error naming `function` when it exceeds `ContentLimits.maxVariableValues`;
    /// checked before anything is built.
    static func productSize(_ parts: [VariableValues], _ function: String) -> Result<Int, VariableLimitError> {
        var size = 1
        for p in parts where !p.values.isEmpty {
            let (next, overflow) = size.multipliedReportingOverflow(by: p.values.count)
            guard !overflow, next <= ContentLimits.maxVariableValues else {
                let counts = parts.map { String($0.values.count) }.joined(separator: " × ")
                return .failure(VariableLimitError(message: "\(function) would build \(counts) values, more than the limit of "
                                                       + "\(ContentLimits.maxVariableValues) values per variable"))
            }
            size = next
        }
        return .success(size)
    }

    private func concat(_ args: [VariableComponent]) -> VariableValues {
        let (parts, flag) = evaluateAll(args)
        var out: [OVALValue] = []
        if !parts.isEmpty && (flag == .complete || flag == .incomplete) {
            if case .failure(let e) = Self.productSize(parts, "concat") { return e.values }
            // Components with no values are left out of the product, as OpenSCAP does.
            var acc = [""]
            for p in parts where !p.values.isEmpty {
                var next: [String] = []
                for prefix in acc { for v in p.values { next.append(prefix + v.text) } }
                acc = next
            }
            if parts.contains(where: { !$0.values.isEmpty }) { out = acc.map { OVALValue($0) } }
        }
        return VariableValues(flag: flag, values: out, message: out.isEmpty ? parts.lazy.compactMap(\.message).first : nil)
    }

    private func count(_ args: [VariableComponent]) -> VariableValues {
        let (parts, flag) = evaluateAll(args)
        var n = 0
        if !parts.isEmpty && (flag == .complete || flag == .incomplete) {
            n = parts.reduce(0) { $0 + $1.values.count }
        }
        return VariableValues(flag: flag, values: [OVALValue(String(n), .int)])
    }

    private func unique(_ args: [VariableComponent]) -> VariableValues {
        let (parts, flag) = evaluateAll(args)
        // Values are the same when their bytes are (OpenSCAP's strcmp), not when Swift
        // strings are equal (canonically equivalent Unicode).
        var seen = Set<CBytes>()
        var out: [OVALValue] = []
        if !parts.isEmpty && (flag == .complete || flag == .incomplete) {
            for p in parts {
                for v in p.values where seen.insert(CBytes(v.text, folded: false)).inserted { out.append(OVALValue(v.text)) }
            }
        }
        return VariableValues(flag: flag, values: out)
    }

    private func substring(_ attrs: [String: String], _ args: [VariableComponent]) -> VariableValues {
        let start = Int(attrs["substring_start"] ?? "") ?? 1
        let length = Int(attrs["substring_length"] ?? "") ?? -1
        guard let first = args.first else { return VariableValues(flag: .error, values: []) }
        let v = evaluator.evaluate(first)
        var flag = v.flag
        var out: [OVALValue] = []
        let begin = start < 1 ? 0 : start - 1
        for value in v.values {
            let bytes = Array(value.text.utf8)
            guard begin < bytes.count else { flag = .error; continue }
            let len = length < 0 ? bytes.count : min(length, bytes.count)
            let end = min(bytes.count, begin + len)
            out.append(OVALValue(String(decoding: bytes[begin..<end], as: UTF8.self)))
        }
        return VariableValues(flag: flag, values: out)
    }

    private func regexCapture(_ pattern: String, _ args: [VariableComponent]) -> VariableValues {
        guard let re = try? OVALRegex(pattern) else {
            return VariableValues(flag: .error, values: [], message: "invalid regular expression '\(pattern)' in regex_capture")
        }
        guard let first = args.first else { return VariableValues(flag: .error, values: []) }
        let v = evaluator.evaluate(first)
        var out: [OVALValue] = []
        var flag = v.flag
        for value in v.values {
            let m: OVALRegexMatch?
            do {
                m = try re.match(value.text)
            } catch {
                // A limit exceeded is not "no match": the variable has no usable value.
                return VariableValues(flag: .error, values: [], message: "regex_capture: \(error)")
            }
            // The first capture group of the first match; no match (or no group) gives "".
            let captured: String? = (m?.groups.count ?? 0) > 1 ? m?.groups[1] : nil
            out.append(OVALValue(captured ?? ""))
            flag = .complete
        }
        return VariableValues(flag: flag, values: out)
    }

    /// OpenSCAP's arithmetic: a value reads as a C `double` by its datatype (an int with
    /// `strtoll`, a float with `strtof`, a string with `strtod`; other datatypes are an
    /// error), the cartesian product of the components is added or multiplied, and each
    /// result is a float ("%f") when a float took part, else an int. An int result that is
    /// not finite or does not fit 64 bits is an error (OpenSCAP's cast is undefined there).
    private func arithmetic(_ op: String, _ args: [VariableComponent]) -> VariableValues {
        guard op == "add" || op == "multiply" else {
            return VariableValues(flag: .error, values: [], message: "unsupported arithmetic operation '\(op)'")
        }
        let (parts, flag) = evaluateAll(args)
        guard !parts.isEmpty, flag == .complete || flag == .incomplete else { return Self.none(flag, parts) }
        if parts.contains(where: { $0.values.isEmpty }) { return Self.none(flag, parts) }
        if case .failure(let e) = Self.productSize(parts, "arithmetic") { return e.values }
        var numbers: [[(Double, Bool)]] = []   // per component: (value, isFloat)
        for p in parts {
            var column: [(Double, Bool)] = []
            for v in p.values {
                guard let x = Self.arithmeticOperand(v) else {
                    return VariableValues(flag: .error, values: [], message: "arithmetic cannot read '\(v.text)' as a number (\(v.datatype.rawValue))")
                }
                column.append((x, v.datatype == .float))
            }
            numbers.append(column)
        }
        var acc: [(Double, Bool)] = [(op == "add" ? 0 : 1, false)]
        for column in numbers {
            var next: [(Double, Bool)] = []
            next.reserveCapacity(acc.count * column.count)
            for (a, af) in acc {
                for (x, xf) in column { next.append((op == "add" ? a + x : a * x, af || xf)) }
            }
            acc = next
        }
        var out: [OVALValue] = []
        for (x, isFloat) in acc {
            if isFloat { out.append(OVALValue(String(format: "%f", x), .float)); continue }
            guard let n = Self.int64(x) else {
                return VariableValues(flag: .error, values: [], message: "arithmetic result \(x) does not fit a 64-bit int")
            }
            out.append(OVALValue(String(n), .int))
        }
        return VariableValues(flag: .complete, values: out)
    }

    /// An arithmetic operand as OpenSCAP reads it; nil for a datatype it refuses or a string
    /// out of `double` range.
    static func arithmeticOperand(_ v: OVALValue) -> Double? {
        let bytes = Array(OVALCompare.cBytes(v.text)) + [0]
        return bytes.withUnsafeBufferPointer { buf -> Double? in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { c -> Double? in
                switch v.datatype {
                case .int: return Double(strtoll(c, nil, 10))
                case .float: return Double(strtof(c, nil))
                case .string:
                    errno = 0
                    let x = strtod(c, nil)
                    return errno == 0 ? x : nil
                default: return nil
                }
            }
        }
    }

    /// `x` truncated toward zero as a 64-bit int; nil when not finite or out of range.
    static func int64(_ x: Double) -> Int64? {
        guard x.isFinite else { return nil }
        return Int64(exactly: x.rounded(.towardZero))
    }

    /// OpenSCAP's time_difference: with one component, the current time minus each value
    /// (read with format_2);
    /// with two, each value of the first minus each value of the second. OpenSCAP computes
    /// in unsigned 64-bit arithmetic and prints at most 15 digits, so a negative difference
    /// wraps around (30 - 100 gives "184467440737095"); Vigil gives the same values. A
    /// value that cannot be read as a time in its format makes the variable an error.
    private func timeDifference(_ attrs: [String: String], _ args: [VariableComponent]) -> VariableValues {
        let f1 = attrs["format_1"] ?? "year_month_day"
        let f2 = attrs["format_2"] ?? "year_month_day"
        guard args.count == 1 || args.count == 2 else {
            return VariableValues(flag: .error, values: [], message: "time_difference takes one or two components")
        }
        var (parts, flag) = evaluateAll(args)
        guard flag == .complete || flag == .incomplete else { return Self.none(flag, parts) }
        var formats = (f1, f2)
        if parts.count == 1 {
            let now = OVALValue(String(Int64(Date().timeIntervalSince1970)), .int)
            parts.insert(VariableValues(flag: .complete, values: [now]), at: 0)
            formats.0 = "seconds_since_epoch"
        }
        if case .failure(let e) = Self.productSize(parts, "time_difference") { return e.values }
        var times: [[Int64]] = []
        for (p, format) in zip(parts, [formats.0, formats.1]) {
            var column: [Int64] = []
            for v in p.values {
                guard let t = Self.parseTime(v.text, format) else {
                    return VariableValues(flag: .error, values: [], message: "time_difference cannot read '\(v.text)' as \(format)")
                }
                column.append(t)
            }
            times.append(column)
        }
        var out: [OVALValue] = []
        for a in times[0] {
            for b in times[1] {
                let difference = UInt64(bitPattern: a) &- UInt64(bitPattern: b)
                out.append(OVALValue(String(String(difference).prefix(15)), .int))
            }
        }
        return VariableValues(flag: flag, values: out)
    }

    /// Seconds since the epoch for the OVAL DateTimeFormatEnumeration formats we read.
    static func parseTime(_ s: String, _ format: String) -> Int64? {
        let t = s.trimmingCharacters(in: .whitespaces)
        switch format {
        case "seconds_since_epoch":
            return Int64(t)
        case "win_filetime":
            guard let v = UInt64(t, radix: 16) ?? UInt64(t) else { return nil }
            // At most about 1.8e12 seconds: no overflow below.
            return Int64(v / 10_000_000) - 11_644_473_600
        default:
            let pieces = t.split(whereSeparator: { !$0.isASCII || !$0.isNumber })
            let nums = pieces.compactMap { Int($0) }
            // A number too large for Int is not a date (and must not shift the fields).
            guard nums.count == pieces.count, nums.count >= 3 else { return nil }
            let (year, month, day): (Int, Int, Int)
            switch format {
            case "month_day_year": (month, day, year) = (nums[0], nums[1], nums[2])
            case "day_month_year": (day, month, year) = (nums[0], nums[1], nums[2])
            default: (year, month, day) = (nums[0], nums[1], nums[2])
            }
            let (hour, minute, second) = nums.count >= 6 ? (nums[3], nums[4], nums[5]) : (0, 0, 0)
            // Fields out of range are not a date (strptime refuses them too); this also keeps
            // the calendar arithmetic far from overflow (and from Int.max, which
            // DateComponents reads as "undefined").
            guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
                  (0...24).contains(hour), (0...59).contains(minute), (0...61).contains(second) else { return nil }
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: "UTC") ?? .current
            let c = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            guard let d = cal.date(from: c) else { return nil }
            return Int64(exactly: d.timeIntervalSince1970.rounded(.down))
        }
    }

    static func escapeRegex(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "^$\\.[](){}*+?|".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// Glob to Perl regex, with OpenSCAP's rules (a leading `*` or `?` in a path
    /// component does not match a dot; `*` and `?` never match `/`).
    static func globToRegex(_ glob: String, noescape: Bool) -> String? {
        enum State { case start, normal, leftBracket, klass, escape, slash }
        var out = "^"
        var state = State.start
        let specials: Set<Character> = [".", "|", "^", "(", ")", "{", "}", "+", "$"]
        for c in glob {
            switch state {
            case .start, .slash:
                if c == "/" && state == .start { out.append(c); state = .slash }
                else if c == "?" { out += "[^./]"; state = .normal }
                else if c == "*" { out += "(?=[^.])[^/]*"; state = .normal }
                else if specials.contains(c) { out += "\\" + String(c); state = .normal }
                else if c == "[" { if state == .start { out.append("[") }; state = .leftBracket }
                else if c == "\\" {
                    if noescape { out += "\\\\"; state = .normal } else { state = .escape }
                } else { out.append(c); state = .normal }
            case .normal:
                if c == "/" { out.append(c); state = .slash }
                else if c == "?" { out += "[^/]" }
                else if c == "*" { out += "[^/]*" }
                else if specials.contains(c) { out += "\\" + String(c) }
                else if c == "[" { out.append("["); state = .leftBracket }
                else if c == "\\" { if noescape { out += "\\\\" } else { state = .escape } }
                else { out.append(c) }
            case .leftBracket:
                out.append(c == "!" ? "^" : c)
                state = .klass
            case .klass:
                if c == "\\" { if noescape { out.append("\\") } }
                else if c == "]" { state = .normal }
                out.append(c)
            case .escape:
                if "?*[]".contains(c) { out += "\\" + String(c) } else { out += "\\\\" + String(c) }
                state = .normal
            }
        }
        switch state {
        case .leftBracket, .klass: return nil
        case .escape: out += "\\\\"
        default: break
        }
        return out + "$"
    }
}

/// A variable that would hold more values than `ContentLimits.maxVariableValues`.
struct VariableLimitError: Error {
    let message: String
    /// The variable's values: none, flag `error`, with the message.
    var values: VariableValues { VariableValues(flag: .error, values: [], message: message) }
}
