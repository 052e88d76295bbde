import COpenSSL
import Foundation

/// Vigil's own OpenSSL library context: the built-in default provider loaded explicitly,
/// no configuration read. Algorithms fetched here work whatever the scanning host's
/// `openssl.cnf` or `OPENSSL_CONF` says (`default_properties = fips=yes`, a FIPS provider
/// that fails its self-test, a missing module), because OpenSSL's default context, which
/// reads that configuration, is never used for algorithms.
///
/// Pass `libctx` to the `_ex` functions (`X509_new_ex`, `d2i_..._ex`,
/// `PEM_read_bio_..._ex`, `EVP_PKEY_CTX_new_from_name`); fetch digests with `digest(name:)`.
public final class CryptoLibraryContext: @unchecked Sendable {
    /// The one context of the process.
    public static let shared = CryptoLibraryContext()

    /// The `OSSL_LIB_CTX *`; nil only if OpenSSL could not allocate it.
    public let libctx: OpaquePointer?
    private let lock = NSLock()
    private var digests: [String: OpaquePointer] = [:]

    private init() {
        let ctx = OSSL_LIB_CTX_new()
        if let ctx, OSSL_PROVIDER_load(ctx, "default") == nil {
            OSSL_LIB_CTX_free(ctx)
            libctx = nil
        } else {
            libctx = ctx
        }
    }

    /// The `EVP_MD *` named `name` (any OpenSSL name: "SHA2-256", "SHA-256", "SHA256",
    /// "MD5", ...), fetched once and kept for the life of the process (never free it), or
    /// nil when the default provider has no such digest.
    public func digest(name: String) -> OpaquePointer? {
        lock.lock()
        defer { lock.unlock() }
        if let md = digests[name] { return md }
        guard let libctx, let md = EVP_MD_fetch(libctx, name, nil) else {
            ERR_clear_error()
            return nil
        }
        digests[name] = md
        return md
    }

    /// The digest of `bytes` with the digest named `name`, or nil when there is no such digest.
    public func hash(_ name: String, _ bytes: [UInt8]) -> [UInt8]? {
        guard let md = digest(name: name) else { return nil }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(bytes, bytes.count, &out, &length, md, nil) == 1 else {
            ERR_clear_error()
            return nil
        }
        return Array(out.prefix(Int(length)))
    }

    /// HMAC of `data` with `key` and the digest `digest` ("SHA256"), or nil on failure.
    public func hmac(digest: String, key: [UInt8], data: [UInt8]) -> [UInt8]? {
        guard let libctx else { return nil }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBufferPointer { d in
                EVP_Q_mac(libctx, "HMAC", nil, digest, nil, k.baseAddress, k.count, d.baseAddress, d.count,
                          &out, out.count, &length) != nil
            }
        }
        if !ok { ERR_clear_error() }
        return ok ? Array(out.prefix(length)) : nil
    }
}
