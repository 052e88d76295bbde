import Foundation
import XCTest

/// `rules/fips` scanned by the real `vigil` on generated roots (fresh keys and dates): a stock
/// Debian 12 fails only what "FIPS is not set up" means and nothing else (no false failure on
/// its CA bundle, host keys or legacy module); the same root moved to FIPS passes every rule
/// but the run-time ones; broken in every way the rules name, each rule fails with evidence
/// naming the file (and line); `activate = 0` activates on OpenSSL 3.0 and not on 3.3.
final class FIPSRootVerdictTests: XCTestCase {
    private var work: URL!
    private var kubelets: FIPSKubelets!

    override func setUpWithError() throws {
        work = try Shell.tempDir()
        kubelets = try FIPSKubelets.build(in: work)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func testStockDebian12FailsOnlyWhatFIPSSetupMeans() throws {
        let root = try FIPSRoot.stock.build(under: work, kubelets: kubelets)
        let got = try FIPSScan.run(root: root, work: work, name: "stock")
        try FIPSScan.assert(got, FIPSExpectedVerdicts.stock, "stock Debian 12")
        XCTAssertTrue(got["trust_store_anchor_strength"]?.evidence.contains("anchors") == true, got["trust_store_anchor_strength"]?.evidence ?? "")
    }

    func testFIPSConfiguredRootPassesEveryOfflineRule() throws {
        let root = try FIPSRoot.fips.build(under: work, kubelets: kubelets)
        let got = try FIPSScan.run(root: root, work: work, name: "fips")
        try FIPSScan.assert(got, FIPSExpectedVerdicts.fips, "FIPS-configured")
        XCTAssertTrue(got["kubernetes_binaries_fips_go"]?.evidence.contains("BoringCrypto") == true, got["kubernetes_binaries_fips_go"]?.evidence ?? "")

        let tailored = try FIPSScan.run(root: root, work: work, name: "fips-tailored",
                                        options: try Self.allowlistTailoring(root: root, work: work))
        XCTAssertEqual(tailored["trust_store_anchor_allowlist"]?.result, "pass", tailored["trust_store_anchor_allowlist"]?.evidence ?? "missing")
    }

    func testWeakRootFailsEachRuleNamingTheFile() throws {
        let root = try FIPSRoot.weak.build(under: work, kubelets: kubelets)
        let got = try FIPSScan.run(root: root, work: work, name: "weak")
        try FIPSScan.assert(got, FIPSExpectedVerdicts.weak, "weak")
        for (rule, needles) in FIPSExpectedVerdicts.weakEvidence {
            let evidence = got[rule]?.evidence ?? ""
            for needle in needles {
                XCTAssertTrue(evidence.contains(needle), "weak: \(rule) evidence lacks '\(needle)': \(evidence)")
            }
        }
    }

    /// OpenSSL up to 3.2 activates a provider whose section says `activate = 0`; from 3.3 it
    /// is a boolean. A DEFAULT policy whose SSH server back-end is a regular file is overridden.
    func testActivateZeroFollowsTheTargetsOpenSSLVersion() throws {
        for (kind, expected) in [(FIPSRoot.activateZero30, "pass"), (.activateZero33, "fail")] {
            let root = try kind.build(under: work, kubelets: kubelets)
            let got = try FIPSScan.run(root: root, work: work, name: kind.rawValue)
            let active = got["openssl_fips_provider_active"]
            XCTAssertEqual(active?.result, expected, "\(kind.rawValue): \(active?.evidence ?? "missing")")
            XCTAssertTrue(active?.evidence.contains("/usr/lib/ssl/fipsmodule.cnf:2: activate = 0") == true, active?.evidence ?? "")
            XCTAssertEqual(got["openssl_fips_module_integrity"]?.result, "pass", got["openssl_fips_module_integrity"]?.evidence ?? "")
            let overridden = got["crypto_policy_not_overridden"]
            XCTAssertEqual(overridden?.result, "fail", overridden?.evidence ?? "missing")
            XCTAssertTrue(overridden?.evidence.contains("/etc/crypto-policies/back-ends/opensshserver.config: regular file") == true,
                          overridden?.evidence ?? "")
            XCTAssertEqual(got["crypto_policy_fips"]?.result, "fail")
            XCTAssertEqual(got["crypto_policy_no_sha1"]?.result, "pass", "DEFAULT without SHA1 sub-policy")
        }
    }

    /// A tailoring of the stig-crypto profile whose `trusted_anchor_fingerprints` lists the
    /// SHA-256 fingerprint of every anchor in the root's bundle (computed by `openssl x509`),
    /// as `vigil scan` options selecting the allow-list rule.
    static func allowlistTailoring(root: URL, work: URL) throws -> [String] {
        let bundle = root.appendingPathComponent("etc/ssl/certs/ca-certificates.crt").path
        let split = work.appendingPathComponent("anchors")
        let script = #"""
            mkdir -p "$OUT"; cd "$OUT"
            awk '/BEGIN CERTIFICATE/{n++} {print > ("a" n ".pem")}' "$BUNDLE"
            for f in a*.pem; do openssl x509 -noout -fingerprint -sha256 -in "$f" | sed 's/.*=//'; done
            """#
        let r = try Shell.run("/bin/sh", ["-euc", script], environment: ["OUT": split.path, "BUNDLE": bundle])
        XCTAssertEqual(r.status, 0, r.stderr)
        let prints = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(prints.count, 100, "Debian's bundle holds about 140 anchors")
        let tailoring = work.appendingPathComponent("allowlist-tailoring.xml")
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_io.vigil_tailoring_anchors">
              <xccdf:version time="2026-11-30T00:00:00">1</xccdf:version>
              <xccdf:Profile id="xccdf_io.vigil_profile_anchors" extends="xccdf_io.vigil_profile_stig-crypto">
                <xccdf:title>approved anchors</xccdf:title>
                <xccdf:set-value idref="xccdf_io.vigil_value_trusted_anchor_fingerprints">\(prints.joined(separator: " "))</xccdf:set-value>
              </xccdf:Profile>
            </xccdf:Tailoring>
            """.write(to: tailoring, atomically: true, encoding: .utf8)
        return ["--tailoring", tailoring.path, "--profile", "xccdf_io.vigil_profile_anchors",
                "--rule", FIPSScan.rulePrefix + "trust_store_anchor_allowlist"]
    }
}
