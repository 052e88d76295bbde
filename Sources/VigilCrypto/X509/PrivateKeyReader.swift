import COpenSSL

/// One private key found in a file: where (PEM line, 0 for DER), what it is (nil when
/// encrypted and its kind cannot be read without the passphrase), its format, and
/// whether it is encrypted.
struct PrivateKeyEntry: Sendable, Equatable {
    var line: Int
    var key: KeyInfo?
    var format: String
    var encrypted: Bool
    /// The type the PEM label names when the key itself is unreadable (`rsa` for an
    /// encrypted `RSA PRIVATE KEY`).
    var typeHint: String?
}

/// Reads private key files without ever asking for a passphrase: PEM blocks are decoded
/// by Vigil and given to libcrypto as DER (`d2i_AutoPrivateKey_ex`, Vigil's library
/// context), which has no password callback. Formats: PKCS#8 (`PRIVATE KEY`), PKCS#1
/// (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`), `DSA PRIVATE KEY`, DER of those, and
/// OpenSSH's own format (its public part is in clear). Encrypted PKCS#8 and legacy
/// `Proc-Type: 4,ENCRYPTED` keys are reported as encrypted, with the label's type if any.
enum PrivateKeyReader {
    private static let formats = ["PRIVATE KEY": "PKCS#8", "RSA PRIVATE KEY": "PKCS#1", "EC PRIVATE KEY": "SEC1", "DSA PRIVATE KEY": "DSA"]
    private static let legacyTypes = ["RSA PRIVATE KEY": "rsa", "EC PRIVATE KEY": "ec", "DSA PRIVATE KEY": "dsa"]

    /// The keys of `bytes`, the problems ("line N: what"), and whether it held key content.
    static func read(_ bytes: [UInt8]) -> (keys: [PrivateKeyEntry], problems: [String], hadContent: Bool) {
        guard PEMScanner.looksLikePEM(bytes) else {
            guard let entry = der(bytes, line: 0, format: "DER") else { return ([], [], false) }
            return ([entry], [], true)
        }
        let (blocks, pemProblems) = PEMScanner.blocks(bytes)
        var problems = pemProblems.filter { $0.contains("PRIVATE KEY") }
        var keys: [PrivateKeyEntry] = []
        for b in blocks where b.label.hasSuffix("PRIVATE KEY") {
            if let entry = block(b) { keys.append(entry) } else { problems.append("line \(b.line): '\(b.label)' block is not a readable key") }
        }
        return (keys, problems, !keys.isEmpty || !problems.isEmpty)
    }

    private static func block(_ b: PEMBlock) -> PrivateKeyEntry? {
        switch b.label {
        case "OPENSSH PRIVATE KEY":
            guard case .success(let k) = SSHKeyFile.privateKey(b.der) else { return nil }
            return PrivateKeyEntry(line: b.line, key: k.key, format: "OpenSSH", encrypted: k.encrypted)
        case "ENCRYPTED PRIVATE KEY":
            return PrivateKeyEntry(line: b.line, key: nil, format: "PKCS#8", encrypted: true)
        default:
            if b.isLegacyEncrypted {
                return PrivateKeyEntry(line: b.line, key: nil, format: "PEM", encrypted: true, typeHint: legacyTypes[b.label])
            }
            return der(b.der, line: b.line, format: formats[b.label] ?? b.label)
        }
    }

    /// A DER private key (PKCS#8, or a traditional RSA/EC/DSA one), or an encrypted PKCS#8
    /// `EncryptedPrivateKeyInfo`; nil when it is neither.
    private static func der(_ bytes: [UInt8], line: Int, format: String) -> PrivateKeyEntry? {
        defer { OpenSSLText.clearErrors() }
        return bytes.withUnsafeBufferPointer { buf -> PrivateKeyEntry? in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            if let pkey = d2i_AutoPrivateKey_ex(nil, &p, buf.count, CryptoLibraryContext.shared.libctx, nil) {
                defer { EVP_PKEY_free(pkey) }
                return PrivateKeyEntry(line: line, key: KeyInfo(pkey: pkey), format: format, encrypted: false)
            }
            p = buf.baseAddress
            if let sig = d2i_X509_SIG(nil, &p, buf.count) {
                X509_SIG_free(sig)
                return PrivateKeyEntry(line: line, key: nil, format: "PKCS#8 DER", encrypted: true)
            }
            return nil
        }
    }
}
