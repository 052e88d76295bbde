import COpenSSL
import Foundation

/// SHA-256 for layer digests from VigilImage's own OpenSSL library context (the built-in
/// default provider, no configuration read), so the host's `openssl.cnf` (a FIPS default,
/// a broken provider) cannot change or break it. The same idea as VigilCrypto's
/// `CryptoLibraryContext`, which VigilImage does not depend on.
final class LayerDigestContext: @unchecked Sendable {
    /// The one context of the process.
    static let shared = LayerDigestContext()

    /// The fetched `EVP_MD *` for SHA2-256 (kept for the life of the process), nil when
    /// OpenSSL could not provide it.
    let sha256: OpaquePointer?

    private init() {
        guard let ctx = OSSL_LIB_CTX_new() else {
            sha256 = nil
            return
        }
        if OSSL_PROVIDER_load(ctx, "default") == nil {
            OSSL_LIB_CTX_free(ctx)
            ERR_clear_error()
            sha256 = nil
            return
        }
        sha256 = EVP_MD_fetch(ctx, "SHA2-256", nil)
        if sha256 == nil { ERR_clear_error() }
    }
}

/// A running SHA-256 over bytes fed in chunks; `finish()` gives `sha256:<hex>`.
final class SHA256Hasher {
    private let ctx: OpaquePointer

    init() throws {
        guard let md = LayerDigestContext.shared.sha256, let ctx = EVP_MD_CTX_new() else {
            throw LayerFault("OpenSSL cannot compute SHA-256 (default provider unavailable)")
        }
        self.ctx = ctx
        guard EVP_DigestInit_ex2(ctx, md, nil) == 1 else {
            ERR_clear_error()
            throw LayerFault("OpenSSL cannot start a SHA-256 digest")
        }
    }

    deinit { EVP_MD_CTX_free(ctx) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        EVP_DigestUpdate(ctx, base, bytes.count)
    }

    /// The digest of everything fed, as `sha256:<lowercase hex>`.
    func finish() -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(ctx, &out, &length)
        return "sha256:" + hexString(out.prefix(Int(length)))
    }
}

/// What a digest string like `sha256:<hex>` (OCI's spelling) must be to be checked.
enum LayerDigestSpelling {
    /// Checks that `digest` is `sha256:` and 64 hex digits; returns it in lower case.
    static func validated(_ digest: String) throws -> String {
        guard let colon = digest.firstIndex(of: ":") else {
            throw LayerFault("malformed digest '\(digest)' (expected 'sha256:<hex>')")
        }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...].lowercased()
        guard algorithm == "sha256" else {
            throw LayerFault("unsupported digest algorithm '\(algorithm)' in '\(digest)' (only sha256 is supported)")
        }
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw LayerFault("malformed digest '\(digest)' (sha256 takes 64 hex digits)")
        }
        return "sha256:" + hex
    }
}

/// Lowercase hex of `bytes`.
func hexString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
}
