import COpenSSL
import Foundation

/// The size and strength of an SSH RSA or DSA key as libcrypto rates them (the same figures
/// as for a certificate's key: OpenSSL 3.0 rates RSA 4096 at 152 bits), by importing the
/// public numbers into Vigil's library context (`EVP_PKEY_fromdata`; nothing is decoded).
enum SSHKeyStrength {
    /// `EVP_PKEY_PUBLIC_KEY` (a macro Swift does not import): parameters and public key.
    private static let publicKey = Int32(OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS | OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS
                                         | OSSL_KEYMGMT_SELECT_PUBLIC_KEY)

    /// `type` is "RSA" (parameters n, e) or "DSA" (p, q, g, pub); values are big-endian
    /// magnitudes. Nil when libcrypto refuses them.
    static func key(_ type: String, _ numbers: [(String, ArraySlice<UInt8>)]) -> KeyInfo? {
        guard let bld = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(bld) }
        var bignums: [OpaquePointer] = []
        // The built parameters point at their names: the names must outlive them.
        var names: [UnsafeMutablePointer<CChar>] = []
        defer {
            bignums.forEach { BN_free($0) }
            names.forEach { free($0) }
        }
        for (name, bytes) in numbers {
            guard let bn = Array(bytes).withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }),
                  let cName = strdup(name) else { return nil }
            bignums.append(bn)
            names.append(cName)
            guard OSSL_PARAM_BLD_push_BN(bld, cName, bn) == 1 else { return nil }
        }
        guard let params = OSSL_PARAM_BLD_to_param(bld) else { return nil }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(CryptoLibraryContext.shared.libctx, type, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1, EVP_PKEY_fromdata(ctx, &pkey, publicKey, params) == 1, let pkey else {
            OpenSSLText.clearErrors()
            return nil
        }
        defer { EVP_PKEY_free(pkey) }
        return KeyInfo(pkey: pkey)
    }
}
