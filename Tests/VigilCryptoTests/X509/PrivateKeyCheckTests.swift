import VigilCore
import XCTest
@testable import VigilCrypto

/// The `private_key` kind on keys in every format Vigil reads, encrypted ones included
/// (never decrypted: no passphrase is given and no prompt can happen).
final class PrivateKeyCheckTests: XCTestCase {
    typealias F = CertificateFactory
    let openssl = "/usr/bin/openssl"

    private func check(_ root: TempRoot, _ params: [(String, [String])]) throws -> NativeVerdict {
        try X509CheckTests.evaluate("private_key", root, params)
    }

    /// Writes `key` as PKCS#8 PEM at `relative`, then converts it with `openssl args` if given.
    private func write(_ root: TempRoot, _ relative: String, _ key: OpaquePointer, convert: [String]? = nil) throws {
        try root.write(relative, F.pem(F.privateKeyDER(key), label: "PRIVATE KEY"))
        guard let convert else { return }
        let tmp = root.host(relative) + ".tmp"
        try F.run(openssl, convert + ["-in", root.host(relative), "-out", tmp])
        try FileManager.default.removeItem(atPath: root.host(relative))
        try FileManager.default.moveItem(atPath: tmp, toPath: root.host(relative))
    }

    func testFormatsTypesAndSizes() throws {
        let root = try TempRoot()
        try write(root, "/keys/pkcs8.key", F.key("RSA", bits: 2048))
        try write(root, "/keys/pkcs1.key", F.key("RSA", bits: 3072), convert: ["pkey", "-traditional"])
        try write(root, "/keys/sec1.key", F.key("EC", curve: "P-384"), convert: ["pkey", "-traditional"])
        try root.write("/keys/ed.der", F.privateKeyDER(F.key("ED25519")))
        let rule: [(String, [String])] = [("paths", ["/keys"]), ("min_rsa_bits", ["2048"]), ("allowed_curves", ["P-256", "P-384"])]
        let pass = try check(root, rule)
        XCTAssertEqual(pass.result, .pass, "\(pass)")
        XCTAssertEqual(pass.evidence, ["/keys/ed.der: DER ED25519", "/keys/pkcs1.key: PKCS#1 RSA 3072",
                                       "/keys/pkcs8.key: PKCS#8 RSA 2048", "/keys/sec1.key: SEC1 EC P-384"])
        XCTAssertEqual(try check(root, [("paths", ["/keys"]), ("forbidden_key_types", ["ed25519"])]).result, .fail)

        try write(root, "/keys/weak.key", F.key("RSA", bits: 1024), convert: ["pkey", "-traditional"])
        try write(root, "/keys/k1.key", F.key("EC", curve: "secp256k1"), convert: ["pkey", "-traditional"])
        let fail = try check(root, rule)
        XCTAssertEqual(fail.result, .fail)
        XCTAssertEqual(fail.evidence, ["/keys/k1.key: EC secp256k1: curve not in P-256, P-384", "/keys/weak.key: RSA 1024 < 2048"])
    }

    func testEncryptedKeysAreNeverDecrypted() throws {
        let root = try TempRoot()
        try write(root, "/enc/pkcs8.pem", F.key("RSA", bits: 2048), convert: ["pkey", "-aes256", "-passout", "pass:secret"])
        try write(root, "/enc/legacy.pem", F.key("RSA", bits: 2048), convert: ["rsa", "-traditional", "-aes256", "-passout", "pass:secret"])
        let rule: [(String, [String])] = [("paths", ["/enc"]), ("min_rsa_bits", ["2048"])]
        let unknown = try check(root, rule)
        XCTAssertEqual(unknown.result, .unknown)
        XCTAssertEqual(unknown.evidence, ["/enc/legacy.pem: encrypted PEM RSA key, size not readable without the passphrase",
                                          "/enc/pkcs8.pem: encrypted PKCS#8 key, size not readable without the passphrase"])
        XCTAssertEqual(try check(root, rule + [("encrypted_keys", ["fail"])]).result, .fail)
        // The legacy label names the type: enough for a type criterion.
        let types = try check(root, [("paths", ["/enc"]), ("allowed_key_types", ["ec"])])
        XCTAssertEqual(types.result, .fail)
        XCTAssertEqual(types.evidence.first, "/enc/legacy.pem: encrypted RSA key: type rsa not allowed")

        // Encrypted DER PKCS#8 is recognised as such, not as garbage.
        try write(root, "/der/k.pem", F.key("EC"))
        try F.run(openssl, ["pkcs8", "-topk8", "-in", root.host("/der/k.pem"), "-outform", "DER", "-v2", "aes256",
                            "-passout", "pass:x", "-out", root.host("/der/k.der")])
        try FileManager.default.removeItem(atPath: root.host("/der/k.pem"))
        XCTAssertEqual(try check(root, [("paths", ["/der/k.der"]), ("min_rsa_bits", ["2048"])]).result, .unknown)

        // An OpenSSH key keeps its public part in clear: judged even when encrypted.
        try FileManager.default.createDirectory(atPath: root.host("/ssh"), withIntermediateDirectories: true)
        try F.run("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "1024", "-N", "secret", "-f", root.host("/ssh/id_rsa")])
        let ssh = try check(root, [("paths", ["/ssh/id_rsa"]), ("min_rsa_bits", ["2048"])])
        XCTAssertEqual(ssh.result, .fail)
        XCTAssertEqual(ssh.evidence, ["/ssh/id_rsa: RSA 1024 < 2048"])
    }

    func testBrokenAndMissing() throws {
        let root = try TempRoot()
        XCTAssertEqual(try check(root, [("paths", ["/none"]), ("min_rsa_bits", ["2048"]), ("missing", ["fail"])]).result, .fail)
        try root.write("/k/bad.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        let bad = try check(root, [("paths", ["/k/bad.key"]), ("min_rsa_bits", ["2048"])])
        XCTAssertEqual(bad.result, .error)
        XCTAssertEqual(bad.message, "/k/bad.key: line 1: 'PRIVATE KEY' block is not a readable key")
        try root.write("/k/bad.key", "plain text")
        XCTAssertEqual(try check(root, [("paths", ["/k/bad.key"]), ("min_rsa_bits", ["2048"])]).message, "/k/bad.key: holds no private key")
        XCTAssertThrowsError(try check(root, [("paths", ["/k"])]))
    }
}
