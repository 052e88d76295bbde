import COpenSSL

/// Content digests of blobs: `sha256:` and 64 lowercase hex digits, the only algorithm read.
enum BlobDigest {
    /// `sha256:...` of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> String {
        var md = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_Digest(bytes, bytes.count, &md, &length, EVP_sha256(), nil)
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in md.prefix(Int(length)) { hex += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return "sha256:" + String(decoding: hex, as: UTF8.self)
    }

    /// The hex part of a valid `sha256:` digest; an error naming it otherwise (another
    /// algorithm, or not 64 lowercase hex digits: a name that could leave `blobs/sha256/`).
    static func hex(_ digest: String, image: String) throws(ImageError) -> String {
        guard let colon = digest.firstIndex(of: ":") else {
            throw ImageError(image: image, message: "malformed digest '\(digest)'")
        }
        let algorithm = digest[..<colon]
        let hex = digest[digest.index(after: colon)...]
        guard algorithm == "sha256" else {
            throw ImageError(image: image, message: "digest '\(digest)': algorithm '\(algorithm)' is not supported (sha256 only)")
        }
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw ImageError(image: image, message: "malformed digest '\(digest)' (expected sha256: and 64 lowercase hex digits)")
        }
        return String(hex)
    }
}
