import Foundation

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

    /// Applies `f` to every value of the first component; results are strings.
    private func mapFirst(_ args: [VariableComponent], _ f: (String) -> [String]) -> VariableValues {
        guard let first = args.first else { return VariableValues(flag: .error, values: []) }
        let v = evaluator.evaluate(first)
        var out: [OVALValue] = []
        for value in v.values { out += f(value.text).map { OVALValue($0) } }
        return VariableValues(flag: v.flag, values: out, message: v.message)
    }

    private func concat(_ args: [VariableComponent]) -> VariableValues {
        let (parts, flag) = evaluateAll(args)
        var out: [OVALValue] = []
        if !parts.isEmpty && (flag == .complete || flag == .incomplete) {
            // Components with no values are left out of the product, as OpenSCAP does.
            var acc = [""]
            for p in parts where !p.values.isEmpty {
                var next: [String] = []
                for prefix in acc { for v in p.values { next.append(prefix + v.text) } }
                acc = next
            }
            if parts.contains(where: { !$0.values.isEmpty }) { out = acc.map { OVALValue($0) } }
        }
        return VariableValues(flag: flag, values: out)
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
        var seen = Set<String>()
        var out: [OVALValue] = []
        if !parts.isEmpty && (flag == .complete || flag == .incomplete) {
            for p in parts { for v in p.values where seen.insert(v.text).inserted { out.append(OVALValue(v.text)) } }
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
            let m = re.firstMatch(in: value.text)
            // The first capture group of the first match; no match (or no group) gives "".
            let captured: String? = (m?.count ?? 0) > 1 ? m?[1] : nil
            out.append(OVALValue(captured ?? ""))
            flag = .complete
        }
        return VariableValues(flag: flag, values: out)
    }

    private func arithmetic(_ op: String, _ args: [VariableComponent]) -> VariableValues {
        guard op == "add" || op == "multiply" else {
            return VariableValues(flag: .error, values: [], message: "unsupported arithmetic operation '\(op)'")
        }
        let (parts, flag) = evaluateAll(args)
        guard !parts.isEmpty, flag == .complete || flag == .incomplete else {
            return VariableValues(flag: flag, values: [])
        }
        var acc: [(Double, Bool)] = [(op == "add" ? 0 : 1, false)]   // (value, isFloat)
        for (i, p) in parts.enumerated() {
            var next: [(Double, Bool)] = []
            for (a, af) in acc {
                for v in p.values {
                    let x = Double(v.text.trimmingCharacters(in: .whitespaces)) ?? 0
                    let isFloat = af || v.datatype == .float
                    next.append((i == 0 ? x : (op == "add" ? a + x : a * x), isFloat))
                }
            }
            acc = next
        }
        let out = acc.map { (x, isFloat) in
            isFloat ? OVALValue(String(format: "%f", x), .float) : OVALValue(String(Int64(x)), .int)
        }
        return VariableValues(flag: .complete, values: out)
    }

    private func timeDifference(_ attrs: [String: String], _ args: [VariableComponent]) -> VariableValues {
        let f1 = attrs["format_1"] ?? "year_month_day"
        let f2 = attrs["format_2"] ?? "year_month_day"
        let (parts, flag) = evaluateAll(args)
        guard flag == .complete || flag == .incomplete else { return VariableValues(flag: flag, values: []) }
        var out: [OVALValue] = []
        if parts.count == 1 {
            let now = Int64(Date().timeIntervalSince1970)
            for v in parts[0].values {
                guard let t = Self.parseTime(v.text, f1) else { return VariableValues(flag: .error, values: []) }
                out.append(OVALValue(String(now - t), .int))
            }
        } else if parts.count == 2 {
            for a in parts[0].values {
                for b in parts[1].values {
                    guard let t1 = Self.parseTime(a.text, f1), let t2 = Self.parseTime(b.text, f2) else {
                        return VariableValues(flag: .error, values: [])
                    }
                    out.append(OVALValue(String(t2 - t1), .int))
                }
            }
        } else {
            return VariableValues(flag: .error, values: [], message: "time_difference takes one or two components")
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
            return Int64(v / 10_000_000) - 11_644_473_600
        default:
            let nums = t.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard nums.count >= 3 else { return nil }
            var c = DateComponents()
            switch format {
            case "month_day_year": (c.month, c.day, c.year) = (nums[0], nums[1], nums[2])
            case "day_month_year": (c.day, c.month, c.year) = (nums[0], nums[1], nums[2])
            default: (c.year, c.month, c.day) = (nums[0], nums[1], nums[2])
            }
            if nums.count >= 6 { (c.hour, c.minute, c.second) = (nums[3], nums[4], nums[5]) }
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: "UTC") ?? .current
            guard let d = cal.date(from: c) else { return nil }
            return Int64(d.timeIntervalSince1970)
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
