import VigilTarget

/// What a `Match` (or `Host`) block is evaluated against. For the server: the fields of
/// `sshd -T -C user=...,host=...,addr=...,laddr=...,lport=...,rdomain=...`, a missing
/// field never matching (sshd's test mode). For the client: the host name of `ssh -G`.
struct SSHConnection: Sendable, Equatable {
    var fields: [String: String] = [:]

    /// Parses the `-C` syntax; throws on an unknown field.
    init(spec: String) throws {
        for part in spec.split(separator: ",") {
            guard let eq = part.firstIndex(of: "=") else { throw NativeCheckError(parameter: "connection", "'\(part)' is not field=value") }
            let key = String(part[..<eq]), value = String(part[part.index(after: eq)...])
            guard ["user", "host", "addr", "laddr", "lport", "rdomain"].contains(key) else {
                throw NativeCheckError(parameter: "connection", "unknown connection field '\(key)' (user, host, addr, laddr, lport, rdomain)")
            }
            fields[key] = value
        }
    }

    /// Whether the server `Match` block applies to this connection (servconf.c match_cfg_line).
    func serverMatches(_ block: SSHBlock, groups: (String) -> [String]?) -> Bool {
        for c in block.criteria {
            switch c.attribute {
            case "all": return true
            case "user":
                guard let u = fields["user"], SSHPattern.matchList(u, c.argument) == 1 else { return false }
            case "group":
                guard let u = fields["user"], let gs = groups(u),
                      gs.contains(where: { SSHPattern.matchList($0, c.argument) == 1 }) else { return false }
            case "host":
                guard let h = fields["host"], SSHPattern.matchList(h, c.argument, lowercase: true) == 1 else { return false }
            case "address":
                guard let a = fields["addr"], SSHPattern.addressMatch(a, c.argument) == 1 else { return false }
            case "localaddress":
                guard let a = fields["laddr"], SSHPattern.addressMatch(a, c.argument) == 1 else { return false }
            case "localport":
                guard let p = fields["lport"], Int(p) == Int(c.argument) else { return false }
            case "rdomain":
                guard let r = fields["rdomain"], SSHPattern.matchList(r, c.argument) == 1 else { return false }
            default: return false
            }
        }
        return true
    }
}

/// The client's view of a block for `ssh -G HOST`: `Host` patterns and `Match host`,
/// `originalhost`, `all`, `final`, `canonical` are evaluated; criteria that need the running
/// session (`exec`, `user`, `localuser`, `localnetwork`, `tagged`, ...) count as not
/// matching, and such blocks are covered by `match_blocks: check`. Without a host name, a
/// block applies only when every name matches it (`Host *`).
struct SSHClientHost: Sendable {
    var name: String?

    func matches(_ block: SSHBlock) -> Bool {
        if let patterns = block.hostPatterns { return hostMatches(patterns) }
        for c in block.criteria {
            var hit: Bool
            switch c.attribute {
            case "all", "final", "canonical": hit = true  // ssh re-reads the file in a final pass
            case "host", "originalhost": hit = hostMatches(c.argument.split(separator: ",").map(String.init))
            default: hit = false
            }
            if c.negated { hit.toggle() }
            if !hit { return false }
        }
        return true
    }

    private func hostMatches(_ patterns: [String]) -> Bool {
        if let name { return SSHPattern.matchList(name, patterns, lowercase: true) == 1 }
        // A name no pattern names: `*` matches it, a negation other than `!*` does not exclude it.
        func everything(_ p: Substring) -> Bool { !p.isEmpty && p.allSatisfy { $0 == "*" } }
        return !patterns.contains { $0.hasPrefix("!") && everything($0.dropFirst()) }
            && patterns.contains { !$0.hasPrefix("!") && everything(Substring($0)) }
    }
}

/// The groups of a user on the target (/etc/passwd primary group, /etc/group members).
enum SSHUserGroups {
    static func groups(of user: String, target: any Target) -> [String]? {
        guard let passwd = target.readText("/etc/passwd"),
              let entry = passwd.split(separator: "\n").map({ $0.split(separator: ":", omittingEmptySubsequences: false) })
                .first(where: { $0.count > 3 && $0[0] == user }) else { return nil }
        var result: [String] = []
        for line in (target.readText("/etc/group") ?? "").split(separator: "\n") {
            let f = line.split(separator: ":", omittingEmptySubsequences: false)
            guard f.count > 3 else { continue }
            if f[2] == entry[3] || f[3].split(separator: ",").contains(Substring(user)) { result.append(String(f[0])) }
        }
        return result
    }
}
