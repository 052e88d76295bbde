import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// The sshd_config kind on offline roots: includes resolve inside the root, the OpenSSH
/// release comes from the root's binaries or dpkg status, evidence names file and line,
/// hostile input ends in a verdict.
final class SSHConfigCheckTests: XCTestCase {
    /// The fixtures of the running test, kept alive until it ends.
    private var fixtures: [SSHFixture] = []

    override func tearDown() { fixtures = [] }

    private func root(_ files: [String: String]) throws -> (SSHFixture, any Target) {
        let f = try SSHFixture()
        fixtures.append(f)
        for (path, text) in files { try f.write("root" + path, text) }
        return (f, try RootTarget(f.dir + "/root"))
    }

    private let fakeSshd = "\u{7f}ELF....OpenSSH_9.2\u{0}....OpenSSH_9.2p1 Debian-2+deb12u6\u{0}OpenSSH_2.*,OpenSSH_3.0*\u{0}"

    func testIncludeResolvesInsideTheRootAndFirstValueWins() throws {
        let (_, target) = try root([
            "/usr/sbin/sshd": fakeSshd,
            "/etc/ssh/sshd_config": "Include /etc/ssh/sshd_config.d/*.conf\nCiphers aes256-ctr\n",
            "/etc/ssh/sshd_config.d/50-weak.conf": "# weak\nCiphers 3des-cbc,aes256-ctr\n",
        ])
        let v = try SSHFixture.verdict("sshd_config", [("keyword", ["ciphers"]), ("allowed", SSHDifferentialTests.stig[0].allowed)], target: target)
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["/etc/ssh/sshd_config.d/50-weak.conf:2: Ciphers 3des-cbc,aes256-ctr (first value wins; 3des-cbc not allowed)"])
    }

    func testDefaultsOfTheTargetsReleaseFromBinaryOrDpkg() throws {
        let (_, target) = try root([
            "/usr/sbin/sshd": fakeSshd,
            "/etc/ssh/sshd_config": "Port 22\n",
        ])
        let v = try SSHFixture.verdict("sshd_config", [("keyword", ["KexAlgorithms"]), ("forbidden", ["sntrup*"])], target: target)
        XCTAssertEqual(v.result, .fail, "\(v)")
        XCTAssertTrue((v.evidence.first ?? "").hasPrefix("default of OpenSSH 9.2: kexalgorithms sntrup761x25519-sha512,"), "\(v.evidence)")
        let (_, dpkg) = try root([
            "/var/lib/dpkg/status": "Package: openssh-server\nStatus: install ok installed\nVersion: 1:8.4p1-5+deb11u3\n\n",
            "/etc/ssh/sshd_config": "Port 22\n",
        ])
        let old = try SSHFixture.verdict("sshd_config", [("keyword", ["KexAlgorithms"]), ("forbidden", ["sntrup*"])], target: dpkg)
        XCTAssertEqual(old.result, .pass, "\(old)")
        XCTAssertTrue((old.evidence.first ?? "").hasPrefix("default of OpenSSH 8.4: kexalgorithms curve25519-sha256,"), "\(old.evidence)")
        let (_, none) = try root(["/etc/ssh/sshd_config": "Port 22\n"])
        XCTAssertEqual(try SSHFixture.verdict("sshd_config", [("keyword", ["Ciphers"]), ("allowed", ["aes256-ctr"])], target: none).result, .error)
        let given = try SSHFixture.verdict("sshd_config", [("keyword", ["Ciphers"]), ("allowed", ["aes256-ctr"]), ("openssh_version", ["9.9p1"])], target: none)
        XCTAssertEqual(given.result, .fail)
        let (_, plain) = try root(["/etc/ssh/sshd_config": "Ciphers aes256-ctr\n"])
        XCTAssertEqual(try SSHFixture.verdict("sshd_config", [("keyword", ["Ciphers"]), ("allowed", ["aes256-ctr"])], target: plain).result, .pass,
                       "a plain list needs no release")
    }

    func testModifiersAgainstTheDefaultsPerRelease() throws {
        let v92 = OpenSSHVersion(parsing: "9.2p1", source: "t")!
        let v80 = OpenSSHVersion(parsing: "8.0p1", source: "t")!
        XCTAssertEqual(try SSHAlgorithmKind.kex.effective("-*25519*,sntrup*,diffie-hellman-group1?-*", version: v92, server: true).get(),
                       ["ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256"])
        XCTAssertEqual(try SSHAlgorithmKind.kex.effective(nil, version: v80, server: true).get().last, "diffie-hellman-group14-sha1")
        XCTAssertEqual(try SSHAlgorithmKind.cipher.effective("^aes256-ctr", version: v92, server: true).get().first, "aes256-ctr")
        XCTAssertEqual(try SSHAlgorithmKind.cipher.effective("+aes256-cbc", version: v92, server: true).get().last, "aes256-cbc")
        XCTAssertThrowsError(try SSHAlgorithmKind.cipher.effective("aes256-ctr,rot13", version: v92, server: true).get())
        XCTAssertThrowsError(try SSHAlgorithmKind.cipher.effective("aes*", version: v92, server: true).get())
        XCTAssertEqual(try SSHAlgorithmKind.key.effective("ssh-ed25519*", version: v92, server: true).get(),
                       ["ssh-ed25519", "ssh-ed25519-cert-v01@openssh.com"])
    }

    func testUnknownAlgorithmFailsItsRuleAndErrorsOthers() throws {
        let (_, target) = try root([
            "/usr/sbin/sshd": fakeSshd,
            "/etc/ssh/sshd_config": "Ciphers aes256-ctr,rot13-cbc\nMACs hmac-sha2-512\n",
        ])
        let ciphers = try SSHFixture.verdict("sshd_config", [("keyword", ["Ciphers"]), ("forbidden", ["3des-cbc"])], target: target)
        XCTAssertEqual(ciphers.result, .fail)
        XCTAssertTrue((ciphers.evidence.first ?? "").contains("unknown cipher 'rot13-cbc'"), "\(ciphers.evidence)")
        let (_, broken) = try root(["/usr/sbin/sshd": fakeSshd, "/etc/ssh/sshd_config": "Ciphers \"aes256-ctr\nMACs hmac-sha2-512\n"])
        let macs = try SSHFixture.verdict("sshd_config", [("keyword", ["MACs"]), ("allowed", ["hmac-sha2-512"])], target: broken)
        XCTAssertEqual(macs.result, .error)
        XCTAssertTrue(macs.message?.contains("/etc/ssh/sshd_config:1: invalid quotes") == true, "\(macs)")
    }

    func testMatchBlocksCheckedByDefault() throws {
        let (_, target) = try root([
            "/etc/ssh/sshd_config": "PermitRootLogin no\nMatch User backup\n  PermitRootLogin yes\n",
        ])
        let check = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: target)
        XCTAssertEqual(check.result, .fail)
        XCTAssertEqual(check.evidence.last, "/etc/ssh/sshd_config:3: PermitRootLogin yes (expected no) in Match User backup at /etc/ssh/sshd_config:2")
        let ignore = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"]), ("match_blocks", ["ignore"])], target: target)
        XCTAssertEqual(ignore.result, .pass)
        let conn = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"]), ("match_blocks", ["ignore"]),
                                                          ("connection", ["user=backup"])], target: target)
        XCTAssertEqual(conn.result, .fail)
        let (_, all) = try root(["/etc/ssh/sshd_config": "PermitRootLogin no\nMatch all\n  PermitRootLogin yes\n"])
        let everyone = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"]), ("match_blocks", ["ignore"])], target: all)
        XCTAssertEqual(everyone.result, .fail, "every connection gets Match all's value: \(everyone)")
    }

    func testExplicitTimesAndRanges() throws {
        let (_, target) = try root(["/etc/ssh/sshd_config": "ClientAliveInterval 10m\n"])
        let range = try SSHFixture.verdict("sshd_config", [("keyword", ["ClientAliveInterval"]), ("at_least", ["1"]), ("at_most", ["600"])], target: target)
        XCTAssertEqual(range.result, .pass, "\(range)")
        let over = try SSHFixture.verdict("sshd_config", [("keyword", ["ClientAliveInterval"]), ("at_most", ["300"])], target: target)
        XCTAssertEqual(over.result, .fail)
        let unset = try SSHFixture.verdict("sshd_config", [("keyword", ["HostbasedAuthentication"]), ("value", ["no"])], target: target)
        XCTAssertEqual(unset.result, .pass)
        XCTAssertEqual(unset.evidence, ["default of OpenSSH: hostbasedauthentication no"])
        let explicit = try SSHFixture.verdict("sshd_config", [("keyword", ["HostbasedAuthentication"]), ("value", ["no"]), ("explicit", ["true"])], target: target)
        XCTAssertEqual(explicit.result, .fail)
    }

    func testHostileInputEndsInAVerdict() throws {
        let (_, loop) = try root(["/etc/ssh/sshd_config": "Include /etc/ssh/sshd_config\nPermitRootLogin no\n"])
        let v = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: loop)
        XCTAssertEqual(v.result, .error)
        XCTAssertTrue(v.message?.contains("too many recursive configuration includes") == true, "\(v)")
        let (_, long) = try root(["/etc/ssh/sshd_config": "PermitRootLogin no " + String(repeating: "x", count: 20000) + "\n"])
        XCTAssertEqual(try SSHFixture.verdict("sshd_config", [("keyword", ["X11Forwarding"]), ("value", ["no"])], target: long).result, .error)
        let (_, big) = try root(["/etc/ssh/sshd_config": "Include /etc/ssh/big.conf\nPermitRootLogin no\n",
                                 "/etc/ssh/big.conf": String(repeating: "# padding\n", count: 120_000)])
        let tooBig = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: big)
        XCTAssertEqual(tooBig.result, .error)
        XCTAssertTrue(tooBig.message?.contains("/etc/ssh/sshd_config:1: cannot read /etc/ssh/big.conf") == true, "\(tooBig)")
        var many: [String: String] = ["/etc/ssh/sshd_config": "Include /etc/ssh/d/*.conf\nPermitRootLogin no\n"]
        for i in 0..<300 { many["/etc/ssh/d/\(1000 + i).conf"] = "MaxAuthTries 3\n" }
        let (_, wide) = try root(many)
        let count = try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: wide)
        XCTAssertEqual(count.result, .error)
        XCTAssertTrue(count.message?.contains("more than 256 configuration files") == true, "\(count)")
        let (_, outside) = try root(["/etc/ssh/sshd_config": "Include /../../../../tmp/*\nPermitRootLogin no\n"])
        XCTAssertEqual(try SSHFixture.verdict("sshd_config", [("keyword", ["PermitRootLogin"]), ("value", ["no"])], target: outside).result, .pass)
    }

    func testParametersAreChecked() {
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "sshd_config", parameters: [("keyword", ["NoSuch"]), ("value", ["x"])])))
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "sshd_config", parameters: [("keyword", ["Ciphers"])])))
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "sshd_config", parameters: [("keyword", ["Ciphers"]), ("value", ["x"]), ("allowed", ["y"])])))
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "sshd_config", parameters: [("keyword", ["Port"]), ("value", ["1"]), ("connection", ["uid=0"])])))
    }
}
