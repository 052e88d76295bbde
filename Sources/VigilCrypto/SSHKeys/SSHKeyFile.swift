import Foundation

/// One key found in an SSH key file: its line (public key files) or 0, OpenSSH's type
/// name, the key, and whether the file's private part is encrypted (OpenSSH private keys).
struct SSHKeyEntry: Sendable, Equatable {
    var line: Int
    var sshType: String
    var key: KeyInfo
    var encrypted: Bool
}

/// Reads OpenSSH key files: public keys (`ssh_host_rsa_key.pub`: "TYPE BASE64 [COMMENT]"
/// per line) and OpenSSH private keys (`-----BEGIN OPENSSH PRIVATE KEY-----`, format
/// `openssh-key-v1`), whose public key is stored in clear even when the private part is
/// encrypted, so an encrypted key is judged without its passphrase.
enum SSHKeyFile {
    private static let privateMagic = Array("openssh-key-v1\u{0}".utf8)

    /// The keys of `bytes`, and the problems (each "line N: what").
    static func read(_ bytes: [UInt8]) -> (keys: [SSHKeyEntry], problems: [String]) {
        if PEMScanner.looksLikePEM(bytes) {
            let (blocks, problems) = PEMScanner.blocks(bytes)
            var keys: [SSHKeyEntry] = []
            var out = problems
            for b in blocks where b.label == "OPENSSH PRIVATE KEY" {
                switch privateKey(b.der) {
                case .success(let k): keys.append(k)
                case .failure(let e): out.append("line \(b.line): \(e)")
                }
            }
            return (keys, out)
        }
        return publicKeys(String(decoding: bytes, as: UTF8.self))
    }

    /// The keys of an OpenSSH public key file.
    static func publicKeys(_ text: String) -> (keys: [SSHKeyEntry], problems: [String]) {
        var keys: [SSHKeyEntry] = []
        var problems: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let blob = Base64.decode(Array(fields[1].utf8)) else {
                problems.append("line \(i + 1): not an OpenSSH public key")
                continue
            }
            switch SSHWireKey.parse(blob) {
            case .failure(let e): problems.append("line \(i + 1): \(e)")
            case .success(let (sshType, key)) where sshType != fields[0]:
                problems.append("line \(i + 1): key says \(sshType), line says \(fields[0]) (\(key.summary))")
            case .success(let (sshType, key)):
                keys.append(SSHKeyEntry(line: i + 1, sshType: sshType, key: key, encrypted: false))
            }
        }
        return (keys, problems)
    }

    /// The public key stored in an `openssh-key-v1` container (PROTOCOL.key).
    static func privateKey(_ data: [UInt8]) -> Result<SSHKeyEntry, SSHKeyError> {
        guard data.starts(with: privateMagic) else { return .failure(SSHKeyError("not an openssh-key-v1 private key")) }
        var r = SSHWireReader(data)
        r.offset = privateMagic.count
        guard let cipher = r.string(), r.string() != nil, r.string() != nil, let count = r.uint32(), count >= 1,
              let blob = r.string() else {
            return .failure(SSHKeyError("truncated OpenSSH private key"))
        }
        let encrypted = String(decoding: cipher, as: UTF8.self) != "none"
        return SSHWireKey.parse(Array(blob)).map { SSHKeyEntry(line: 0, sshType: $0.sshType, key: $0.key, encrypted: encrypted) }
    }
}
