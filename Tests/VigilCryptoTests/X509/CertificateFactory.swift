import COpenSSL
import Foundation
import XCTest
@testable import VigilCrypto

/// Builds fresh keys and certificates for the tests through libcrypto (Vigil's library
/// context), and runs the `openssl` and `ssh-keygen` tools where a file format is easier
/// to get from them. Every fixture is made at test time, with dates relative to now.
enum CertificateFactory {
    /// A new key: "RSA" with `bits`, "EC" with `curve` (OpenSSL's name), "ED25519".
    static func key(_ type: String, bits: Int = 2048, curve: String = "P-256") -> OpaquePointer {
        let ctx = EVP_PKEY_CTX_new_from_name(CryptoLibraryContext.shared.libctx, type, nil)!
        defer { EVP_PKEY_CTX_free(ctx) }
        precondition(EVP_PKEY_keygen_init(ctx) == 1)
        if type == "RSA" { precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, Int32(bits)) == 1) }
        if type == "EC" { precondition(EVP_PKEY_CTX_set_group_name(ctx, curve) == 1) }
        var pkey: OpaquePointer?
        precondition(EVP_PKEY_generate(ctx, &pkey) == 1)
        return pkey!
    }

    /// A certificate for `key`, DER. Self-signed unless `issuerKey`/`issuerCN` are given;
    /// `digest` nil for Ed25519. Validity from now + `fromDays` to now + `toDays`.
    static func certificate(cn: String, key: OpaquePointer, digest: String? = "SHA256",
                            issuerCN: String? = nil, issuerKey: OpaquePointer? = nil,
                            fromDays: Double = -1, toDays: Double = 365, serial: Int = 1) -> [UInt8] {
        let x = X509_new_ex(CryptoLibraryContext.shared.libctx, nil)!
        defer { X509_free(x) }
        X509_set_version(x, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(x), serial)
        X509_time_adj_ex(X509_getm_notBefore(x), 0, Int(fromDays * 86400), nil)
        X509_time_adj_ex(X509_getm_notAfter(x), 0, Int(toDays * 86400), nil)
        X509_set_subject_name(x, name(cn))
        X509_set_issuer_name(x, name(issuerCN ?? cn))
        X509_set_pubkey(x, key)
        let md = digest.flatMap { EVP_MD_fetch(CryptoLibraryContext.shared.libctx, $0, nil) }
        defer { if let md { EVP_MD_free(md) } }
        precondition(X509_sign(x, issuerKey ?? key, md) > 0, "signing failed")
        var out: UnsafeMutablePointer<UInt8>?
        let len = i2d_X509(x, &out)
        defer { CRYPTO_free(out, nil, 0) }
        return Array(UnsafeBufferPointer(start: out, count: Int(len)))
    }

    private static func name(_ cn: String) -> OpaquePointer {
        let n = X509_NAME_new()!
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, cn, -1, -1, 0)
        return n
    }

    /// DER as a PEM block.
    static func pem(_ der: [UInt8], label: String = "CERTIFICATE") -> String {
        let b64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(b64)\n-----END \(label)-----\n"
    }

    /// A private key as PKCS#8 DER.
    static func privateKeyDER(_ key: OpaquePointer) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        let len = i2d_PrivateKey(key, &out)
        defer { CRYPTO_free(out, nil, 0) }
        return Array(UnsafeBufferPointer(start: out, count: Int(len)))
    }

    /// Runs a tool with no standard input (a prompt would fail, not hang); returns its output.
    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw NSError(domain: tool, code: Int(p.terminationStatus)) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A temporary directory used as an offline root (`--root`), removed after the test.
final class TempRoot {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-x509-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` at `relative` (an absolute path inside the root), creating directories.
    func write(_ relative: String, _ bytes: [UInt8]) throws {
        let full = path + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    func write(_ relative: String, _ text: String) throws { try write(relative, Array(text.utf8)) }

    /// The host path of `relative`.
    func host(_ relative: String) -> String { path + relative }
}
