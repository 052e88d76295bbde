import Foundation

/// OpenSSH's patterns (match.c): `*` and `?` wildcards, comma-separated lists whose
/// entries may be negated with `!`, and address lists with CIDR entries (addrmatch.c).
enum SSHPattern {
    /// Whether `s` matches the wildcard `pattern` (`*` any run, `?` one character).
    static func match(_ s: String, _ pattern: String) -> Bool {
        let str = Array(s.utf8), pat = Array(pattern.utf8)
        var si = 0, pi = 0, starP = -1, starS = 0
        while si < str.count {
            if pi < pat.count, pat[pi] == UInt8(ascii: "?") || pat[pi] == str[si] {
                si += 1; pi += 1
            } else if pi < pat.count, pat[pi] == UInt8(ascii: "*") {
                starP = pi; starS = si; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starS += 1; si = starS
            } else {
                return false
            }
        }
        while pi < pat.count, pat[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == pat.count
    }

    /// `match_pattern_list`: 1 when a positive entry matches and no negated one does, -1
    /// when a negated entry matches, 0 otherwise. `lowercase` folds `s` (host names).
    static func matchList(_ s: String, _ patterns: [String], lowercase: Bool = false) -> Int {
        let subject = lowercase ? s.lowercased() : s
        var positive = false
        for p in patterns where !p.isEmpty {
            let negated = p.hasPrefix("!")
            let body = negated ? String(p.dropFirst()) : p
            if match(subject, lowercase ? body.lowercased() : body) {
                if negated { return -1 }
                positive = true
            }
        }
        return positive ? 1 : 0
    }

    /// `match_pattern_list` over a comma-separated list.
    static func matchList(_ s: String, _ list: String, lowercase: Bool = false) -> Int {
        matchList(s, list.split(separator: ",").map(String.init), lowercase: lowercase)
    }

    /// `addr_match_list`: entries are wildcard patterns or CIDR blocks, `!` negates.
    /// 1 match, 0 none, -1 a negated entry matched; nil when a CIDR entry is malformed.
    static func addressMatch(_ address: String, _ list: String) -> Int? {
        var positive = false
        for raw in list.split(separator: ",").map(String.init) where !raw.isEmpty {
            let negated = raw.hasPrefix("!")
            let entry = negated ? String(raw.dropFirst()) : raw
            let hit: Bool
            if entry.contains("/") {
                guard let h = cidrContains(entry, address) else { return nil }
                hit = h
            } else {
                hit = match(address.lowercased(), entry.lowercased())
            }
            if hit {
                if negated { return -1 }
                positive = true
            }
        }
        return positive ? 1 : 0
    }

    /// Whether `address` lies in `cidr`; nil when `cidr` is malformed.
    static func cidrContains(_ cidr: String, _ address: String) -> Bool? {
        let parts = cidr.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let net = bytes(of: String(parts[0])), let bits = Int(parts[1]),
              bits >= 0, bits <= net.count * 8 else { return nil }
        guard let addr = bytes(of: address), addr.count == net.count else { return false }
        for i in 0..<net.count {
            let take = min(8, max(0, bits - i * 8))
            let mask: UInt8 = take == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if addr[i] & mask != net[i] & mask { return false }
        }
        return true
    }

    /// The bytes of an IPv4 or IPv6 address literal.
    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
