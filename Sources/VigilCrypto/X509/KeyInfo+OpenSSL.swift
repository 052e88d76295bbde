import COpenSSL

extension KeyInfo {
    /// What libcrypto says of the key `pkey` (an `EVP_PKEY *`).
    init(pkey: OpaquePointer) {
        let rawType = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
        let type = KeyInfo.canonicalType(rawType)
        var curve: String?
        if type == "ec" {
            var buf = [CChar](repeating: 0, count: 80)
            var len = 0
            if EVP_PKEY_get_group_name(pkey, &buf, buf.count, &len) == 1 {
                curve = KeyInfo.canonicalCurve(String(cString: buf))
            }
        }
        self.init(type: type, bits: Int(EVP_PKEY_get_bits(pkey)),
                  securityBits: Int(EVP_PKEY_get_security_bits(pkey)), curve: curve)
    }
}

/// Small libcrypto helpers shared by the certificate and key readers.
enum OpenSSLText {
    /// The short name of a NID (`SHA256`), or nil for `NID_undef`.
    static func shortName(_ nid: Int32) -> String? {
        guard nid != NID_undef, let sn = OBJ_nid2sn(nid) else { return nil }
        return String(cString: sn)
    }

    /// A name as "CN=example, O=Org" (entries in the certificate's order, values as UTF-8).
    static func name(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var parts: [String] = []
        for i in 0..<X509_NAME_entry_count(name) {
            guard let entry = X509_NAME_get_entry(name, i) else { continue }
            let nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry))
            let key = shortName(nid) ?? "?"
            var out: UnsafeMutablePointer<UInt8>?
            let len = ASN1_STRING_to_UTF8(&out, X509_NAME_ENTRY_get_data(entry))
            guard len >= 0, let out else { parts.append("\(key)=?"); continue }
            parts.append("\(key)=" + String(decoding: UnsafeBufferPointer(start: out, count: Int(len)), as: UTF8.self))
            CRYPTO_free(out, nil, 0)
        }
        return parts.joined(separator: ", ")
    }

    /// Clears libcrypto's error queue of this thread (after a decode expected to fail).
    static func clearErrors() { ERR_clear_error() }
}
