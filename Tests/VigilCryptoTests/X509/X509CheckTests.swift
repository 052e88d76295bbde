import VigilCore
import VigilTarget
import XCTest
@testable import VigilCrypto

/// The `x509` kind on fresh certificate sets under an offline root: every criterion seen
/// passing and failing, trust anchors, the stock CA bundle, broken files.
final class X509CheckTests: XCTestCase {
    typealias F = CertificateFactory

    static func evaluate(_ kind: String, _ root: TempRoot, _ params: [(String, [String])], now: Date = Date()) throws -> NativeVerdict {
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: kind, parameters: params.map { (name: $0.0, values: $0.1) }))
        return check.evaluate(NativeContext(target: try Targets.root(root.path), now: now))
    }

    private func x509(_ root: TempRoot, _ params: [(String, [String])], now: Date = Date()) throws -> NativeVerdict {
        try Self.evaluate("x509", root, params, now: now)
    }

    func testKeyStrength() throws {
        let root = try TempRoot()
        let ca = F.key("RSA", bits: 3072)
        try root.write("/etc/pki/tls/certs/web.pem", F.pem(F.certificate(cn: "web", key: F.key("RSA", bits: 2048), issuerCN: "ca", issuerKey: ca)))
        try root.write("/etc/pki/tls/certs/api.crt", F.certificate(cn: "api", key: F.key("EC"), issuerCN: "ca", issuerKey: ca))
        let rule: [(String, [String])] = [("paths", ["/etc/pki/tls/certs"]), ("min_rsa_bits", ["2048"]),
                                          ("allowed_curves", ["P-256", "secp384r1"]), ("min_security_bits", ["112"])]
        let pass = try x509(root, rule)
        XCTAssertEqual(pass.result, .pass, "\(pass)")
        XCTAssertEqual(pass.evidence.first, "2 certificates in 2 files meet the criteria")

        try root.write("/etc/pki/tls/certs/old.pem", F.pem(F.certificate(cn: "old", key: F.key("RSA", bits: 1024), issuerCN: "ca", issuerKey: ca)))
        try root.write("/etc/pki/tls/certs/k1.pem", F.pem(F.certificate(cn: "k1", key: F.key("EC", curve: "secp256k1"), issuerCN: "ca", issuerKey: ca)))
        let fail = try x509(root, rule)
        XCTAssertEqual(fail.result, .fail)
        XCTAssertEqual(fail.evidence.sorted(), [
            "/etc/pki/tls/certs/k1.pem CN=k1: EC secp256k1: curve not in P-256, P-384",
            "/etc/pki/tls/certs/old.pem CN=old: RSA 1024 < 2048",
            "/etc/pki/tls/certs/old.pem CN=old: RSA 1024: 80-bit security < 112",
        ])
    }

    func testSignatureDigestSkipsTrustAnchorsSelfSignatures() throws {
        let root = try TempRoot()
        let caKey = F.key("RSA", bits: 2048)
        try root.write("/certs/root.pem", F.pem(F.certificate(cn: "root", key: caKey, digest: "SHA1")))
        try root.write("/certs/leaf.pem", F.pem(F.certificate(cn: "leaf", key: F.key("EC"), issuerCN: "root", issuerKey: caKey)))
        let rule: [(String, [String])] = [("paths", ["/certs"]), ("forbid_digests", ["sha1", "md5"]), ("min_signature_bits", ["112"])]
        let pass = try x509(root, rule)
        XCTAssertEqual(pass.result, .pass, "\(pass)")
        XCTAssertTrue(pass.evidence.contains("1 self-signed trust anchors: their own signatures not judged"), "\(pass.evidence)")

        let strict = try x509(root, rule + [("skip_self_signed", ["false"])])
        XCTAssertEqual(strict.result, .fail)
        XCTAssertEqual(strict.evidence, ["/certs/root.pem CN=root: signed with SHA1 (RSA-SHA1)",
                                         "/certs/root.pem CN=root: signature RSA-SHA1: 63-bit security < 112"])

        try root.write("/certs/sha1-leaf.pem", F.pem(F.certificate(cn: "sha1 leaf", key: F.key("EC"), digest: "SHA1", issuerCN: "root", issuerKey: caKey)))
        let fail = try x509(root, [("paths", ["/certs"]), ("forbid_digests", ["SHA-1"])])
        XCTAssertEqual(fail.result, .fail)
        XCTAssertEqual(fail.evidence, ["/certs/sha1-leaf.pem CN=sha1 leaf: signed with SHA1 (RSA-SHA1)"])
    }

    func testExpiryAndTheWarningWindow() throws {
        let root = try TempRoot()
        let ca = F.key("EC")
        try root.write("/tls/fresh.pem", F.pem(F.certificate(cn: "fresh", key: F.key("EC"), issuerCN: "ca", issuerKey: ca, toDays: 90)))
        XCTAssertEqual(try x509(root, [("paths", ["/tls"]), ("not_expired", ["true"]), ("expires_within_days", ["30"])]).result, .pass)
        try root.write("/tls/soon.pem", F.pem(F.certificate(cn: "soon", key: F.key("EC"), issuerCN: "ca", issuerKey: ca, toDays: 10.5)))
        let soon = try x509(root, [("paths", ["/tls"]), ("not_expired", ["true"]), ("expires_within_days", ["30"])])
        XCTAssertEqual(soon.result, .fail)
        XCTAssertEqual(soon.evidence.count, 1)
        XCTAssertTrue(soon.evidence[0].hasPrefix("/tls/soon.pem CN=soon: expires "), soon.evidence[0])
        XCTAssertTrue(soon.evidence[0].hasSuffix("(in 10 days, within 30)"), soon.evidence[0])
        let narrow = try x509(root, [("paths", ["/tls"]), ("expires_within_days", ["7"])])
        XCTAssertEqual(narrow.result, .pass, "\(narrow)")
        XCTAssertTrue(narrow.evidence.contains("nearest expiry: /tls/soon.pem CN=soon in 10 days"), "\(narrow.evidence)")
        // The same files judged a year later: both expired.
        let later = try x509(root, [("paths", ["/tls"]), ("not_expired", ["true"])], now: Date().addingTimeInterval(365 * 86400))
        XCTAssertEqual(later.result, .fail)
        XCTAssertEqual(later.evidence.count, 2)
        XCTAssertTrue(later.evidence.allSatisfy { $0.contains(": expired ") }, "\(later.evidence)")
        let early = try x509(root, [("paths", ["/tls"]), ("not_expired", ["true"])], now: Date().addingTimeInterval(-3 * 86400))
        XCTAssertEqual(early.result, .fail)
        XCTAssertTrue(early.evidence.allSatisfy { $0.contains("not valid before") }, "\(early.evidence)")
    }

    func testExpiredTrustAnchorsAreIgnoredOnlyWhenAsked() throws {
        let root = try TempRoot()
        try root.write("/store/bundle.pem", F.pem(F.certificate(cn: "old root", key: F.key("EC"), fromDays: -3000, toDays: -5))
            + F.pem(F.certificate(cn: "good root", key: F.key("EC"))))
        let rule: [(String, [String])] = [("paths", ["/store/bundle.pem"]), ("not_expired", ["true"])]
        let fail = try x509(root, rule)
        XCTAssertEqual(fail.result, .fail)
        XCTAssertEqual(fail.evidence.count, 1)
        XCTAssertTrue(fail.evidence[0].hasPrefix("/store/bundle.pem#1 CN=old root: expired "), "\(fail.evidence)")
        let store = try x509(root, rule + [("anchor_expiry", ["ignore"])])
        XCTAssertEqual(store.result, .pass)
        XCTAssertTrue(store.evidence.contains("1 expired or expiring self-signed trust anchors ignored (anchor_expiry: ignore)"), "\(store.evidence)")
        // An expired intermediate is not an anchor: still a failure.
        try root.write("/store/inter.pem", F.pem(F.certificate(cn: "inter", key: F.key("EC"), issuerCN: "good root", issuerKey: F.key("EC"), toDays: -1)))
        XCTAssertEqual(try x509(root, [("paths", ["/store"])] + rule.dropFirst() + [("anchor_expiry", ["ignore"])]).result, .fail)
    }

    func testTrustAnchorAllowList() throws {
        let root = try TempRoot()
        let a = F.certificate(cn: "a", key: F.key("EC")), b = F.certificate(cn: "b", key: F.key("EC"))
        try root.write("/anchors/a.pem", F.pem(a))
        try root.write("/anchors/b.pem", F.pem(b))
        let fa = CertificateReader.read(a, path: "a").certificates[0].sha256
        let fb = CertificateReader.read(b, path: "b").certificates[0].sha256
        let colons = stride(from: 0, to: 64, by: 2).map { i in String(Array(fb.uppercased())[i..<i + 2]) }.joined(separator: ":")
        XCTAssertEqual(try x509(root, [("paths", ["/anchors"]), ("trust_anchor_allowlist", [fa, colons])]).result, .pass)
        let one = try x509(root, [("paths", ["/anchors"]), ("trust_anchor_allowlist", ["\(fa) \(String(repeating: "0", count: 64))"])])
        XCTAssertEqual(one.result, .fail)
        XCTAssertEqual(one.evidence, ["/anchors/b.pem CN=b: SHA-256 \(fb) not in the trust-anchor allow-list"])
        XCTAssertThrowsError(try x509(root, [("paths", ["/anchors"]), ("trust_anchor_allowlist", ["abc"])]))
    }

    func testMissingPathsAndBrokenFiles() throws {
        let root = try TempRoot()
        let rule: [(String, [String])] = [("paths", ["/etc/kubernetes/pki"]), ("min_rsa_bits", ["2048"])]
        XCTAssertEqual(try x509(root, rule).result, .pass)
        XCTAssertEqual(try x509(root, rule + [("missing", ["fail"])]).result, .fail)
        XCTAssertEqual(try x509(root, rule + [("missing", ["notapplicable"])]).result, .notapplicable)
        // Keys and notes in a walked directory are not certificates and are skipped.
        try root.write("/etc/kubernetes/pki/ca.key", F.pem(F.privateKeyDER(F.key("EC")), label: "PRIVATE KEY"))
        try root.write("/etc/kubernetes/pki/README", "notes")
        try root.write("/etc/kubernetes/pki/sa.der", F.privateKeyDER(F.key("RSA", bits: 1024)))
        try root.write("/etc/kubernetes/pki/ca.crt", F.pem(F.certificate(cn: "kubernetes", key: F.key("RSA", bits: 2048))))
        XCTAssertEqual(try x509(root, rule).result, .pass)
        XCTAssertEqual(try x509(root, [("paths", ["/etc/kubernetes/pki/sa.der"]), ("min_rsa_bits", ["2048"])]).message,
                       "/etc/kubernetes/pki/sa.der: holds no certificate")
        // A name pattern says every matching file must hold certificates.
        try root.write("/etc/kubernetes/pki/broken.crt", "junk")
        let junk = try x509(root, rule + [("name_pattern", [#"\.crt$"#])])
        XCTAssertEqual(junk.result, .error)
        XCTAssertEqual(junk.message, "/etc/kubernetes/pki/broken.crt: holds no certificate")
        let good = F.pem(F.certificate(cn: "apiserver", key: F.key("RSA", bits: 2048)))
        try root.write("/etc/kubernetes/pki/broken.crt", String(good.prefix(300)))
        let truncated = try x509(root, rule)
        XCTAssertEqual(truncated.result, .error)
        XCTAssertEqual(truncated.message, "/etc/kubernetes/pki/broken.crt: line 1: 'CERTIFICATE' block is truncated (no END line)")
        // A failing certificate decides even next to a broken file; the problem stays in the message.
        try root.write("/etc/kubernetes/pki/weak.crt", F.pem(F.certificate(cn: "weak", key: F.key("RSA", bits: 1024))))
        let fail = try x509(root, rule)
        XCTAssertEqual(fail.result, .fail)
        XCTAssertEqual(fail.evidence, ["/etc/kubernetes/pki/weak.crt CN=weak: RSA 1024 < 2048"])
        XCTAssertNotNil(fail.message)
    }

    func testGlobRecursionAndLinksReadOnce() throws {
        let root = try TempRoot()
        try root.write("/srv/a/b/deep.pem", F.pem(F.certificate(cn: "deep", key: F.key("RSA", bits: 1024))))
        try root.write("/srv/top.pem", F.pem(F.certificate(cn: "top", key: F.key("EC"))))
        try FileManager.default.createSymbolicLink(atPath: root.host("/srv/link.pem"), withDestinationPath: "top.pem")
        let rule: [(String, [String])] = [("paths", ["/srv"]), ("min_rsa_bits", ["2048"])]
        XCTAssertEqual(try x509(root, rule).evidence.first, "1 certificates in 1 files meet the criteria")
        XCTAssertEqual(try x509(root, rule + [("recursive", ["true"])]).result, .fail)
        XCTAssertEqual(try x509(root, [("paths", ["/srv/t*.pem"]), ("min_rsa_bits", ["2048"])]).result, .pass)
        XCTAssertEqual(try x509(root, [("paths", ["/srv/a/b/*.pem"]), ("min_rsa_bits", ["2048"])]).result, .fail)
    }

    func testAbsoluteLinksResolveInsideTheRoot() throws {
        // The host has /etc/ssl/certs/ca-certificates.crt; the root has only a link to that path.
        let root = try TempRoot()
        try FileManager.default.createDirectory(atPath: root.host("/certs"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.host("/certs/bundle.pem"), withDestinationPath: "/etc/ssl/certs/ca-certificates.crt")
        let rule: [(String, [String])] = [("paths", ["/certs", "/certs/bundle.pem"]), ("min_rsa_bits", ["2048"]), ("missing", ["fail"])]
        let v = try x509(root, rule)
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["no certificate in /certs, /certs/bundle.pem"])
        try root.write("/etc/ssl/certs/ca-certificates.crt", F.pem(F.certificate(cn: "inside", key: F.key("EC"))))
        XCTAssertEqual(try x509(root, rule).evidence, ["1 certificates in 1 files meet the criteria"])
    }

    func testStockCABundleDoesNotFailTrustStoreRules() throws {
        let stock = "/etc/ssl/certs/ca-certificates.crt"
        guard let bytes = FileManager.default.contents(atPath: stock) else { throw XCTSkip("no \(stock) on this host") }
        let root = try TempRoot()
        try root.write(stock, Array(bytes))
        let classified = CertificateReader.read(Array(bytes), path: stock)
        XCTAssertEqual(classified.problems, [])
        XCTAssertGreaterThan(classified.certificates.count, 100)
        let rule: [(String, [String])] = [("paths", [stock]), ("forbid_digests", ["sha1", "md5"]), ("min_security_bits", ["112"]),
                                          ("min_rsa_bits", ["2048"]), ("not_expired", ["true"]), ("anchor_expiry", ["ignore"])]
        let v = try x509(root, rule)
        XCTAssertEqual(v.result, .pass, "\(v)")
        // The same bundle judged naively: its SHA-1 self-signatures fail it.
        let hasSHA1 = classified.certificates.contains { $0.digest == "SHA1" }
        let naive = try x509(root, [("paths", [stock]), ("forbid_digests", ["sha1"]), ("skip_self_signed", ["false"])])
        XCTAssertEqual(naive.result, hasSHA1 ? .fail : .pass)
        let hasExpired = classified.certificates.contains { $0.notAfter < Date() }
        XCTAssertEqual(try x509(root, [("paths", [stock]), ("not_expired", ["true"])]).result, hasExpired ? .fail : .pass)
    }

    func testParametersAreChecked() throws {
        let root = try TempRoot()
        XCTAssertThrowsError(try x509(root, [("paths", ["/x"])])) { XCTAssertTrue("\($0)".contains("at least one criterion"), "\($0)") }
        XCTAssertThrowsError(try x509(root, [("paths", ["relative"]), ("not_expired", ["true"])]))
        XCTAssertThrowsError(try x509(root, [("paths", ["/x"]), ("anchor_expiry", ["sometimes"]), ("not_expired", ["true"])]))
        XCTAssertThrowsError(try x509(root, [("min_rsa_bits", ["2048"])]))
        XCTAssertThrowsError(try x509(root, [("paths", ["/x"]), ("name_pattern", ["*.crt"]), ("min_rsa_bits", ["2048"])])) {
            XCTAssertEqual(($0 as? NativeCheckError)?.parameter, "name_pattern")
        }
    }
}
