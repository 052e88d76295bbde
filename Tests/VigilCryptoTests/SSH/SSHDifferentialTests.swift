import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// Vigil's effective sshd configuration against the real `sshd -T` of the installed
/// OpenSSH on the same files: the effective Ciphers, MACs and KexAlgorithms (and a few
/// scalars) must be equal, and the verdicts of the STIG lists of rules/linux-baseline
/// must be equal; where sshd refuses the configuration Vigil must not pass.
final class SSHDifferentialTests: XCTestCase {
    static let stig: [(keyword: String, allowed: [String])] = [
        ("Ciphers", ["aes256-gcm@openssh.com", "aes256-ctr", "aes128-gcm@openssh.com", "aes128-ctr"]),
        ("MACs", ["hmac-sha2-512", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-256-etm@openssh.com"]),
        ("KexAlgorithms", ["ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256"]),
    ]
    static let compared = ["ciphers", "macs", "kexalgorithms", "hostkeyalgorithms", "pubkeyacceptedalgorithms",
                           "casignaturealgorithms", "clientaliveinterval", "permitrootlogin", "x11forwarding", "maxauthtries"]

    /// (name, main file text after the HostKey line, extra files).
    static let variants: [(String, String, [(String, String)])] = [
        ("first value wins", "Ciphers aes256-ctr\nCiphers 3des-cbc\nMACs hmac-sha2-512\nMACs hmac-md5\n", []),
        ("key=value", "Ciphers=aes256-ctr,aes128-ctr\nMACs=hmac-sha2-256\nKexAlgorithms=ecdh-sha2-nistp256\n", []),
        ("key = value", "Ciphers = aes256-ctr\nMACs  =hmac-sha2-512\nKexAlgorithms= ecdh-sha2-nistp384\n", []),
        ("double quotes", "Ciphers \"aes256-ctr,aes128-ctr\"\nKexAlgorithms \"ecdh-sha2-nistp256\"\nMACs=\"hmac-sha2-512\"\n", []),
        ("+ modifier", "Ciphers +aes256-cbc\nMACs +hmac-sha2-512\nKexAlgorithms +diffie-hellman-group1-sha1\n", []),
        ("- modifier with wildcards", "Ciphers -chacha20*,aes192-ctr\nMACs -umac*,hmac-sha1*\n"
            + "KexAlgorithms -*25519*,sntrup*,diffie-hellman-group1?-*\n", []),
        ("^ modifier", "Ciphers ^aes256-ctr\nMACs ^hmac-sha2-512\nKexAlgorithms ^ecdh-sha2-nistp256\n", []),
        ("Include sets 3des-cbc first", "Include {D}/inc/*.conf\nCiphers aes256-ctr\n", [("inc/10.conf", "Ciphers 3des-cbc,aes256-ctr\n")]),
        ("Include sets hmac-md5 first", "Include {D}/inc/*.conf\nMACs hmac-sha2-512\n", [("inc/a.conf", "MACs hmac-md5,hmac-sha2-512\n")]),
        ("Include sets group1 first", "Include {D}/inc/*.conf\nKexAlgorithms ecdh-sha2-nistp256\n",
            [("inc/a.conf", "KexAlgorithms diffie-hellman-group1-sha1\n")]),
        ("Include glob order and approved values", "Include {D}/inc/*.conf\nCiphers 3des-cbc\n",
            [("inc/20.conf", "Ciphers aes128-cbc\n"), ("inc/10.conf", "Ciphers aes128-ctr\n"), ("inc/.hidden.conf", "MACs hmac-md5\n")]),
        ("keyword case and tabs", "cIpHeRs\taes256-ctr\nmacs\t\thmac-sha2-256\nKEXALGORITHMS ecdh-sha2-nistp521\n", []),
        ("comments and CRLF", "# Ciphers 3des-cbc\nCiphers aes256-ctr # not 3des-cbc\r\nMACs hmac-sha2-512\r\n  KexAlgorithms ecdh-sha2-nistp256\t\r\n", []),
        ("nothing set: defaults", "ClientAliveInterval 10m\n", []),
        ("unknown algorithm", "Ciphers aes256-ctr,no-such-cipher\n", []),
        ("space after comma", "MACs hmac-sha2-512, hmac-sha2-256\n", []),
        ("wildcard outside -", "Ciphers +aes*-cbc\n", []),
        ("Match block ends the global section", "MACs hmac-sha2-512\nMatch User bob\n  PermitRootLogin yes\n  MaxAuthTries 2\n", []),
        ("Match all continues it", "Match all\nCiphers aes128-ctr\nPermitRootLogin no\n", []),
        ("Match all overrides the global value", "PermitRootLogin no\nMaxAuthTries 3\nMatch all\nPermitRootLogin yes\n", []),
        ("Cipher inside Match", "Match User bob\n  Ciphers aes128-ctr\n", []),
        ("Include inside Match", "Match User bob\n  Include {D}/inc/*.conf\n", [("inc/a.conf", "PermitRootLogin yes\n")]),
        ("Include with Match inside", "Include {D}/inc/*.conf\nCiphers aes128-ctr\nX11Forwarding yes\n",
            [("inc/a.conf", "Match Address 10.0.0.0/8\n  X11Forwarding no\n")]),
        ("missing include", "Include {D}/nothing/*.conf\nCiphers aes128-ctr\n", []),
        ("host key algorithm patterns", "HostKeyAlgorithms ssh-ed25519*,rsa-sha2-*\nCASignatureAlgorithms -ssh-rsa,rsa-sha2-256\n"
            + "PubkeyAcceptedAlgorithms +ssh-rsa\n", []),
        ("deprecated alias", "PubkeyAcceptedKeyTypes ssh-ed25519\nChallengeResponseAuthentication no\n", []),
        ("bad quotes", "Ciphers \"aes256-ctr\n", []),
        ("unknown keyword", "NoSuchKeyword yes\nCiphers aes256-ctr\n", []),
        ("empty quotes", "Ciphers \"\"\n", []),
        ("hash inside an argument", "Ciphers aes128-ctr#3des-cbc\n", []),
        ("duplicates and quoted keyword", "\"Ciphers\" aes128-ctr,aes128-ctr\nMACs +hmac-sha2-512\nKexAlgorithms ^sntrup761x25519-sha512\n", []),
        ("nested includes with quoted paths", "Include \"{D}/inc a/*.conf\" {D}/none.conf\nCiphers 3des-cbc\n",
            [("inc a/1.conf", "Include {D}/inc2/*.conf\nMACs hmac-sha2-256\n"), ("inc2/x.conf", "Ciphers aes128-gcm@openssh.com\nKexAlgorithms=ecdh-sha2-nistp384\n")]),
        ("include glob matching a directory", "Include {D}/inc/*\nCiphers aes128-ctr\n", [("inc/sub/a.conf", "MACs hmac-md5\n")]),
        ("values sshd normalises", "ClientAliveInterval 1H30m\nPermitRootLogin prohibit-password\nX11Forwarding YES\nMaxAuthTries 04\n"
            + "HostKeyAlgorithms -ssh-rsa*,ecdsa*\n", []),
        ("negative time", "ClientAliveInterval -1\n", []),
        ("algorithm names are case-sensitive", "Ciphers AES256-CTR\n", []),
        ("global keyword under Match all", "Match all # everyone\nCiphers 3des-cbc\nMACs hmac-sha2-512\nMatch User bob # not bob\n  X11Forwarding yes\n", []),
        ("Match criteria errors", "Match User\n  X11Forwarding yes\n", []),
        ("escapes", "Ciphers aes256\\-ctr\nMACs 'hmac-sha2-512'\n", []),
    ]

    func testVariantsAgreeWithSshdT() throws {
        try SSHFixture.requirePrograms()
        var disagreements: [String] = []
        var verdicts = 0
        for (name, text, files) in Self.variants {
            let f = try SSHFixture()
            let main = try f.write("sshd_config", "HostKey \(try f.hostKey())\n" + text)
            for (n, t) in files { try f.write(n, t) }
            disagreements += try compare(name, main, connection: nil, &verdicts)
        }
        XCTAssertEqual(disagreements, [], disagreements.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(verdicts, Self.variants.count * 3)
    }

    func testMatchBlocksAgreeWithSshdTForConnections() throws {
        try SSHFixture.requirePrograms()
        let f = try SSHFixture()
        try f.write("inc/a.conf", "Match Group adm*\n  ClientAliveInterval 300\n")
        let main = try f.write("sshd_config", """
            HostKey \(try f.hostKey())
            PermitRootLogin no
            X11Forwarding no
            Include {D}/inc/*.conf
            Match User bob,!alice Address 10.0.0.0/8
              PermitRootLogin yes
              X11Forwarding yes
            Match Host *.example.com LocalPort 2222
              MaxAuthTries 2
              PermitRootLogin without-password
            Match LocalAddress 192.168.1.0/24
              X11Forwarding yes
            Match all
              MaxAuthTries 3

            """)
        var verdicts = 0
        var disagreements: [String] = []
        for spec in ["user=bob,addr=10.1.2.3", "user=bob,addr=192.0.2.1", "user=alice,addr=10.1.2.3",
                     "user=x,host=a.example.com,lport=2222", "user=x,host=a.example.com,lport=22",
                     "user=root,laddr=192.168.1.9", "user=root,addr=10.0.0.1,laddr=10.0.0.2", "user=root"] {
            disagreements += try compare("connection \(spec)", main, connection: spec, &verdicts)
        }
        XCTAssertEqual(disagreements, [], disagreements.joined(separator: "\n"))
    }

    /// A relative Include resolves against /etc/ssh, for sshd and for Vigil.
    func testRelativeIncludeUnderEtcSsh() throws {
        try SSHFixture.requirePrograms()
        guard getuid() == 0 else { throw XCTSkip("needs root: writes a throw-away directory under /etc/ssh") }
        let sub = "vigil-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "/etc/ssh/\(sub)", withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: "/etc/ssh/\(sub)") }
        try "Ciphers 3des-cbc,aes256-ctr\n".write(toFile: "/etc/ssh/\(sub)/a.conf", atomically: true, encoding: .utf8)
        let f = try SSHFixture()
        let main = try f.write("sshd_config", "HostKey \(try f.hostKey())\nInclude \(sub)/*.conf\nCiphers aes256-ctr\n")
        var verdicts = 0
        let d = try compare("relative include", main, connection: nil, &verdicts)
        XCTAssertEqual(d, [], d.joined(separator: "\n"))
        XCTAssertEqual(SSHFixture.sshdT(main).values?["ciphers"], ["3des-cbc,aes256-ctr"])
    }

    /// Compares one configuration: effective values and STIG verdicts.
    private func compare(_ name: String, _ main: String, connection: String?, _ verdicts: inout Int) throws -> [String] {
        let real = SSHFixture.sshdT(main, connection: connection)
        var out: [String] = []
        let target = HostTarget()
        let parsed = SSHConfigReader.read(main, target: target, server: true)
        let version = OpenSSHVersionFinder.find(on: target, server: true)
        let config = SSHEffectiveConfig(parsed: parsed, server: true, version: version)
        let conn = try SSHConnection(spec: connection ?? "")
        if let values = real.values {
            if let p = parsed.problems.first { out.append("\(name): sshd accepts, Vigil sees a problem: \(p)") }
            for k in Self.compared {
                let sources = config.sources(k, connection: conn, host: SSHClientHost(name: nil)) { SSHUserGroups.groups(of: $0, target: target) }
                let mine = config.value(k, sources: sources)?.text
                if mine != values[k]?.joined(separator: " ") {
                    out.append("\(name): \(k): sshd -T \(values[k] ?? []), Vigil \(mine ?? "nil")")
                }
            }
        }
        for (keyword, allowed) in Self.stig {
            var params: [(String, [String])] = [("path", [main]), ("keyword", [keyword]), ("allowed", allowed)]
            if let connection { params.append(("connection", [connection])); params.append(("match_blocks", ["ignore"])) }
            let v = try SSHFixture.verdict("sshd_config", params)
            verdicts += 1
            guard let values = real.values else {
                if v.result == .pass { out.append("\(name): \(keyword): sshd refuses the file, Vigil passes: \(v.evidence)") }
                continue
            }
            let items = (values[keyword.lowercased()]?.first ?? "").split(separator: ",").map(String.init)
            let expected: XCCDFResult = items.allSatisfy(allowed.contains) ? .pass : .fail
            if v.result != expected {
                out.append("\(name): \(keyword): sshd -T says \(expected), Vigil \(v.result) \(v.evidence) \(v.message ?? "")")
            }
        }
        return out
    }
}
