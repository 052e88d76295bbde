import Foundation

/// The regular expressions a `flag` check with a `component` needs beyond the manifest's
/// (`RuleCheckOVAL.flagPattern`): a flag in a k3s/rke2 configuration list, on a unit's or
/// environment file's command line, and a whole process command line that passes.
enum ComponentFlagPatterns {
    /// Stands in a process pattern for a `${value}` the flag must equal (filled in by OVAL).
    static let valuePlaceholder = "\u{1}VALUE\u{1}"

    /// Where a value ends on a command line written in a unit or environment file.
    static let token = "[^\\s\"'\\\\]"

    /// Each item of the list `key` (or `key+`) in a k3s/rke2 config file that sets `name`,
    /// capturing its value: block items (`- "name=value"`, continued from the previous match
    /// with `\G`, so every item of one list is found), the key's string value, and flow items.
    static func configList(key: String, name: String) -> [String] {
        let k = RuleCheckOVAL.re(key), n = RuleCheckOVAL.re(name)
        let end = "[\"']?[ \\t\\r]*(?:#[^\\n]*)?$"
        let skip = "(?:\\n[ \\t\\r]*(?:#[^\\n]*)?(?=\\n)|\\n[ \\t]*-[ \\t][^\\n]*)*?"
        let block = "(?:^\(k)\\+?[ \\t]*:[ \\t\\r]*(?:#[^\\n]*)?|\\G)\(skip)\\n[ \\t]*-[ \\t]+[\"']?\(n)=([^\"'\\n]*?)\(end)"
        let scalar = "^\(k)\\+?[ \\t]*:[ \\t]*[\"']?\(n)=([^\"'\\n\\[]*?)\(end)"
        let other = "[ \\t]*(?:\"[^\"\\n]*\"|'[^'\\n]*'|[^,\\]\\n\"']*)[ \\t]*,"
        let value = "((?(?<=[\"']\(n)=)[^\"'\\n]*|[^\"'\\s,\\]]*))"
        let flow = "(?:^\(k)\\+?[ \\t]*:[ \\t]*\\[|\\G(?!\\n))(?:\(other))*?[ \\t]*[\"']?\(n)=\(value)"
        return [block, scalar, flow]
    }

    /// `--key=name=value` / `--key name=value` on a unit's command line, capturing the value.
    static func unitArgument(key: String, name: String) -> String {
        "--\(RuleCheckOVAL.re(key))(?:=|[\"']?(?:[ \\t]|\\\\\\n)+[\"']?)\(RuleCheckOVAL.re(name))=(\(token)*)"
    }

    /// A top-level k3s option set to true: `option: true` in a config file.
    static func configOption(_ option: String) -> String {
        "^\(RuleCheckOVAL.re(option))[ \\t]*:[ \\t]*[\"']?(?:true|True|TRUE)[\"']?[ \\t\\r]*(?:#[^\\n]*)?$"
    }

    /// `--option` or `--option=true` on a unit's command line.
    static func unitOption(_ option: String) -> String {
        "--\(RuleCheckOVAL.re(option))(?:=(?:true|True|TRUE|t|T|1))?(?=[\\s\"'\\\\]|$)"
    }

    /// `--name=value`, `--name value` (or, boolean, `--name[=value]`) on a command line in a
    /// unit or environment file, capturing the value (boolean: the whole `--name[=value]`,
    /// as the manifest's capture is, so the same states apply).
    static func commandLine(name: String, boolean: Bool) -> String {
        let n = "(?:^|[\\s\"'=])--" + RuleCheckOVAL.re(name)
        if boolean { return "(?:^|[\\s\"'=])(--\(RuleCheckOVAL.re(name))(?:=\(token)*)?)(?=[\\s\"'\\\\]|$)" }
        return "\(n)(?:=|[ \\t]+)((?!-)\(token)*)"
    }

