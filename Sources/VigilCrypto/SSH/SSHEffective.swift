import Foundation

/// A keyword's effective value as OpenSSH computes it: the deciding lines (none: the
/// compiled-in default), the value as `sshd -T` / `ssh -G` prints it, and its items.
struct SSHEffectiveValue: Sendable {
    /// The lines that decide, first first (several for accumulating keywords).
    var sources: [SSHDirective]
    /// The value as printed by `sshd -T` (lists comma-joined, times in seconds).
    var text: String
    /// The list items (algorithm lists, comma or space separated values).
    var items: [String]
    /// A problem OpenSSH has with the value (unknown algorithm, bad time).
    var problem: String?
}

/// Computes effective values from a parsed configuration: first value wins (accumulation
/// for HostKey, Port, AcceptEnv, ...), algorithm lists assembled against the release's
/// defaults, `Match` blocks applied for a given connection as `sshd -T -C` does.
struct SSHEffectiveConfig: Sendable {
    let parsed: SSHParsedConfig
    let server: Bool
    let version: OpenSSHVersion?

    /// Whether a directive takes part in the global configuration (no block, or only
    /// `Match all` blocks; for the client, blocks that apply to `host`).
    func isGlobal(_ d: SSHDirective, host: SSHClientHost) -> Bool {
        server ? d.blocks.allSatisfy(\.isMatchAll) : d.blocks.allSatisfy(host.matches)
    }

    /// The deciding lines of `keyword` (lower-cased) for the global configuration, or for
    /// `connection` (server: Match blocks that apply override, as sshd's re-parse does).
    func sources(_ keyword: String, connection: SSHConnection?, host: SSHClientHost,
                 groups: (String) -> [String]?) -> [SSHDirective] {
        let all = parsed.directives.filter { $0.keyword == keyword }
        let accumulate = (server ? SSHKeywords.serverAccumulating : SSHKeywords.clientAccumulating).contains(keyword)
        func pick(_ ds: [SSHDirective]) -> [SSHDirective] { accumulate ? ds : Array(ds.prefix(1)) }
        if server, let connection, SSHKeywords.serverMatch.contains(keyword) {
            let matched = all.filter { !$0.blocks.isEmpty && $0.blocks.allSatisfy { connection.serverMatches($0, groups: groups) } }
            if !matched.isEmpty { return pick(matched) }
        }
        return pick(all.filter { isGlobal($0, host: host) })
    }

    /// The effective value given its deciding lines; nil when nothing sets it and the
    /// default is not known to Vigil.
    func value(_ keyword: String, sources: [SSHDirective]) -> SSHEffectiveValue? {
        if let kind = SSHAlgorithmKind.of(keyword: keyword) {
            let spec = sources.first?.arguments.first
            guard let version else {
                // Without the release only a plain list without wildcards is known as is.
                guard let spec, let first = spec.first, !"+-^".contains(first), !spec.contains(where: { "*?!".contains($0) }) else { return nil }
                let items = spec.split(separator: ",").map(String.init)
                return SSHEffectiveValue(sources: sources, text: spec, items: items, problem: nil)
            }
            var v = SSHEffectiveValue(sources: sources, text: "", items: [], problem: nil)
            if let d = sources.first, d.arguments.first?.isEmpty != false {
                v.problem = "\(d.spelled) missing argument"
                return v
            }
            if let d = sources.first, d.arguments.count != 1 {
                v.problem = "\(keyword) takes one comma-separated list, not \(d.arguments.count) arguments"
            }
            switch kind.effective(spec, version: version, server: server) {
            case .success(let list): v.items = list; v.text = list.joined(separator: ",")
            case .failure(let p): v.problem = p.description; v.text = spec ?? ""; v.items = (spec ?? "").split(separator: ",").map(String.init)
            }
            return v
        }
        let args: [String]
        if sources.isEmpty {
            guard let d = (server ? SSHScalarDefaults.server : SSHScalarDefaults.client)[keyword] else { return nil }
            args = d.split(separator: " ").map(String.init)
        } else {
            args = sources.flatMap(\.arguments)
        }
        var v = SSHEffectiveValue(sources: sources, text: args.joined(separator: " "),
                                  items: args.flatMap { $0.split(separator: ",").map(String.init) }, problem: nil)
        if SSHKeywords.times.contains(keyword), let first = args.first {
            if let seconds = Self.seconds(first) { v.text = String(seconds); v.items = [v.text] } else { v.problem = "invalid time value '\(first)'" }
        }
        if ["yes", "no"].contains(v.text.lowercased()) { v.text = v.text.lowercased() }
        if v.text.allSatisfy(\.isASCII), let n = Int(v.text), n >= 0 { v.text = String(n) }  // "04" is 4
        if keyword == "permitrootlogin", v.text.lowercased() == "prohibit-password" { v.text = "without-password" }
        return v
    }

    /// The problems OpenSSH finds in values when it reads each line, whichever line wins:
    /// unknown algorithms, wildcards where none are allowed, several arguments to an
    /// algorithm list, bad times (algorithm lists only when the release is known).
    func valueProblems() -> [(location: String, keyword: String?, message: String)] {
        parsed.directives.compactMap { d in
            let checked = SSHAlgorithmKind.of(keyword: d.keyword) != nil ? version != nil : SSHKeywords.times.contains(d.keyword)
            guard checked, let p = value(d.keyword, sources: [d])?.problem else { return nil }
            return ("\(d.file):\(d.line)", d.keyword, p)
        }
    }

    /// misc.c `convtime`: "90", "10m", "1h30m" (units s m h d w, any case) in seconds.
    static func seconds(_ s: String) -> Int? {
        guard !s.isEmpty else { return nil }
        var total = 0, number = 0, digits = 0
        for c in s.lowercased() {
            if let d = c.wholeNumberValue, c.isASCII {
                number = number * 10 + d; digits += 1
                if number > Int(Int32.max) { return nil }
                continue
            }
            guard digits > 0, let mult = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800][String(c)] else { return nil }
            total += number * mult; number = 0; digits = 0
        }
        total += number
        return total > Int(Int32.max) ? nil : total
    }
}
