import Foundation
import VigilCore
import VigilCrypto
import VigilTarget
import XCTest

/// `crypto_policy` on crypto-policies trees built by the tests.
final class CryptoPolicyCheckTests: XCTestCase {
    static let fipsPol = """
        # FIPS policy (shape of the shipped one)
        mac = AEAD HMAC-SHA2-256 HMAC-SHA1 HMAC-SHA2-384
        hash = SHA2-256 SHA2-384 SHA2-512 SHA3-256 \\
               SHA3-384 SHA3-512
        sign = ECDSA-SHA3-256 ECDSA-SHA2-256 RSA-PSS-SHA2-256 \\
               RSA-SHA2-256 RSA-SHA2-384
        min_rsa_size = 2048
        sha1_in_certs = 0
        """
    static let defaultPol = """
        hash = SHA2-256 SHA2-384 SHA2-512 SHA1
        sign = ECDSA-SHA2-256 RSA-SHA2-256 RSA-SHA1 ECDSA-SHA1
        min_rsa_size = 2048
        """

    /// A root with `/etc/crypto-policies` set to `policy` (applied unless `state` is nil),
    /// the shipped FIPS and DEFAULT policies and back-ends linked to `backendPolicy`.
    func tree(_ policy: String = "FIPS", state: String? = "FIPS", backendPolicy: String = "FIPS",
              extra: [String: String] = [:]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cp-\(UUID().uuidString)").path
        var files = ["etc/crypto-policies/config": "# set by update-crypto-policies\n\(policy)\n",
                     "usr/share/crypto-policies/policies/FIPS.pol": Self.fipsPol,
                     "usr/share/crypto-policies/policies/DEFAULT.pol": Self.defaultPol,
                     "usr/share/crypto-policies/FIPS/openssh.txt": "Ciphers aes256-gcm@openssh.com\n",
                     "usr/share/crypto-policies/FIPS/opensslcnf.txt": "MinProtocol = TLSv1.2\n",
                     "usr/share/crypto-policies/DEFAULT/openssh.txt": "Ciphers aes256-gcm@openssh.com,chacha20-poly1305@openssh.com\n",
                     "usr/share/crypto-policies/DEFAULT/opensslcnf.txt": "MinProtocol = TLSv1.2\n"]
        if let state { files["etc/crypto-policies/state/current"] = state + "\n" }
        for (k, v) in extra { files[k] = v }
        for (path, text) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let backends = root + "/etc/crypto-policies/back-ends"
        try FileManager.default.createDirectory(atPath: backends, withIntermediateDirectories: true)
        for name in ["openssh", "opensslcnf"] {
            try FileManager.default.createSymbolicLink(atPath: "\(backends)/\(name).config",
                                                       withDestinationPath: "/usr/share/crypto-policies/\(backendPolicy)/\(name).txt")
        }
        return root
    }