    /// The whole command line of a process that passes: the last `--name` passes, or there
    /// is none and `absentPasses`. Nil when the test cannot be written as a pattern (a
    /// `${value}` bound, a negative bound); a `${value}` to equal is `valuePlaceholder`.
    static func process(_ c: FlagCheck, absentPasses: Bool) -> String? {
        let n = RuleCheckOVAL.re(c.name)
        let setting = "\\s--\(n)(?:[=\\s]|$)"
        let absent = "(?!.*\(setting)).*"
        let last = "(?=\\s|$)(?!.*\(setting))"
        var passing: String
        switch c.condition {
        case .present: return ".*\(setting).*"
        case .absent: return absent
        case .value:
            if let b = c.booleanValue {
                let words = (b ? FlagCheck.trueWords : FlagCheck.falseWords).joined(separator: "|")
                passing = "\\s--\(n)(?:=(?:\(words)))\(b ? "?" : "")"
            } else {
                guard let v = processValue(c) else { return nil }
                passing = "\\s--\(n)(?:=|\\s+)\(v)"
            }
        }
        let set = ".*\(passing)\(last).*"
        return absentPasses ? "(?:\(set)|\(absent))" : set
    }

    /// The value part of a passing occurrence on a process command line (no white space).
    static func processValue(_ c: FlagCheck) -> String? {
        if let (item, contains) = c.listItem {
            let one = RuleCheckOVAL.re(item)
            return contains ? "(?:\\S*,)?\(one)(?:,\\S*)?" : "(?!(?:\\S*,)?\(one)(?:,|\\s|$))\\S*"
        }
        guard let t = c.valueTest else { return nil }
        func literal(_ s: String) -> String? { RuleCheckOVAL.valueName(s) == nil ? s : nil }
        switch t {
        case .equals(let v): return literal(v).map(RuleCheckOVAL.re) ?? valuePlaceholder
        case .pattern(let p): return "(?:\(p))"
        case .allowed(let items):
            let one = "(?:" + items.map(RuleCheckOVAL.re).joined(separator: "|") + ")"
            return "\(one)(?:,\(one))*"
        case .atLeast(let b): return literal(b).flatMap(NumberPattern.atLeast)
        case .atMost(let b): return literal(b).flatMap(NumberPattern.atMost)
        case .range(let lo, let hi):
            guard let l = literal(lo).flatMap(NumberPattern.atLeast), let h = literal(hi).flatMap(NumberPattern.atMost) else { return nil }
            return "(?=\(l)(?:\\s|$))\(h)"
        }
    }
}

/// Regular expressions for the decimal integers within a bound (for a process's command
/// line, where no state can compare numbers). Leading zeros are allowed, signs are not.
enum NumberPattern {
    /// Integers at least `bound` (0 or more), or nil for a bound that is not such a number.
    static func atLeast(_ bound: String) -> String? {
        guard let v = Int(bound), v >= 0 else { return nil }
        let d = Array(String(v)).map { Int(String($0))! }
        var alternatives = ["[1-9][0-9]{\(d.count),}", d.map(String.init).joined()]
        for i in d.indices where d[i] < 9 {
            alternatives.append(d[..<i].map(String.init).joined() + "[\(d[i] + 1)-9][0-9]{\(d.count - i - 1)}")
        }
        return "0*(?:" + alternatives.joined(separator: "|") + ")(?![0-9])"
    }

    /// Integers at most `bound` (0 or more), or nil for a bound that is not such a number.
    static func atMost(_ bound: String) -> String? {
        guard let v = Int(bound), v >= 0 else { return nil }
        let d = Array(String(v)).map { Int(String($0))! }
        var alternatives = [d.map(String.init).joined()]
        if d.count > 1 { alternatives.append("[0-9]{1,\(d.count - 1)}") }
        for i in d.indices where d[i] > 0 {
            alternatives.append(d[..<i].map(String.init).joined() + "[0-\(d[i] - 1)][0-9]{\(d.count - i - 1)}")
        }
        return "0*(?:" + alternatives.joined(separator: "|") + ")(?![0-9])"
    }
}
