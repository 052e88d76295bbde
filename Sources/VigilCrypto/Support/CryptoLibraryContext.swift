import COpenSSL

/// Vigil's own OpenSSL library context with the `default` provider loaded explicitly, so
/// that digests and MACs work whatever the scanning host's `openssl.cnf` says (a
/// `default_properties = fips=yes` there must not break Vigil). Never reads a
/// configuration file.
public final class CryptoLibraryContext: @unchecked Sendable {
    /// The shared context (created once; libcrypto contexts are thread-safe).
    public static let shared = CryptoLibraryContext()

    /// The context, nil when libcrypto could not create it or load the default provider.
    public let context: OpaquePointer?

    private init() {
        guard let ctx = OSSL_LIB_CTX_new() else { context = nil; return }
        guard OSSL_PROVIDER_load(ctx, "default") != nil else {
            OSSL_LIB_CTX_free(ctx)
            context = nil
            return
        }
        context = ctx
    }

    /// HMAC of `data` with `key` and the digest `digest` ("SHA256"), or nil on failure.
    public func hmac(digest: String, key: [UInt8], data: [UInt8]) -> [UInt8]? {
        guard let context else { return nil }
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBufferPointer { d in
                EVP_Q_mac(context, "HMAC", nil, digest, nil, k.baseAddress, k.count, d.baseAddress, d.count,
                          &out, out.count, &length) != nil
            }
        }
        return ok ? Array(out.prefix(length)) : nil
    }
}
