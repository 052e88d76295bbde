/// Reads OpenSSH public keys in the SSH wire format (RFC 4253 §6.6, RFC 5656, RFC 8709,
/// OpenSSH's PROTOCOL.certkeys and PROTOCOL.u2f): the type, then its fields as `string`s
/// and `mpint`s, each prefixed by a 32-bit big-endian length.
enum SSHWireKey {
    /// What the blob holds (its type as OpenSSH names it, and the key), or why it cannot be read.
    static func parse(_ blob: [UInt8]) -> Result<(sshType: String, key: KeyInfo), SSHKeyError> {
        var r = SSHWireReader(blob)
        guard let typeBytes = r.string() else { return .failure(SSHKeyError("empty or truncated key blob")) }
        let sshType = String(decoding: typeBytes, as: UTF8.self)
        var base = sshType
        if base.hasSuffix("-cert-v01@openssh.com") {
            base = String(base.dropLast("-cert-v01@openssh.com".count))
            guard r.string() != nil else { return .failure(SSHKeyError("\(sshType): truncated certificate nonce")) }
        }
        guard let key = fields(base, &r) else { return .failure(SSHKeyError("\(sshType): truncated or malformed key")) }
        return .success((sshType, key))
    }

    /// The key fields of a plain (non-certificate) key of type `base`.
    private static func fields(_ base: String, _ r: inout SSHWireReader) -> KeyInfo? {
        switch base {
        case "ssh-rsa":
            guard let e = r.string(), let n = r.string() else { return nil }
            let bits = mpintBits(n)
            return SSHKeyStrength.key("RSA", [("n", n), ("e", e)])
                ?? KeyInfo(type: "rsa", bits: bits, securityBits: KeyInfo.finiteFieldSecurityBits(bits))
        case "ssh-dss":
            guard let p = r.string(), let q = r.string(), let g = r.string(), let y = r.string() else { return nil }
            let bits = mpintBits(p)
            return SSHKeyStrength.key("DSA", [("p", p), ("q", q), ("g", g), ("pub", y)])
                ?? KeyInfo(type: "dsa", bits: bits, securityBits: KeyInfo.finiteFieldSecurityBits(bits))
        case "ssh-ed25519", "sk-ssh-ed25519@openssh.com":
            guard let pk = r.string(), pk.count == 32 else { return nil }
            return KeyInfo(type: "ed25519", bits: 256, securityBits: 128)
        default:
            guard base.hasPrefix("ecdsa-sha2-") || base.hasPrefix("sk-ecdsa-sha2-") else {
                return KeyInfo(type: "unknown:" + base, bits: 0, securityBits: 0)
            }
            guard let curveBytes = r.string(), let q = r.string(), q.first == 0x04 else { return nil }
            let curve = KeyInfo.canonicalCurve(String(decoding: curveBytes, as: UTF8.self))
            let (bits, strength): (Int, Int) = switch curve {
            case "P-256": (256, 128)
            case "P-384": (384, 192)
            case "P-521": (521, 256)
            default: (0, 0)
            }
            guard bits == 0 || q.count == 1 + 2 * ((bits + 7) / 8) else { return nil }
            return KeyInfo(type: "ec", bits: bits, securityBits: strength, curve: curve)
        }
    }

    /// The size in bits of a non-negative `mpint` (leading zero bytes ignored).
    static func mpintBits(_ bytes: ArraySlice<UInt8>) -> Int {
        guard let first = bytes.firstIndex(where: { $0 != 0 }) else { return 0 }
        let significant = bytes.endIndex - first
        return (significant - 1) * 8 + (8 - bytes[first].leadingZeroBitCount)
    }
}

/// A cursor over SSH wire data.
struct SSHWireReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset >= bytes.count }

    mutating func uint32() -> UInt32? {
        guard offset + 4 <= bytes.count else { return nil }
        let v = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return v
    }

    /// A length-prefixed `string`, nil when it runs past the end.
    mutating func string() -> ArraySlice<UInt8>? {
        guard let n = uint32(), Int(n) <= bytes.count - offset else { return nil }
        defer { offset += Int(n) }
        return bytes[offset..<offset + Int(n)]
    }
}

/// Why an SSH key file or blob cannot be read.
struct SSHKeyError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
