import XCTest
@testable import VigilCrypto

/// Key criteria shared by the x509, private_key and ssh_host_keys kinds.
final class KeyPolicyTests: XCTestCase {
    private func policy(_ params: [(String, [String])]) throws -> KeyPolicy {
        try KeyPolicy(NativeParameters(NativeCheckSpec(kind: "k", parameters: params.map { (name: $0.0, values: $0.1) })))
    }

    func testUnreadableKeysMeetNoCriterion() throws {
        let rsaOnly = try policy([("min_rsa_bits", ["2048"])])
        XCTAssertEqual(rsaOnly.violations(KeyInfo(type: "unknown:id-ecPublicKey", bits: 0, securityBits: 0)),
                       ["key unknown:id-ecPublicKey cannot be read, so it meets no key criterion"])
        XCTAssertEqual(rsaOnly.violations(KeyInfo(type: "ec", bits: 256, securityBits: 128, curve: "P-256")), [])
        XCTAssertEqual(rsaOnly.violations(KeyInfo(type: "rsa", bits: 2048, securityBits: 112)), [])
        XCTAssertEqual(rsaOnly.violations(KeyInfo(type: "rsa-pss", bits: 1024, securityBits: 80)), ["RSA-PSS 1024 < 2048"])
    }

    func testNamesAreCanonicalAndListsMaySplit() throws {
        let p = try policy([("allowed_curves", ["nistp256, secp384r1 prime256v1"]), ("forbidden_key_types", ["ssh-dss"])])
        XCTAssertEqual(p.allowedCurves, ["P-256", "P-384"])
        XCTAssertEqual(p.forbiddenTypes, ["dsa"])
        XCTAssertEqual(p.violations(KeyInfo(type: "ec", bits: 521, securityBits: 256, curve: "P-521")), ["EC P-521: curve not in P-256, P-384"])
    }
}
