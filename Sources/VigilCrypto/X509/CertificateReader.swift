import COpenSSL
import Foundation

/// Reads certificates from a file's bytes through libcrypto in Vigil's own library context
/// (`CryptoLibraryContext`): PEM bundles (`CERTIFICATE`, `TRUSTED CERTIFICATE`,
/// `X509 CERTIFICATE` blocks; other blocks such as keys are skipped) or one DER
/// certificate. A broken block is a problem of that file; the others are still read.
/// The blocks of a large bundle are classified in parallel.
enum CertificateReader {
    private static let certificateLabels: Set<String> = ["CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE"]
    /// Bundles with more blocks than this are classified on several threads.
    private static let parallelThreshold = 32

    /// The certificates in `bytes`, read from `path`.
    static func read(_ bytes: [UInt8], path: String) -> CertificateFile {
        guard PEMScanner.looksLikePEM(bytes) else { return readDER(bytes, path: path) }
        let (blocks, pemProblems) = PEMScanner.blocks(bytes)
        var problems = pemProblems.filter { $0.contains("CERTIFICATE") }.map { "\(path): \($0)" }
        let certBlocks = blocks.filter { certificateLabels.contains($0.label) }
        let single = certBlocks.count == 1
        let results = ParallelMap.map(certBlocks.count, threshold: parallelThreshold) { i in
            let b = certBlocks[i]
            return classify(b.der, trusted: b.label == "TRUSTED CERTIFICATE", file: path, index: single ? 0 : i + 1)
                .mapError { CertificateDecodeError(message: "line \(b.line): \($0.message)") }
        }
        var certificates: [CertificateInfo] = []
        for r in results {
            switch r {
            case .success(let c): certificates.append(c)
            case .failure(let e): problems.append("\(path): \(e.message)")
            }
        }
        return CertificateFile(path: path, certificates: certificates, problems: problems,
                               hadContent: !certBlocks.isEmpty || !problems.isEmpty)
    }

    /// One DER certificate; a file that is not one has no certificate content.
    private static func readDER(_ bytes: [UInt8], path: String) -> CertificateFile {
        // Not a certificate (a DER key, a note): no content; a named file is then reported.
        guard bytes.first == 0x30, case .success(let c) = classify(bytes, trusted: false, file: path, index: 0) else {
            return CertificateFile(path: path, certificates: [], problems: [], hadContent: false)
        }
        return CertificateFile(path: path, certificates: [c], problems: [], hadContent: true)
    }

    /// Classifies one DER certificate (with OpenSSL's trust settings after it when `trusted`):
    /// by `CertificateFastPath` when it can, else by libcrypto in full (and learnt from).
    static func classify(_ der: [UInt8], trusted: Bool, file: String, index: Int, fast: Bool = true) -> Result<CertificateInfo, CertificateDecodeError> {
        if fast && !trusted, let info = CertificateFastPath.classify(der, file: file, index: index) { return .success(info) }
        let result = classifyFully(der, trusted: trusted, file: file, index: index)
        if case .success(let info) = result, !info.selfSigned { CertificateFastPath.learn(der, info) }
        return result
    }

    /// Classifies one DER certificate through `d2i_X509` in Vigil's library context.
    static func classifyFully(_ der: [UInt8], trusted: Bool, file: String, index: Int) -> Result<CertificateInfo, CertificateDecodeError> {
        guard let ctx = CryptoLibraryContext.shared.libctx else { return .failure(CertificateDecodeError(message: "OpenSSL library context unavailable")) }
        var x509 = X509_new_ex(ctx, nil)
        let decoded: OpaquePointer? = der.withUnsafeBufferPointer { buf in
            var p: UnsafePointer<UInt8>? = buf.baseAddress
            return trusted ? d2i_X509_AUX(&x509, &p, buf.count) : d2i_X509(&x509, &p, buf.count)
        }
        guard let cert = decoded else {
            OpenSSLText.clearErrors()
            if let x509 { X509_free(x509) }
            return .failure(CertificateDecodeError(message: "not a valid DER certificate"))
        }
        defer { X509_free(cert) }
        guard let notBefore = date(X509_get0_notBefore(cert)), let notAfter = date(X509_get0_notAfter(cert)) else {
            OpenSSLText.clearErrors()
            return .failure(CertificateDecodeError(message: "unreadable validity dates"))
        }
        let info = CertificateInfo(
            file: file, index: index,
            subject: OpenSSLText.name(X509_get_subject_name(cert)),
            issuer: OpenSSLText.name(X509_get_issuer_name(cert)),
            key: publicKey(cert), signatureAlgorithm: OpenSSLText.shortName(X509_get_signature_nid(cert)) ?? "unknown",
            digest: nil, signatureSecurityBits: 0, notBefore: notBefore, notAfter: notAfter,
            selfSigned: X509_self_signed(cert, 1) == 1, sha256: fingerprint(cert))
        OpenSSLText.clearErrors()
        return .success(withSignatureInfo(info, cert))
    }

    private static func withSignatureInfo(_ info: CertificateInfo, _ cert: OpaquePointer) -> CertificateInfo {
        var out = info
        var mdnid: Int32 = 0, pknid: Int32 = 0, secbits: Int32 = 0
        var flags: UInt32 = 0
        if X509_get_signature_info(cert, &mdnid, &pknid, &secbits, &flags) == 1 {
            out.digest = OpenSSLText.shortName(mdnid)
            out.signatureSecurityBits = max(0, Int(secbits))
        }
        return out
    }

    private static func publicKey(_ cert: OpaquePointer) -> KeyInfo {
        if let pkey = X509_get0_pubkey(cert) { return KeyInfo(pkey: pkey) }
        var oid: OpaquePointer?
        if let pub = X509_get_X509_PUBKEY(cert), X509_PUBKEY_get0_param(&oid, nil, nil, nil, pub) == 1, let oid {
            return KeyInfo(type: "unknown:" + (OpenSSLText.shortName(OBJ_obj2nid(oid)) ?? "?"), bits: 0, securityBits: 0)
        }
        return KeyInfo(type: "unknown", bits: 0, securityBits: 0)
    }

    nonisolated(unsafe) private static let sha256: OpaquePointer? = CryptoLibraryContext.shared.digest(name: "SHA256")

    private static func fingerprint(_ cert: OpaquePointer) -> String {
        var md = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        guard let sha256, X509_digest(cert, sha256, &md, &len) == 1 else { return "" }
        return hex(md.prefix(Int(len)))
    }

    /// The SHA-256 of `der`, lowercase hex.
    static func sha256Hex(_ der: [UInt8]) -> String? {
        var md = [UInt8](repeating: 0, count: 32)
        var len: UInt32 = 0
        guard let sha256, EVP_Digest(der, der.count, &md, &len, sha256, nil) == 1 else { return nil }
        return hex(md.prefix(Int(len)))
    }

    private static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var tm = tm()
        guard ASN1_TIME_to_tm(time, &tm) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
    }
}

/// Why one certificate could not be read.
struct CertificateDecodeError: Error, Sendable {
    var message: String
}
