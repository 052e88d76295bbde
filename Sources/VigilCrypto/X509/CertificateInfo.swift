import Foundation

/// One certificate as the `x509` kind classifies it: where it was found (file, and index
/// in a bundle counting from 1), names, key, signature and validity, and whether it is a
/// trust anchor (self-signed: subject equal to issuer and its signature verifying with its
/// own key).
public struct CertificateInfo: Sendable, Equatable {
    public var file: String
    /// 1-based position in the file; 0 when the file holds only this certificate.
    public var index: Int
    public var subject: String
    public var issuer: String
    public var key: KeyInfo
    /// OpenSSL's name of the signature algorithm (`sha256WithRSAEncryption`, `ED25519`).
    public var signatureAlgorithm: String
    /// The signature's digest (`SHA1`, `SHA256`), nil for algorithms without one (Ed25519).
    public var digest: String?
    /// The signature's security strength in bits (OpenSSL: SHA-1 63, MD5 39); 0 when unknown.
    public var signatureSecurityBits: Int
    public var notBefore: Date
    public var notAfter: Date
    public var selfSigned: Bool
    /// The SHA-256 fingerprint of the DER encoding, lowercase hex without separators.
    public var sha256: String

    /// Whole days from `now` to notAfter (negative once expired), rounded down.
    public func daysLeft(_ now: Date) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86400).rounded(.down))
    }

    /// "FILE#3 CN=name" for evidence: the file, the index in a bundle, and the subject's
    /// common name (or the whole subject when it has none), cut to 80 characters.
    public var label: String {
        let place = index > 0 ? "\(file)#\(index)" : file
        let cn = subject.components(separatedBy: ", ").last { $0.hasPrefix("CN=") } ?? subject
        let name = cn.count > 80 ? String(cn.prefix(77)) + "..." : cn
        return "\(place) \(name.isEmpty ? "(empty subject)" : name)"
    }
}

/// The certificates of one file, and what could not be read in it.
public struct CertificateFile: Sendable, Equatable {
    public var path: String
    public var certificates: [CertificateInfo]
    /// Problems, each "PATH: what" (an unreadable file, a truncated PEM block, bad DER).
    public var problems: [String]
    /// Whether the file looked like certificate content at all (PEM blocks or DER).
    public var hadContent: Bool
}
