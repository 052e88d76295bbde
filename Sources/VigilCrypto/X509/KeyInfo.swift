/// What a public key is, as certificate, private-key and SSH host-key checks judge it:
/// its type (`rsa`, `rsa-pss`, `ec`, `ed25519`, `ed448`, `dsa`, or `unknown:...`), its size
/// in bits, its security strength in bits (NIST SP 800-57) and, for EC keys, its curve
/// (`P-256`, `P-384`, `P-521` for the NIST curves, else OpenSSL's name, e.g. `secp256k1`).
public struct KeyInfo: Sendable, Equatable {
    public var type: String
    public var bits: Int
    public var securityBits: Int
    public var curve: String?

    public init(type: String, bits: Int, securityBits: Int, curve: String? = nil) {
        self.type = type
        self.bits = bits
        self.securityBits = securityBits
        self.curve = curve
    }

    /// "RSA 2048", "EC P-256", "ED25519".
    public var summary: String {
        switch type {
        case "ec": return "EC \(curve ?? "?")"
        case "ed25519", "ed448": return type.uppercased()
        default: return "\(type.uppercased()) \(bits)"
        }
    }

    /// The strength of an RSA, DSA or DH key of `bits` by SP 800-57 part 1, table 2: only
    /// where libcrypto refuses a key's numbers (`SSHKeyStrength`), which rates sizes between
    /// the table's rows higher (RSA 4096: 152).
    public static func finiteFieldSecurityBits(_ bits: Int) -> Int {
        switch bits {
        case 15360...: return 256
        case 7680...: return 192
        case 3072...: return 128
        case 2048...: return 112
        case 1024...: return 80
        default: return 0
        }
    }

    /// The canonical name of a curve given as OpenSSL (`prime256v1`, `secp384r1`), NIST
    /// (`P-256`) or OpenSSH (`nistp256`) spells it; other names are kept, lowercased.
    public static func canonicalCurve(_ name: String) -> String {
        switch name.lowercased() {
        case "prime256v1", "secp256r1", "p-256", "p256", "nistp256": return "P-256"
        case "secp384r1", "p-384", "p384", "nistp384": return "P-384"
        case "secp521r1", "p-521", "p521", "nistp521": return "P-521"
        case "secp224r1", "p-224", "p224", "nistp224": return "P-224"
        default: return name.lowercased()
        }
    }

    /// The canonical key type of a name as OpenSSL (`RSA`, `EC`, `ED25519`) or OpenSSH
    /// (`ssh-rsa`, `ssh-dss`, `ecdsa-sha2-nistp256`, `ssh-ed25519`) spells it.
    public static func canonicalType(_ name: String) -> String {
        let n = name.lowercased()
        switch n {
        case "ssh-rsa", "rsa", "rsaencryption": return "rsa"
        case "ssh-dss", "dsa", "dss": return "dsa"
        case "ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ed25519": return "ed25519"
        case "ssh-ed448", "ed448": return "ed448"
        case "ecdsa", "ec", "id-ecpublickey": return "ec"
        default:
            if n.hasPrefix("ecdsa-sha2-") || n.hasPrefix("sk-ecdsa-sha2-") { return "ec" }
            return n
        }
    }
}

/// What a key must be, as a rule's parameters say: `min_rsa_bits` (RSA and DSA moduli),
/// `allowed_curves`, `min_security_bits`, `allowed_key_types`, `forbidden_key_types`.
/// Shared by the `x509`, `private_key` and `ssh_host_keys` kinds.
struct KeyPolicy: Sendable, Equatable {
    static let parameterNames = ["min_rsa_bits", "allowed_curves", "min_security_bits", "allowed_key_types", "forbidden_key_types"]

    var minRSABits: Int?
    var allowedCurves: Set<String>?
    var minSecurityBits: Int?
    var allowedTypes: Set<String>?
    var forbiddenTypes: Set<String> = []

    init(_ p: NativeParameters) throws {
        minRSABits = try p.integer("min_rsa_bits")
        minSecurityBits = try p.integer("min_security_bits")
        allowedCurves = p.strings("allowed_curves").map { Set(Self.split($0).map(KeyInfo.canonicalCurve)) }
        allowedTypes = p.strings("allowed_key_types").map { Set(Self.split($0).map(KeyInfo.canonicalType)) }
        forbiddenTypes = Set(Self.split(p.strings("forbidden_key_types") ?? []).map(KeyInfo.canonicalType))
    }

    /// Whether any key criterion is set.
    var isEmpty: Bool {
        minRSABits == nil && allowedCurves == nil && minSecurityBits == nil && allowedTypes == nil && forbiddenTypes.isEmpty
    }

    /// Why `key` does not meet the policy ("RSA 1024 < 2048"), empty when it does.
    func violations(_ key: KeyInfo) -> [String] {
        // A key that cannot be read (an unknown algorithm, a broken encoding) meets no criterion.
        if key.type.hasPrefix("unknown") { return ["key \(key.type) cannot be read, so it meets no key criterion"] }
        var out = typeViolations(key.type, shown: key.summary)
        if let min = minRSABits, key.type == "rsa" || key.type == "rsa-pss" || key.type == "dsa", key.bits < min {
            out.append("\(key.summary) < \(min)")
        }
        if let curves = allowedCurves, key.type == "ec", !curves.contains(key.curve ?? "") {
            out.append("\(key.summary): curve not in \(curves.sorted().joined(separator: ", "))")
        }
        if let min = minSecurityBits, key.securityBits < min {
            out.append("\(key.summary): \(key.securityBits)-bit security < \(min)")
        }
        return out
    }

    /// Why a key of `type` fails `allowed_key_types`/`forbidden_key_types` (all a key whose
    /// size is unreadable, such as an encrypted one, can be judged by).
    func typeViolations(_ type: String, shown: String) -> [String] {
        var out: [String] = []
        if forbiddenTypes.contains(type) { out.append("\(shown): type \(type) is forbidden") }
        if let allowed = allowedTypes, !allowed.contains(type) { out.append("\(shown): type \(type) not allowed") }
        return out
    }

    /// Values given as a list, or as one string of names separated by commas or blanks
    /// (a `${value}` substituted from the benchmark).
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) }
    }
}
