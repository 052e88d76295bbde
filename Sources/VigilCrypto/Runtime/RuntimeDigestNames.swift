/// The digests the runtime probe tries, by OpenSSL's canonical names, with the other names
/// OpenSSL 3 accepts for each (case-insensitive). A rule may use any of them; the probe runs
/// once per scan with every canonical name, so each rule reads the same answer.
enum RuntimeDigestNames {
    /// Canonical name → every name OpenSSL 3 fetches it by.
    static let aliases: [(canonical: String, names: [String])] = [
        ("MD4", ["MD4"]),
        ("MD5", ["MD5", "SSL3-MD5"]),
        ("MD5-SHA1", ["MD5-SHA1"]),
        ("RIPEMD-160", ["RIPEMD-160", "RIPEMD160", "RIPEMD", "RMD160"]),
        ("WHIRLPOOL", ["WHIRLPOOL"]),
        ("SM3", ["SM3"]),
        ("SHA1", ["SHA1", "SHA-1", "SSL3-SHA1"]),
        ("SHA2-224", ["SHA2-224", "SHA-224", "SHA224"]),
        ("SHA2-256", ["SHA2-256", "SHA-256", "SHA256"]),
        ("SHA2-384", ["SHA2-384", "SHA-384", "SHA384"]),
        ("SHA2-512", ["SHA2-512", "SHA-512", "SHA512"]),
        ("SHA2-512/224", ["SHA2-512/224", "SHA-512/224", "SHA512-224"]),
        ("SHA2-512/256", ["SHA2-512/256", "SHA-512/256", "SHA512-256"]),
        ("SHA3-224", ["SHA3-224"]),
        ("SHA3-256", ["SHA3-256"]),
        ("SHA3-384", ["SHA3-384"]),
        ("SHA3-512", ["SHA3-512"]),
        ("SHAKE-128", ["SHAKE-128", "SHAKE128"]),
        ("SHAKE-256", ["SHAKE-256", "SHAKE256"]),
        ("BLAKE2S-256", ["BLAKE2S-256", "BLAKE2S256"]),
        ("BLAKE2B-512", ["BLAKE2B-512", "BLAKE2B512"]),
    ]

    /// The canonical names, in the order the probe reports them.
    static var canonical: [String] { aliases.map(\.canonical) }

    /// The canonical name of `name`, or nil when OpenSSL 3 has no digest by that name.
    static func canonical(_ name: String) -> String? {
        let upper = name.uppercased()
        return aliases.first { $0.names.contains(upper) }?.canonical
    }
}
