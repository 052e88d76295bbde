/// `file` with `mode: ${name}`: the most permissive mode is a tunable (CIS asks 0600 where
/// the DISA STIG asks 0644). OVAL file states name permission bits, not a number, so the
/// check is one branch per mode a profile can choose: the exported value equals that mode
/// (an `ind:variable_test`) and the file has no bit beyond it. A value given at scan time
/// that is none of those (a tailoring) matches no branch, and the rule fails.
extension RuleCheckOVAL {
    /// The mode an octal text names (at most 0o7777), nil for anything else.
    static func mode(_ text: String) -> UInt16? {
        guard text.count <= 5, let b = UInt16(text, radix: 8), b <= 0o7777 else { return nil }
        return b
    }

    /// A tunable mode's choices are checked octal when the folder is read (`BenchmarkFile`).
    mutating func tunedMode(_ c: FileCheck, _ title: String) throws -> Criteria {
        guard let name = c.modeValue else { return file(c, title) }
        let modes = (choices[name] ?? []).filter { Self.mode($0) != nil }
        let bits = modes.compactMap(Self.mode)
        var variable = comparison(.equals("${\(name)}")).varRef ?? ""
        if variable.isEmpty { variable = oval.external(value: name, datatype: "string") }
        let obj = oval.object("ind:variable_object", "<ind:var_ref>\(variable)</ind:var_ref>")
        let branches: [Criteria] = zip(modes, bits).map { text, mode in
            let ste = oval.state("ind:variable_state", "<ind:value operation=\"equals\">\(text)</ind:value>")
            let chosen = Criteria.test(oval.test("ind:variable_test", comment: "\(name) is \(text)", object: obj, states: [ste]))
            var one = c
            one.modeValue = nil
            one.mode = mode
            return .and([chosen, file(one, title + " (mode \(text))")])
        }
        return .or(branches)
    }
}

extension DataStreamBuilder {
    /// Every value each tunable can take through a profile: its default, its options, and
    /// the literal values profiles give it, in that order, without repeats.
    static func valueChoices(_ b: RuleBenchmark) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for v in b.values {
            var all = [v.defaultValue] + v.options.map(\.value)
            for p in b.profiles {
                for (id, choice) in p.values where id == v.id && !v.options.contains(where: { $0.selector == choice }) { all.append(choice) }
            }
            var seen = Set<String>()
            out[v.id] = all.filter { seen.insert($0).inserted }
        }
        return out
    }
}
