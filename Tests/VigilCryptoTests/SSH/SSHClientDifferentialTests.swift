import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// Vigil's effective ssh_config against the real `ssh -G -F FILE HOST`.
final class SSHClientDifferentialTests: XCTestCase {
    static let compared = ["ciphers", "macs", "kexalgorithms", "hostkeyalgorithms", "serveraliveinterval", "forwardx11", "stricthostkeychecking"]

    func testHostBlocksIncludesAndModifiersAgreeWithSshG() throws {
        try SSHFixture.requirePrograms()
        let f = try SSHFixture()
        try f.write("inc/10.conf", "Host legacy.example.com\n  Ciphers 3des-cbc\n  MACs hmac-md5\n")
        try f.write("inc/20.conf", "Ciphers aes256-ctr\n")
        let main = try f.write("ssh_config", """
            IgnoreUnknown UseKeychain,AddKeysToAgnt
            UseKeychain yes
            Include {D}/inc/*.conf
            Host *.internal !bad.internal
              KexAlgorithms=ecdh-sha2-nistp256
              ServerAliveInterval 1m
            Host *
              Ciphers aes128-ctr
              MACs -umac*,hmac-sha1*
              ForwardX11 "yes"
            Match host bad.*
              KexAlgorithms +diffie-hellman-group1-sha1
            Match all
              StrictHostKeyChecking ask
            Match final !host a.*
              ServerAliveInterval 30
            Match canonical host legacy.*
              ForwardX11 no

            """)
        var disagreements: [String] = []
        let target = HostTarget()
        let parsed = SSHConfigReader.read(main, target: target, server: false)
        XCTAssertTrue(parsed.problems.isEmpty, "\(parsed.problems)")
        let config = SSHEffectiveConfig(parsed: parsed, server: false, version: OpenSSHVersionFinder.find(on: target, server: false))
        for host in ["legacy.example.com", "a.internal", "bad.internal", "other.example.org"] {
            guard let real = SSHFixture.sshG(main, host: host).values else { XCTFail("ssh -G refused \(host)"); continue }
            for k in Self.compared {
                let sources = config.sources(k, connection: nil, host: SSHClientHost(name: host)) { _ in nil }
                let mine = config.value(k, sources: sources)?.text
                if mine != real[k]?.joined(separator: " ") { disagreements.append("\(host): \(k): ssh -G \(real[k] ?? []), Vigil \(mine ?? "nil")") }
            }
        }
        XCTAssertEqual(disagreements, [], disagreements.joined(separator: "\n"))
    }

    /// Without a host name only the blocks every host gets count; match_blocks: check
    /// also fails a weaker value set for some hosts only.
    func testDefaultHostAndMatchBlocks() throws {
        try SSHFixture.requirePrograms()
        let f = try SSHFixture()
        let main = try f.write("ssh_config", "Host legacy\n  Ciphers 3des-cbc\nHost *\n  Ciphers aes256-ctr\n")
        let allowed = SSHDifferentialTests.stig[0].allowed
        let ignore = try SSHFixture.verdict("ssh_config", [("path", [main]), ("keyword", ["Ciphers"]), ("allowed", allowed), ("match_blocks", ["ignore"])])
        XCTAssertEqual(ignore.result, .pass, "\(ignore)")
        let check = try SSHFixture.verdict("ssh_config", [("path", [main]), ("keyword", ["Ciphers"]), ("allowed", allowed)])
        XCTAssertEqual(check.result, .fail, "\(check)")
        XCTAssertTrue(check.evidence.contains { $0.contains(":2: Ciphers 3des-cbc") && $0.contains("Host legacy") }, "\(check.evidence)")
        let legacy = try SSHFixture.verdict("ssh_config", [("path", [main]), ("keyword", ["Ciphers"]), ("allowed", allowed), ("host", ["legacy"]),
                                                           ("match_blocks", ["ignore"])])
        XCTAssertEqual(legacy.result, .fail, "\(legacy)")
        let most = try f.write("most", "Host * !bastion\n  MACs hmac-md5\nHost !*\n  KexAlgorithms diffie-hellman-group1-sha1\n")
        let macs = try SSHFixture.verdict("ssh_config", [("path", [most]), ("keyword", ["MACs"]), ("forbidden", ["hmac-md5"]), ("match_blocks", ["ignore"])])
        XCTAssertEqual(macs.result, .fail, "a host other than bastion gets hmac-md5: \(macs)")
        XCTAssertEqual(SSHFixture.sshG(most, host: "web1").values?["macs"], ["hmac-md5"])
        let kex = try SSHFixture.verdict("ssh_config", [("path", [most]), ("keyword", ["KexAlgorithms"]), ("forbidden", ["diffie-hellman-group1-sha1"]),
                                                        ("match_blocks", ["ignore"])])
        XCTAssertEqual(kex.result, .pass, "no host gets the block of Host !*: \(kex)")
    }
}