    func verdict(_ root: String, _ params: [(String, [String])]) throws -> NativeVerdict {
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: "crypto_policy", parameters: params.map { ($0.0, $0.1) }))
        return check.evaluate(NativeContext(target: try RootTarget(root)))
    }

    static let all: [(String, [String])] = [("policy", ["FIPS", "FIPS:OSPP"]), ("applied", ["true"]), ("backends_not_overridden", ["true"]),
                                            ("min_rsa_size_at_least", ["2048"]), ("sha1", ["forbidden"])]

    func testCompliantFIPSPasses() throws {
        let v = try verdict(try tree(), Self.all)
        XCTAssertEqual(v.result, .pass, "\(v)")
        XCTAssertEqual(v.evidence.first, "/etc/crypto-policies/config:2: policy FIPS (allowed: FIPS, FIPS:OSPP)")
        XCTAssertEqual(v.evidence.count, 6, "five lines and a count: \(v.evidence)")
        XCTAssertEqual(v.evidence.last, "and 1 more")
    }

    func testDefaultPolicyFailsPolicyAndSHA1() throws {
        let root = try tree("DEFAULT", state: "DEFAULT", backendPolicy: "DEFAULT")
        let policy = try verdict(root, [("policy", ["FIPS"])])
        XCTAssertEqual(policy.result, .fail)
        XCTAssertEqual(policy.evidence, ["/etc/crypto-policies/config:2: policy DEFAULT (allowed: FIPS)"])
        let sha1 = try verdict(root, [("sha1", ["forbidden"])])
        XCTAssertEqual(sha1.result, .fail)
        XCTAssertEqual(sha1.evidence.first, "/usr/share/crypto-policies/policies/DEFAULT.pol:1: hash allows SHA1")
        XCTAssertEqual(sha1.evidence.count, 3, "SHA1, RSA-SHA1, ECDSA-SHA1: \(sha1.evidence)")
        XCTAssertEqual(try verdict(root, [("backends_not_overridden", ["true"])]).result, .pass, "DEFAULT's back-ends are DEFAULT's links")
    }

    func testOverriddenBackEndFails() throws {
        let root = try tree()
        let path = root + "/etc/crypto-policies/back-ends/openssh.config"
        try FileManager.default.removeItem(atPath: path)
        try "Ciphers 3des-cbc\n".write(toFile: path, atomically: true, encoding: .utf8)
        let v = try verdict(root, [("backends_not_overridden", ["true"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["/etc/crypto-policies/back-ends/openssh.config: regular file overrides /usr/share/crypto-policies/FIPS/openssh.txt"])
        // A link elsewhere (here: to another policy's file) is an override too.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "../../../usr/share/crypto-policies/DEFAULT/openssh.txt")
        let foreign = try verdict(root, [("backends_not_overridden", ["true"])])
        XCTAssertEqual(foreign.result, .fail)
        XCTAssertEqual(foreign.evidence.first, "/etc/crypto-policies/back-ends/openssh.config -> /usr/share/crypto-policies/DEFAULT/openssh.txt "
                       + "(expected /usr/share/crypto-policies/FIPS/openssh.txt)")
    }

    func testSubPolicyReallowingSHA1InAScopeFails() throws {
        let root = try tree("FIPS:OSPP:SHA1SSH", state: "FIPS:OSPP:SHA1SSH", extra: [
            "usr/share/crypto-policies/policies/modules/OSPP.pmod": "min_rsa_size = 3072\n",
            "etc/crypto-policies/policies/modules/SHA1SSH.pmod": "# re-allow SHA-1 for SSH\nsign@SSH = RSA-SHA1+\n",
        ])
        let v = try verdict(root, [("sha1", ["forbidden"]), ("min_rsa_size_at_least", ["3072"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["/etc/crypto-policies/policies/modules/SHA1SSH.pmod:2: sign@libssh,openssh-client,openssh-server allows RSA-SHA1"])
        XCTAssertEqual(try verdict(root, [("policy", ["FIPS:OSPP"])]).result, .fail, "the sub-policy list must match")
    }

    func testModulesRemoveWithWildcardsAndLocalPoliciesTakePrecedence() throws {
        let root = try tree("DEFAULT:NO-SHA1", state: "DEFAULT:NO-SHA1", backendPolicy: "DEFAULT", extra: [
            "usr/share/crypto-policies/policies/modules/NO-SHA1.pmod": "hash = -SHA1\nsign = -*-SHA1\n",
            // A local DEFAULT.pol shadows the shipped one.
            "etc/crypto-policies/policies/DEFAULT.pol": Self.defaultPol.replacingOccurrences(of: "min_rsa_size = 2048", with: "min_rsa_size = 1024"),
        ])
        let v = try verdict(root, [("sha1", ["forbidden"])])
        XCTAssertEqual(v.result, .pass, "\(v)")
        let rsa = try verdict(root, [("min_rsa_size_at_least", ["2048"])])
        XCTAssertEqual(rsa.result, .fail)
        XCTAssertEqual(rsa.evidence, ["/etc/crypto-policies/policies/DEFAULT.pol:3: min_rsa_size = 1024 (at least 2048)"])
    }

    func testGlobalSHA1InheritedByAScopeIsReportedOnceAndAScopeMayRemoveIt() throws {
        let root = try tree("DEFAULT:SCOPES", state: "DEFAULT:SCOPES", backendPolicy: "DEFAULT", extra: [
            "usr/share/crypto-policies/policies/modules/SCOPES.pmod": "hash@SSH = SHA2-512+\nsign@TLS = -*-SHA1\n",
        ])
        let v = try verdict(root, [("sha1", ["forbidden"])])
        XCTAssertEqual(v.result, .fail)
        let others = "bind,krb5,libreswan,libssh,openssh-client,openssh-server,sequoia,rpm"
        XCTAssertEqual(v.evidence, ["/usr/share/crypto-policies/policies/DEFAULT.pol:1: hash allows SHA1",
                                    "/usr/share/crypto-policies/policies/DEFAULT.pol:2: sign@\(others) allows RSA-SHA1",
                                    "/usr/share/crypto-policies/policies/DEFAULT.pol:2: sign@\(others) allows ECDSA-SHA1"])
    }

    func testScopeSetsApplyToEachScopeWithoutCase() throws {
        func sha1(_ module: String) throws -> NativeVerdict {
            let root = try tree("FIPS:M", state: "FIPS:M", extra: ["usr/share/crypto-policies/policies/modules/M.pmod": module])
            return try verdict(root, [("sha1", ["forbidden"])])
        }
        let both = try sha1("hash@{SSH,RPM} = SHA1+\nhash@rpm = -SHA1\n")
        XCTAssertEqual(both.result, .fail)
        XCTAssertEqual(both.evidence, ["/usr/share/crypto-policies/policies/modules/M.pmod:1: hash@libssh,openssh-client,openssh-server allows SHA1"])
        XCTAssertEqual(try sha1("hash@{SSH,RPM} = SHA1+\nhash@rpm = -SHA1\nhash@Ssh = -SHA1\n").result, .pass)
        XCTAssertEqual(try sha1("hash@DNSSec = SHA1+  # trailing comment\nhash = -SHA1\n").result, .pass,
                       "a later global removal applies to every scope")
        let negated = try sha1("hash@!{ssh,dnssec,rpm} = SHA1+\n")
        XCTAssertEqual(negated.evidence, ["/usr/share/crypto-policies/policies/modules/M.pmod:1: hash@gnutls,java-tls,krb5,libreswan,nss,openssl,sequoia allows SHA1"])
        XCTAssertEqual(try sha1("hash@openssh-* = SHA1+\n").evidence,
                       ["/usr/share/crypto-policies/policies/modules/M.pmod:1: hash@openssh-client,openssh-server allows SHA1"])
        XCTAssertEqual(try sha1("hash@dnssec = SHA1+\nhash@bind =\n").result, .pass, "an empty setting empties the list")
        let mixed = try sha1("hash = SHA1 -SHA2-256\n")
        XCTAssertEqual(mixed.result, .error)
        XCTAssertEqual(mixed.message, "crypto_policy: /usr/share/crypto-policies/policies/modules/M.pmod:1: a line either sets a list or modifies it, not both")
    }

    func testWithSubPoliciesOrLocalAdditionsBackEndsAreGeneratedFiles() throws {
        // Later lines of config add sub-policies, as update-crypto-policies reads it.
        let root = try tree("fips\nOSPP", state: "FIPS:OSPP", extra: ["usr/share/crypto-policies/policies/modules/OSPP.pmod": "min_rsa_size = 3072\n"])
        let backends = root + "/etc/crypto-policies/back-ends"
        XCTAssertEqual(try verdict(root, [("policy", ["FIPS:OSPP"]), ("applied", ["true"])]).result, .pass)
        let stale = try verdict(root, [("backends_not_overridden", ["true"])])
        XCTAssertEqual(stale.result, .fail, "links into FIPS/ were not regenerated for FIPS:OSPP")
        XCTAssertEqual(stale.evidence.first, "/etc/crypto-policies/back-ends/openssh.config -> /usr/share/crypto-policies/FIPS/openssh.txt: "
                       + "a link, but the policy has no shipped profile file for it")
        for name in ["openssh", "opensslcnf"] {
            try FileManager.default.removeItem(atPath: "\(backends)/\(name).config")
            try "generated\n".write(toFile: "\(backends)/\(name).config", atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(try verdict(root, [("backends_not_overridden", ["true"])]).result, .pass)

        // FIPS alone, with a local.d addition for openssh: that back-end is a generated file.
        let local = try tree(extra: ["etc/crypto-policies/local.d/openssh-extra.config": "Ciphers aes256-ctr\n"])
        XCTAssertEqual(try verdict(local, [("backends_not_overridden", ["true"])]).result, .fail)
        try FileManager.default.removeItem(atPath: local + "/etc/crypto-policies/back-ends/openssh.config")
        try "generated\n".write(toFile: local + "/etc/crypto-policies/back-ends/openssh.config", atomically: true, encoding: .utf8)
        let v = try verdict(local, [("backends_not_overridden", ["true"])])
        XCTAssertEqual(v.result, .pass)
        XCTAssertEqual(v.evidence, ["/etc/crypto-policies/back-ends/openssh.config: generated file (content not compared)",
                                    "/etc/crypto-policies/back-ends/opensslcnf.config -> /usr/share/crypto-policies/FIPS/opensslcnf.txt"])
    }

    func testMissingStateFailsApplied() throws {
        let v = try verdict(try tree(state: nil), [("applied", ["true"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence, ["/etc/crypto-policies/state/current: missing (policy never applied)"])
        let stale = try verdict(try tree(state: "DEFAULT"), [("applied", ["true"])])
        XCTAssertEqual(stale.result, .fail)
        XCTAssertEqual(stale.evidence, ["/etc/crypto-policies/state/current:1: applied DEFAULT, configured FIPS"])
    }

    func testMissingSubPolicyIsAnError() throws {
        let v = try verdict(try tree("FIPS:NOPE"), [("sha1", ["forbidden"])])
        XCTAssertEqual(v.result, .error)
        XCTAssertTrue(v.message?.contains("sub-policy NOPE not found") ?? false, "\(v)")
    }

    func testHugePolicyIsRefusedQuickly() throws {
        let scoped = (0..<6000).map { "hash@S\($0) = SHA1+" }.joined(separator: "\n")
        let root = try tree(extra: ["usr/share/crypto-policies/policies/FIPS.pol": Self.fipsPol + "\n" + scoped])
        let start = Date()
        let v = try verdict(root, [("sha1", ["forbidden"])])
        XCTAssertEqual(v.result, .error)
        XCTAssertTrue(v.message?.contains("more than 5000 directives") ?? false, "\(v)")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        // Just under the limit: every scope judged, still quickly.
        let under = (0..<4900).map { "sign@S\($0) = -RSA-SHA2-256" }.joined(separator: "\n")
        let root2 = try tree(extra: ["usr/share/crypto-policies/policies/FIPS.pol": Self.fipsPol + "\n" + under])
        let start2 = Date()
        XCTAssertEqual(try verdict(root2, [("sha1", ["forbidden"])]).result, .pass)
        XCTAssertLessThan(Date().timeIntervalSince(start2), 5)
    }

    func testNotACryptoPoliciesSystemIsNotApplicable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        XCTAssertEqual(try verdict(root, Self.all).result, .notapplicable)
    }

    func testParametersAreChecked() {
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "crypto_policy", parameters: [])))
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "crypto_policy", parameters: [("policy", ["../etc"])])))
        XCTAssertThrowsError(try NativeCheckKinds.make(NativeCheckSpec(kind: "crypto_policy", parameters: [("sha1", ["allowed"])])))
    }
}
