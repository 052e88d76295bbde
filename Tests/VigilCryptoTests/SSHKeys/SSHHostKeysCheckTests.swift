import VigilCore
import XCTest
@testable import VigilCrypto

/// SSH host keys read by Vigil's own wire-format parser, checked against `ssh-keygen -lf`,
/// and the `ssh_host_keys` kind on a generated /etc/ssh.
final class SSHHostKeysCheckTests: XCTestCase {
    let keygen = "/usr/bin/ssh-keygen"

    private func generate(_ root: TempRoot, _ name: String, _ args: [String]) throws {
        try FileManager.default.createDirectory(atPath: root.host("/etc/ssh"), withIntermediateDirectories: true)
        try CertificateFactory.run(keygen, ["-q", "-N", "", "-C", "host", "-f", root.host("/etc/ssh/" + name)] + args)
    }

    func testBitsAndTypesAgreeWithSSHKeygen() throws {
        let root = try TempRoot()
        let cases: [(String, [String], String, String?)] = [
            ("rsa1024", ["-t", "rsa", "-b", "1024"], "rsa", nil), ("rsa1536", ["-t", "rsa", "-b", "1536"], "rsa", nil),
            ("rsa3071", ["-t", "rsa", "-b", "3071"], "rsa", nil),
            ("ecdsa256", ["-t", "ecdsa", "-b", "256"], "ec", "P-256"), ("ecdsa384", ["-t", "ecdsa", "-b", "384"], "ec", "P-384"),
            ("ecdsa521", ["-t", "ecdsa", "-b", "521"], "ec", "P-521"), ("ed25519", ["-t", "ed25519"], "ed25519", nil),
            ("dsa", ["-t", "dsa"], "dsa", nil),
        ]
        for (name, args, type, curve) in cases {
            do { try generate(root, name, args) } catch where name == "dsa" { continue } // OpenSSH built without DSA
            let reference = try CertificateFactory.run(keygen, ["-lf", root.host("/etc/ssh/\(name).pub")])
            let bits = Int(reference.split(separator: " ")[0])
            for file in [name + ".pub", name] {
                let (keys, problems) = SSHKeyFile.read(Array(try Data(contentsOf: URL(fileURLWithPath: root.host("/etc/ssh/" + file)))))
                XCTAssertEqual(problems, [], file)
                XCTAssertEqual(keys.map(\.key.bits), [bits!], "\(file): ssh-keygen says \(reference)")
                XCTAssertEqual(keys.map(\.key.type), [type], file)
                XCTAssertEqual(keys.map(\.key.curve), [curve], file)
            }
            // The strength is libcrypto's, as for a certificate's key of the same size (RSA 1536: 96 bits).
            if type == "rsa", let bits {
                let ssh = SSHKeyFile.read(Array(try Data(contentsOf: URL(fileURLWithPath: root.host("/etc/ssh/\(name).pub"))))).keys
                XCTAssertEqual(ssh.map(\.key.securityBits), [KeyInfo(pkey: CertificateFactory.key("RSA", bits: bits)).securityBits], name)
            }
        }
    }

