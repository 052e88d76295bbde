import COpenSSL
import Foundation

/// Classifies the common certificate without `d2i_X509`, whose OpenSSL 3.0 implementation
/// sets up a provider decoder for every public key (about 100 µs, 60% of the time of a
/// bundle). What depends only on the key's algorithm and size (type, bits, strength, curve)
/// and on the signature algorithm (digest, strength) is learnt from the first certificate of
/// each kind that libcrypto classifies in full, then reused; names and dates are still read
/// by libcrypto (`d2i_X509_NAME`, `d2i_ASN1_TIME`). A certificate that might be self-signed,
/// an unusual key algorithm, or anything this reader does not recognise goes the full way.
enum CertificateFastPath {
    private static let memo = Memo()

    /// Where the parts of a certificate lie, and its key's and signature's kinds.
    struct Parts {
        var issuer: Range<Int>
        var subject: Range<Int>
        var notBefore: Range<Int>
        var notAfter: Range<Int>
        var keyKind: [UInt8]
        var signatureKind: [UInt8]
    }

    /// The certificate classified from what was learnt, or nil when it must go the full way.
    static func classify(_ der: [UInt8], file: String, index: Int) -> CertificateInfo? {
        guard let parts = parts(der), let key = memo.key(parts.keyKind), let sig = memo.signature(parts.signatureKind),
              let issuer = name(der, parts.issuer), let subject = name(der, parts.subject),
              !mayBeSameName(issuer, subject), der[parts.issuer] != der[parts.subject],
              let notBefore = time(der, parts.notBefore), let notAfter = time(der, parts.notAfter),
              let sha256 = CertificateReader.sha256Hex(der) else { return nil }
        return CertificateInfo(file: file, index: index, subject: subject, issuer: issuer, key: key,
                               signatureAlgorithm: sig.algorithm, digest: sig.digest, signatureSecurityBits: sig.bits,
                               notBefore: notBefore, notAfter: notAfter, selfSigned: false, sha256: sha256)
    }

    /// Remembers what libcrypto said of `der`'s key and signature kinds, when it could
    /// decode both (a broken key in one certificate must not stand for its whole kind).
    static func learn(_ der: [UInt8], _ info: CertificateInfo) {
        guard !info.key.type.hasPrefix("unknown"), info.key.bits > 0, info.signatureSecurityBits > 0,
              let parts = parts(der) else { return }
        memo.set(key: parts.keyKind, info.key, signature: parts.signatureKind,
                 Signature(algorithm: info.signatureAlgorithm, digest: info.digest, bits: info.signatureSecurityBits))
    }

    /// The outer structure of a certificate (RFC 5280 §4.1), or nil when it is not the usual one.
    static func parts(_ der: [UInt8]) -> Parts? {
        guard let cert = DERElement.read(der, at: 0, limit: der.count), cert.tag == 0x30,
              let top = cert.children(der), top.count == 3, top[0].tag == 0x30, top[1].tag == 0x30,
              var tbs = top[0].children(der) else { return nil }
        if tbs.first?.tag == 0xA0 { tbs.removeFirst() }  // version
        guard tbs.count >= 6, tbs[0].tag == 0x02, tbs[2].tag == 0x30, tbs[3].tag == 0x30, tbs[4].tag == 0x30,
              tbs[5].tag == 0x30, let validity = tbs[3].children(der), validity.count == 2,
              let keyKind = keyKind(der, tbs[5]) else { return nil }
        return Parts(issuer: tbs[2].whole, subject: tbs[4].whole, notBefore: validity[0].whole, notAfter: validity[1].whole,
                     keyKind: keyKind, signatureKind: Array(der[top[1].whole]))
    }

    private static let rsa: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    private static let rsaPSS: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]
    private static let ecPublicKey: [UInt8] = [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    private static let ed25519: [UInt8] = [0x2B, 0x65, 0x70]
    private static let ed448: [UInt8] = [0x2B, 0x65, 0x71]

    /// What the key's type, size, strength and curve depend on: the algorithm identifier
    /// (with an EC key's curve) and the key's length (an RSA modulus's bits); nil for
    /// other algorithms.
    private static func keyKind(_ der: [UInt8], _ spki: DERElement) -> [UInt8]? {
        guard let parts = spki.children(der), parts.count == 2, parts[0].tag == 0x30, parts[1].tag == 0x03,
              let alg = parts[0].children(der), let oid = alg.first, oid.tag == 0x06 else { return nil }
        let kind = Array(der[parts[0].whole])
        let bits = parts[1].content
        guard bits.count > 1, der[bits.lowerBound] == 0 else { return nil }
        switch Array(der[oid.content]) {
        case rsa, rsaPSS:
            guard let seq = DERElement.read(der, at: bits.lowerBound + 1, limit: bits.upperBound), seq.tag == 0x30,
                  let ints = seq.children(der), ints.count == 2, ints[0].tag == 0x02 else { return nil }
            let modulusBits = SSHWireKey.mpintBits(der[ints[0].content])
            return kind + withUnsafeBytes(of: UInt32(modulusBits).bigEndian, Array.init)
        case ecPublicKey, ed25519, ed448:
            return kind + withUnsafeBytes(of: UInt32(bits.count).bigEndian, Array.init)
        default:
            return nil
        }
    }

    private static func name(_ der: [UInt8], _ range: Range<Int>) -> String? {
        der.withUnsafeBufferPointer { buf -> String? in
            var p: UnsafePointer<UInt8>? = buf.baseAddress! + range.lowerBound
            guard let n = d2i_X509_NAME(nil, &p, range.count) else { OpenSSLText.clearErrors(); return nil }
            defer { X509_NAME_free(n) }
            return OpenSSLText.name(n)
        }
    }

    private static func time(_ der: [UInt8], _ range: Range<Int>) -> Date? {
        der.withUnsafeBufferPointer { buf -> Date? in
            var p: UnsafePointer<UInt8>? = buf.baseAddress! + range.lowerBound
            guard let t = d2i_ASN1_TIME(nil, &p, range.count) else { OpenSSLText.clearErrors(); return nil }
            defer { ASN1_TIME_free(t) }
            return CertificateReader.date(t)
        }
    }

    /// Whether two names might be equal as OpenSSL compares them (case and spacing folded):
    /// such a certificate may be self-signed, which only its signature can tell.
    private static func mayBeSameName(_ a: String, _ b: String) -> Bool {
        func fold(_ s: String) -> String { s.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        return fold(a) == fold(b)
    }

    /// What libcrypto says of a signature algorithm.
    struct Signature: Sendable {
        var algorithm: String
        var digest: String?
        var bits: Int
    }

    /// The learnt kinds, shared by the threads classifying.
    private final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var keys: [[UInt8]: KeyInfo] = [:]
        private var signatures: [[UInt8]: Signature] = [:]

        func key(_ kind: [UInt8]) -> KeyInfo? { lock.withLock { keys[kind] } }
        func signature(_ kind: [UInt8]) -> Signature? { lock.withLock { signatures[kind] } }
        func set(key kind: [UInt8], _ key: KeyInfo, signature sigKind: [UInt8], _ sig: Signature) {
            lock.withLock {
                keys[kind] = key
                signatures[sigKind] = sig
            }
        }
    }
}
