/// The algorithm-list keywords and how OpenSSH turns their value into the effective list:
/// a plain list replaces the compiled-in default, `+list` appends to it, `-list` removes
/// the entries matching its patterns, `^list` puts the list first; plain, `+` and `^` lists
/// may hold wildcards, expanded against the names the release knows (kex.c,
/// `kex_assemble_names`). Names are case-sensitive.
public enum SSHAlgorithmKind: String, Sendable, CaseIterable {
    case cipher, mac, kex, key, signature

    /// The kind of a keyword's value, or nil when the keyword is not an algorithm list.
    static func of(keyword: String) -> SSHAlgorithmKind? {
        switch keyword {
        case "ciphers": return .cipher
        case "macs": return .mac
        case "kexalgorithms": return .kex
        case "hostkeyalgorithms", "pubkeyacceptedalgorithms", "hostbasedacceptedalgorithms": return .key
        case "casignaturealgorithms": return .signature
        default: return nil
        }
    }

    /// Whether the names may be patterns at parse time (sshkey_names_valid2 allows them;
    /// ciphers_valid, mac_valid and kex_names_valid do not).
    var allowsWildcards: Bool { self == .key || self == .signature }

    /// The compiled-in default of release `v`, for the server or the client.
    func defaults(_ v: OpenSSHVersion, server: Bool) -> [String] {
        typealias T = OpenSSHAlgorithmTable
        switch self {
        case .cipher: return T.row(T.cipher, v)
        case .mac: return T.row(T.mac, v)
        case .kex:
            let list = T.row(server ? T.serverKex : T.clientKex, v)
            return T.debianSntrup(v) ? ["sntrup761x25519-sha512"] + list : list
        case .key: return T.row(T.key, v)
        case .signature: return T.row(T.signature, v)
        }
    }

    /// Every name release `v` knows for this kind.
    func known(_ v: OpenSSHVersion) -> [String] {
        typealias T = OpenSSHAlgorithmTable
        func names(_ s: String) -> [String] { s.split(separator: ",").map(String.init) }
        switch self {
        case .cipher: return names(T.allCiphers)
        case .mac: return names(T.allMACs)
        case .kex:
            var k = names(T.allKexBase)
            if !v.atLeast((8, 5)) { k.append("sntrup4591761x25519-sha512@tinyssh.org") }
            if v.atLeast((8, 5)) { k.append("sntrup761x25519-sha512@openssh.com") }
            if v.atLeast((9, 9)) || T.debianSntrup(v) { k.append("sntrup761x25519-sha512") }
            if v.atLeast((9, 9)) { k.append("mlkem768x25519-sha256") }
            return k
        case .key:
            let k = names(T.allKeysBase)
            return v.atLeast((10, 0)) ? k : k + ["ssh-dss", "ssh-dss-cert-v01@openssh.com"]
        case .signature:
            let k = names(T.allSignaturesBase)
            return v.atLeast((10, 0)) ? k : k + ["ssh-dss"]
        }
    }

    /// The effective list for the keyword's value `spec` (nil: not set, the default), or
    /// the reason OpenSSH refuses it.
    func effective(_ spec: String?, version v: OpenSSHVersion, server: Bool) -> Result<[String], SSHConfigProblem> {
        let def = defaults(v, server: server)
        guard let spec, !spec.isEmpty else { return .success(def) }
        let all = known(v)
        let first = spec.first!
        let body = "+-^".contains(first) ? String(spec.dropFirst()) : spec
        let items = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if first == "-" {
            return .success(def.filter { SSHPattern.matchList($0, items) != 1 })
        }
        for item in items {
            if item.isEmpty || item.hasPrefix("!") { return .failure(.invalidValue("'\(item)' is not a \(rawValue) name")) }
            let ok = allowsWildcards ? all.contains { SSHPattern.match($0, item) } : all.contains(item)
            if !ok { return .failure(.invalidValue("unknown \(rawValue) '\(item)' for \(v)")) }
        }
        let ordered: [String] = first == "+" ? def + items : first == "^" ? items + def : items
        var result: [String] = []
        for pattern in ordered {
            for name in all where SSHPattern.match(name, pattern) && !result.contains(name) { result.append(name) }
        }
        if result.isEmpty { return .failure(.invalidValue("'\(spec)' leaves no \(rawValue) algorithm")) }
        return .success(result)
    }
}
