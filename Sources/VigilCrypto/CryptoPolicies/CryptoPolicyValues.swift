import Foundation

/// The effective values of a policy with its sub-policies, for each back-end that
/// crypto-policies configures (each asks for its own set of scopes).
struct CryptoPolicyValues: Sendable {
    let directives: [CryptoPolicyDirective]

    /// The scopes each back-end generator of crypto-policies asks for.
    static let backendScopes: [(backend: String, scopes: [String])] = [
        ("bind", ["bind", "dnssec"]), ("gnutls", ["gnutls", "tls", "ssl"]), ("java-tls", ["java-tls", "tls", "ssl"]),
        ("krb5", ["krb5", "kerberos"]), ("libreswan", ["ipsec", "ike", "libreswan"]), ("libssh", ["libssh", "openssh", "ssh"]),
        ("nss", ["nss", "tls", "ssl"]), ("openssh-client", ["openssh-client", "openssh", "ssh"]),
        ("openssh-server", ["openssh-server", "openssh", "ssh"]), ("openssl", ["openssl", "tls", "ssl"]),
        ("sequoia", ["sequoia"]), ("rpm", ["rpm", "rpm-sequoia"]),
    ]

    /// Names that stand for SHA-1 in `hash` and `sign` (part of the wildcards' universe).
    static let sha1Names = ["SHA1", "RSA-SHA1", "DSA-SHA1", "ECDSA-SHA1", "RSA-PSS-SHA1", "RSA-PSS-RSAE-SHA1"]

    /// Whether a `hash` or `sign` entry is SHA-1.
    static func isSHA1(_ name: String) -> Bool {
        name.uppercased().split(separator: "-").contains("SHA1")
    }

    /// The list `key` for each back-end.
    func lists(_ key: String) -> [(backend: String, list: CryptoPolicyList)] {
        let own = directives.filter { $0.key == key }
        let universe = Set(Self.sha1Names + own.flatMap { $0.values.map(\.1) }.filter { !$0.contains("*") && !$0.contains("?") }).sorted()
        // Each wildcard expanded once, for every back-end.
        var expansions: [String: [String]] = [:]
        for d in own { for (_, v) in d.values where (v.contains("*") || v.contains("?")) && expansions[v] == nil {
            expansions[v] = universe.filter { fnmatch(v, $0, 0) == 0 }
        } }
        return Self.backendScopes.map { backend, scopes in
            var l = CryptoPolicyList()
            for d in own where d.scope.matches(scopes) { l.apply(d) { expansions[$0] ?? [$0] } }
            return (backend, l)
        }
    }

    /// The scalar `key` for each back-end: the last value set, with its place (nil: never set).
    func scalars(_ key: String) -> [(backend: String, value: (text: String, place: String)?)] {
        let own = directives.filter { $0.key == key && $0.isSet && !$0.values.isEmpty }
        return Self.backendScopes.map { backend, scopes in
            (backend, own.last { $0.scope.matches(scopes) }.map { ($0.values.last!.1, $0.place) })
        }
    }

    /// Groups per-back-end findings that come from the same place: each with the back-ends
    /// it concerns, "" when it concerns every back-end.
    static func grouped<T: Hashable>(_ items: [(backend: String, item: T)]) -> [(item: T, label: String)] {
        var order: [T] = [], by: [T: [String]] = [:]
        for (b, i) in items {
            if by[i] == nil { order.append(i) }
            by[i, default: []].append(b)
        }
        return order.map { i in (i, by[i]!.count == backendScopes.count ? "" : "@" + by[i]!.joined(separator: ",")) }
    }
}