    func testHostKeysRule() throws {
        let root = try TempRoot()
        try generate(root, "ssh_host_rsa_key", ["-t", "rsa", "-b", "3072"])
        try generate(root, "ssh_host_ecdsa_key", ["-t", "ecdsa", "-b", "256"])
        try generate(root, "ssh_host_ed25519_key", ["-t", "ed25519"])
        let rule: [(String, [String])] = [("min_rsa_bits", ["3072"]), ("forbidden_key_types", ["ssh-dss"]), ("allowed_curves", ["nistp256", "nistp384", "nistp521"])]
        let pass = try X509CheckTests.evaluate("ssh_host_keys", root, rule)
        XCTAssertEqual(pass.result, .pass, "\(pass)")
        XCTAssertEqual(pass.evidence, ["/etc/ssh/ssh_host_ecdsa_key.pub: ecdsa-sha2-nistp256 EC P-256",
                                       "/etc/ssh/ssh_host_ed25519_key.pub: ssh-ed25519 ED25519",
                                       "/etc/ssh/ssh_host_rsa_key.pub: ssh-rsa RSA 3072"])
        try FileManager.default.removeItem(atPath: root.host("/etc/ssh/ssh_host_rsa_key.pub"))
        try generate(root, "ssh_host_rsa2_key", ["-t", "rsa", "-b", "2048"])
        let fail = try X509CheckTests.evaluate("ssh_host_keys", root, rule)
        XCTAssertEqual(fail.result, .fail)
        XCTAssertEqual(fail.evidence, ["/etc/ssh/ssh_host_rsa2_key.pub: RSA 2048 < 3072"])
        // A DSA key, written in the wire format by hand (OpenSSH 9.8+ no longer makes them).
        let dsa = SSHHostKeysCheckTests.wire(["ssh-dss"], mpints: [[0x80] + [UInt8](repeating: 1, count: 127), [0x80] + [UInt8](repeating: 7, count: 19), [2], [3]])
        try root.write("/etc/ssh/ssh_host_dsa_key.pub", "ssh-dss \(Data(dsa).base64EncodedString()) root@old\n")
        let keys = SSHKeyFile.publicKeys("ssh-dss \(Data(dsa).base64EncodedString())").keys
        XCTAssertEqual(keys.map(\.key), [KeyInfo(type: "dsa", bits: 1024, securityBits: 80)])
        let dss = try X509CheckTests.evaluate("ssh_host_keys", root, [("forbidden_key_types", ["ssh-dss"])])
        XCTAssertEqual(dss.evidence, ["/etc/ssh/ssh_host_dsa_key.pub: DSA 1024: type dsa is forbidden"])
    }

    func testBrokenKeyFilesAndNoKeys() throws {
        let root = try TempRoot()
        let rule: [(String, [String])] = [("min_rsa_bits", ["3072"])]
        XCTAssertEqual(try X509CheckTests.evaluate("ssh_host_keys", root, rule).result, .pass)
        XCTAssertEqual(try X509CheckTests.evaluate("ssh_host_keys", root, rule + [("missing", ["fail"])]).result, .fail)
        let truncated = Data(SSHHostKeysCheckTests.wire(["ssh-rsa"], mpints: [[1, 0, 1]])).base64EncodedString()
        try root.write("/etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa \(truncated) x\n")
        let v = try X509CheckTests.evaluate("ssh_host_keys", root, rule)
        XCTAssertEqual(v.result, .error)
        XCTAssertEqual(v.message, "/etc/ssh/ssh_host_rsa_key.pub: line 1: ssh-rsa: truncated or malformed key")
        try root.write("/etc/ssh/ssh_host_rsa_key.pub", "ssh-ed25519 \(Data(SSHHostKeysCheckTests.wire(["ssh-rsa"], mpints: [[1], [0x7f]])).base64EncodedString())\n")
        XCTAssertEqual(try X509CheckTests.evaluate("ssh_host_keys", root, rule).message,
                       "/etc/ssh/ssh_host_rsa_key.pub: line 1: key says ssh-rsa, line says ssh-ed25519 (RSA 7)")
        try root.write("/etc/ssh/ssh_host_rsa_key.pub", "ssh-rsa !!!\n")
        XCTAssertEqual(try X509CheckTests.evaluate("ssh_host_keys", root, rule).result, .error)
    }

    /// A wire-format blob: the strings, then the mpints (each length-prefixed).
    static func wire(_ strings: [String], mpints: [[UInt8]]) -> [UInt8] {
        func field(_ b: [UInt8]) -> [UInt8] { withUnsafeBytes(of: UInt32(b.count).bigEndian, Array.init) + b }
        return strings.flatMap { field(Array($0.utf8)) } + mpints.flatMap { field($0[0] & 0x80 != 0 ? [0] + $0 : $0) }
    }
}
