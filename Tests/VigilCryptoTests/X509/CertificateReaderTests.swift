import XCTest
@testable import VigilCrypto

/// Classification of certificates read from PEM bundles and DER, and broken input.
final class CertificateReaderTests: XCTestCase {
    typealias F = CertificateFactory

    func testKeyTypesSizesCurvesAndSignatureDigests() throws {
        let rsa1024 = F.key("RSA", bits: 1024), p256 = F.key("EC"), k1 = F.key("EC", curve: "secp256k1"), ed = F.key("ED25519")
        let bundle = [
            F.certificate(cn: "rsa", key: rsa1024, digest: "SHA1", issuerCN: "ca", issuerKey: p256),
            F.certificate(cn: "p256", key: p256, digest: "SHA384"),
            F.certificate(cn: "k1", key: k1, issuerCN: "ca", issuerKey: rsa1024),
            F.certificate(cn: "ed", key: ed, digest: nil),
        ].map { F.pem($0) }.joined()
        let file = CertificateReader.read(Array(bundle.utf8), path: "/b.pem")
        XCTAssertEqual(file.problems, [])
        let c = file.certificates
        XCTAssertEqual(c.map(\.index), [1, 2, 3, 4])
        XCTAssertEqual(c.map(\.key), [
            KeyInfo(type: "rsa", bits: 1024, securityBits: 80),
            KeyInfo(type: "ec", bits: 256, securityBits: 128, curve: "P-256"),
            KeyInfo(type: "ec", bits: 256, securityBits: 128, curve: "secp256k1"),
            KeyInfo(type: "ed25519", bits: 256, securityBits: 128),
        ])
        XCTAssertEqual(c.map(\.digest), ["SHA1", "SHA384", "SHA256", nil])
        // The digest's strength (OpenSSL: SHA-1 63 bits); the issuer key is judged on its own certificate.
        XCTAssertEqual(c.map(\.signatureSecurityBits), [63, 192, 128, 128])
        XCTAssertEqual(c.map(\.selfSigned), [false, true, false, true])
        XCTAssertEqual(c[0].subject, "CN=rsa")
        XCTAssertEqual(c[0].issuer, "CN=ca")
        XCTAssertEqual(c[0].label, "/b.pem#1 CN=rsa")
    }

    func testSubjectEqualToIssuerIsNotSelfSignedWithoutItsOwnSignature() {
        let key = F.key("EC"), other = F.key("EC")
        let forged = F.certificate(cn: "same", key: key, issuerCN: "same", issuerKey: other)
        let file = CertificateReader.read(Array(F.pem(forged).utf8), path: "/f.pem")
        XCTAssertEqual(file.certificates.map(\.selfSigned), [false])
    }

    func testDERFileAndValidityAndFingerprint() throws {
        let der = F.certificate(cn: "der", key: F.key("EC"), fromDays: -10, toDays: 20)
        let file = CertificateReader.read(der, path: "/c.der")
        let cert = try XCTUnwrap(file.certificates.first)
        XCTAssertEqual(cert.index, 0)
        XCTAssertEqual(cert.daysLeft(Date()), 19)
        XCTAssertEqual(cert.notAfter.timeIntervalSince(cert.notBefore), 30 * 86400, accuracy: 2)
        let expected = try F.run("/usr/bin/openssl", ["dgst", "-sha256", "-r", try tempFile(der)])
        XCTAssertEqual(cert.sha256, String(expected.prefix(64)))
    }

    func testGarbageTruncatedAndBadBlocksAreProblemsOfTheFile() {
        let good = F.pem(F.certificate(cn: "good", key: F.key("EC")))
        let badDER = F.pem([0x30, 0x03, 0x02, 0x01, 0x01])
        let badBase64 = "-----BEGIN CERTIFICATE-----\nMII*notbase64\n-----END CERTIFICATE-----\n"
        let truncated = String(good.prefix(200))
        let text = good + badDER + badBase64 + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + truncated
        let file = CertificateReader.read(Array(text.utf8), path: "/x.pem")
        XCTAssertEqual(file.certificates.map(\.subject), ["CN=good"])
        XCTAssertEqual(file.problems.count, 3, "\(file.problems)")
        XCTAssertTrue(file.problems.contains("/x.pem: line 1: not a valid DER certificate") == false)
        XCTAssertTrue(file.problems.contains { $0.hasPrefix("/x.pem: line ") && $0.contains("not a valid DER certificate") }, "\(file.problems)")
        XCTAssertTrue(file.problems.contains { $0.contains("invalid base64") }, "\(file.problems)")
        XCTAssertTrue(file.problems.contains { $0.contains("truncated") }, "\(file.problems)")
        let garbage = CertificateReader.read(Array(repeating: 0x30, count: 64), path: "/g")
        XCTAssertEqual(garbage.certificates, [])
        XCTAssertFalse(garbage.hadContent)
        XCTAssertFalse(CertificateReader.read(Array("hello".utf8), path: "/t").hadContent)
    }

    func testTrustedCertificateBlocks() throws {
        let pem = try tempFile(Array(F.pem(F.certificate(cn: "trusted", key: F.key("EC"))).utf8))
        let trusted = try F.run("/usr/bin/openssl", ["x509", "-in", pem, "-trustout", "-addtrust", "serverAuth"])
        XCTAssertTrue(trusted.contains("BEGIN TRUSTED CERTIFICATE"))
        let file = CertificateReader.read(Array(trusted.utf8), path: "/t.pem")
        XCTAssertEqual(file.problems, [])
        XCTAssertEqual(file.certificates.map(\.subject), ["CN=trusted"])
        XCTAssertEqual(file.certificates.map(\.selfSigned), [true])
    }

    func testLargeBundleIsReadInOrderOnSeveralThreads() {
        let key = F.key("EC")
        let certs = (1...200).map { F.pem(F.certificate(cn: "c\($0)", key: key, serial: $0)) }.joined()
        let file = CertificateReader.read(Array(certs.utf8), path: "/many.pem")
        XCTAssertEqual(file.certificates.map(\.subject), (1...200).map { "CN=c\($0)" })
        XCTAssertEqual(file.certificates.map(\.index), Array(1...200))
    }

    func testTruncatedAndMutatedInputsNeverTrap() throws {
        let der = F.certificate(cn: "m", key: F.key("EC"))
        let pem = Array(F.pem(der).utf8)
        let key = F.privateKeyDER(F.key("RSA", bits: 1024))
        var rng = SystemRandomNumberGenerator()
        for i in 0..<300 {
            for var input in [der, pem, key] {
                if i % 2 == 0 { input = Array(input.prefix(Int.random(in: 0...input.count, using: &rng))) }
                for _ in 0..<3 where !input.isEmpty { input[Int.random(in: 0..<input.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                _ = CertificateReader.read(input, path: "/m")
                _ = PrivateKeyReader.read(input)
                _ = SSHKeyFile.read(input)
                _ = SSHWireKey.parse(input)
            }
        }
    }

    private func tempFile(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-x509-\(UUID().uuidString)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
