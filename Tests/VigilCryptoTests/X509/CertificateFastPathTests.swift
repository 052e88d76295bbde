import XCTest
@testable import VigilCrypto

/// The fast path (no `d2i_X509`) gives exactly what libcrypto's full classification gives,
/// and leaves possibly self-signed certificates to libcrypto.
final class CertificateFastPathTests: XCTestCase {
    typealias F = CertificateFactory

    func testAgreesWithLibcryptoOnEveryKeyAndSignatureKind() throws {
        let keys: [OpaquePointer] = [
            F.key("RSA", bits: 1024), F.key("RSA", bits: 2048), F.key("RSA", bits: 4096), F.key("RSA-PSS", bits: 2048),
            F.key("EC", curve: "P-256"), F.key("EC", curve: "P-384"), F.key("EC", curve: "P-521"),
            F.key("EC", curve: "secp256k1"), F.key("ED25519"), F.key("ED448"),
        ]
        let issuers: [(OpaquePointer, [String?])] = [
            (F.key("RSA", bits: 2048), ["SHA1", "SHA224", "SHA256", "SHA384", "SHA512"]),
            (F.key("EC"), ["SHA1", "SHA256", "SHA512"]), (F.key("ED25519"), [nil]), (F.key("ED448"), [nil]),
        ]
        var ders: [[UInt8]] = []
        for (k, key) in keys.enumerated() {
            for (i, (issuer, digests)) in issuers.enumerated() {
                for digest in digests {
                    ders.append(F.certificate(cn: "leaf \(k)", key: key, digest: digest, issuerCN: "issuer \(i)", issuerKey: issuer,
                                              fromDays: Double(-k), toDays: Double(10 + i), serial: ders.count + 1))
                }
            }
        }
        // The first of each kind is classified in full and learnt from; then every one is
        // classified again by the fast path, which must agree field by field.
        let full = try ders.map { try CertificateReader.classify($0, trusted: false, file: "/f", index: 1, fast: false).get() }
        for (der, info) in zip(ders, full) { CertificateFastPath.learn(der, info) }
        for (der, info) in zip(ders, full) {
            XCTAssertEqual(CertificateFastPath.classify(der, file: "/f", index: 1), info, info.subject)
        }
        XCTAssertEqual(Set(full.map(\.key.type)), ["rsa", "rsa-pss", "ec", "ed25519", "ed448"])
    }

    func testPossiblySelfSignedAndUnlearntGoTheFullWay() throws {
        let key = F.key("EC"), other = F.key("EC")
        let learnt = F.certificate(cn: "a", key: key, issuerCN: "b", issuerKey: other)
        CertificateFastPath.learn(learnt, try CertificateReader.classify(learnt, trusted: false, file: "/f", index: 0, fast: false).get())
        XCTAssertNotNil(CertificateFastPath.classify(learnt, file: "/f", index: 0))
        // Names equal once case and spacing are folded, as OpenSSL compares them.
        let sameName = F.certificate(cn: "Root  CA", key: key, issuerCN: "root ca", issuerKey: key)
        XCTAssertNil(CertificateFastPath.classify(sameName, file: "/f", index: 0))
        let selfSigned = F.certificate(cn: "root", key: key)
        XCTAssertNil(CertificateFastPath.classify(selfSigned, file: "/f", index: 0))
        // A key kind never classified in full (a Brainpool curve here) is not guessed.
        let unlearnt = F.certificate(cn: "c", key: F.key("EC", curve: "brainpoolP384r1"), issuerCN: "d", issuerKey: key)
        XCTAssertNil(CertificateFastPath.classify(unlearnt, file: "/f", index: 0))
        XCTAssertNil(CertificateFastPath.classify(Array(learnt.prefix(100)), file: "/f", index: 0))
        // A certificate whose key libcrypto cannot decode (its EC point broken) teaches nothing.
        let brainpool = F.key("EC", curve: "brainpoolP512r1")
        var broken = F.certificate(cn: "e", key: brainpool, issuerCN: "f", issuerKey: key)
        let point = try XCTUnwrap(broken.indices.dropLast(140).last { broken[$0] == 0x04 && broken[$0 - 1] == 0x00 })
        broken[point] = 0x05
        let decoded = try CertificateReader.classify(broken, trusted: false, file: "/f", index: 0).get()
        XCTAssertEqual(decoded.key.type, "unknown:id-ecPublicKey")
        let good = F.certificate(cn: "g", key: brainpool, issuerCN: "f", issuerKey: key)
        XCTAssertNil(CertificateFastPath.classify(good, file: "/f", index: 0))
        XCTAssertEqual(try CertificateReader.classify(good, trusted: false, file: "/f", index: 0).get().key.curve, "brainpoolp512r1")
    }
}
