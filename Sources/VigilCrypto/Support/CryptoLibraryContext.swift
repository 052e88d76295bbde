import COpenSSL

/// Vigil's own OpenSSL library context, with the default provider loaded explicitly: the
/// host's `openssl.cnf` (say `default_properties = fips=yes`) never changes which
/// algorithms Vigil gets. Use it for every fetch (`EVP_MD_fetch`, `X509_new_ex`, ...).
public enum CryptoLibraryContext {
    /// The context; nil only when OpenSSL cannot create one or load its default provider.
    nonisolated(unsafe) public static let shared: OpaquePointer? = {
        guard let ctx = OSSL_LIB_CTX_new() else { return nil }
        guard OSSL_PROVIDER_load(ctx, "default") != nil else {
            OSSL_LIB_CTX_free(ctx)
            return nil
        }
        return ctx
    }()
}
