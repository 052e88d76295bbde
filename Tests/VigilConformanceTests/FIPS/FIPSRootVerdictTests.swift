import Foundation
import XCTest

/// `rules/fips` scanned by the real `vigil` on generated roots (fresh keys and dates): a stock
/// Debian 12 fails only what "FIPS is not set up" means and nothing else (no false failure on
/// its CA bundle, host keys or legacy module); the same root moved to FIPS passes every rule
/// but the run-time ones; broken in every way the rules name, each rule fails with evidence
/// naming the file (and line); `activate = 0` activates on OpenSSL 3.0 and not on 3.3. Across
/// them every rule is seen passing and failing, and oscap agrees (see the last test).
final class FIPSRootVerdictTests: XCTestCase {
    /// Rules never seen passing in the tests, with the reason.
    static let neverPassing = ["kernel_fips_mode": "reads the running kernel's crypto.fips_enabled; no test machine runs a FIPS kernel"]

    override class func tearDown() { FIPSFixtureSet.removeShared() }

    func testStockDebian12FailsOnlyWhatFIPSSetupMeans() throws {
        let got = try FIPSFixtureSet.shared().verdicts[.stock] ?? [:]
        try FIPSScan.assert(got, FIPSExpectedVerdicts.stock, "stock Debian 12")
        XCTAssertTrue(got["trust_store_anchor_strength"]?.evidence.contains("anchors") == true, got["trust_store_anchor_strength"]?.evidence ?? "")
    }

    func testFIPSConfiguredRootPassesEveryOfflineRule() throws {
        let set = try FIPSFixtureSet.shared()
        let got = set.verdicts[.fips] ?? [:]
        try FIPSScan.assert(got, FIPSExpectedVerdicts.fips, "FIPS-configured")
        XCTAssertTrue(got["kubernetes_binaries_fips_go"]?.evidence.contains("BoringCrypto") == true, got["kubernetes_binaries_fips_go"]?.evidence ?? "")
        let allowlist = try Self.tailoredAllowlist(set)
        XCTAssertEqual(allowlist?.result, "pass", allowlist?.evidence ?? "missing")
    }

    func testWeakRootFailsEachRuleNamingTheFile() throws {
        let got = try FIPSFixtureSet.shared().verdicts[.weak] ?? [:]
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
    /// `fips=1` in a GRUB drop-in (Ubuntu Pro FIPS) counts as configured.
    func testActivateZeroFollowsTheTargetsOpenSSLVersion() throws {
        let set = try FIPSFixtureSet.shared()
        for (kind, expected) in [(FIPSRoot.activateZero30, "pass"), (.activateZero33, "fail")] {
            let got = set.verdicts[kind] ?? [:]
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
            XCTAssertEqual(got["kernel_fips_boot_argument"]?.result, "pass", "fips=1 in /etc/default/grub.d")
        }
    }

    /// Across every root, the tailored allow-list and the live run-time scans, every rule is
    /// seen passing and failing (but `neverPassing`) and never `error`. oscap evaluates the
    /// data stream `vigil build` writes on every root (`OSCAP_PROBE_ROOT`) without an `error`
    /// on any rule, and agrees with Vigil on the SCAP-pure rules.
    func testEveryRuleSeenPassingAndFailingAndOscapAgrees() throws {
        let set = try FIPSFixtureSet.shared()
        let t = try KubernetesRulesDifferentialTests.toolsWithTimeout(in: set.work)
        let ds = set.work.appendingPathComponent("fips-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", FIPSScan.folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let live = try FIPSRuntimeRulesTests.scans(work: set.work)
        var seen: [String: Set<String>] = [:]
        for verdicts in Array(set.verdicts.values) + [live.fips, live.host, live.legacy] {
            for (rule, v) in verdicts { seen[rule, default: []].insert(v.result) }
        }
        if let allowlist = try Self.tailoredAllowlist(set) { seen["trust_store_anchor_allowlist", default: []].insert(allowlist.result) }
        XCTAssertEqual(Set(seen.keys), try FIPSScan.allRules())
        for (rule, results) in seen.sorted(by: { $0.key < $1.key }) where Self.neverPassing[rule] == nil {
            XCTAssertTrue(results.isSuperset(of: ["pass", "fail"]), "\(rule) never seen both passing and failing: \(results.sorted())")
            XCTAssertFalse(results.contains("error"), "\(rule) gave error on a fixture")
        }
        XCTAssertEqual(seen["kernel_fips_mode"]?.contains("pass"), false, "kernel_fips_mode passed: update neverPassing")
        for (kind, root) in set.roots.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try Self.oscapHasNoError(t, ds: ds, root: root, work: set.work)
            let run = try DifferentialRun.run(t, content: ds, options: FIPSExpectedVerdicts.scapPure.flatMap { ["--rule", FIPSScan.rulePrefix + $0] },
                                              root: root.path, work: set.work, name: "pure-\(kind.rawValue)")
            XCTAssertEqual(run.status, 0, "\(kind.rawValue): oscap and vigil differ on the SCAP-pure rules:\n\(run.output)")
        }
    }

    /// trust_store_anchor_allowlist on the FIPS root in a tailoring that approves every anchor.
    static func tailoredAllowlist(_ set: FIPSFixtureSet) throws -> FIPSVerdict? {
        guard let root = set.roots[.fips] else { return nil }
        return try FIPSScan.run(root: root, work: set.work, name: "fips-tailored",
                                options: try allowlistTailoring(root: root, work: set.work))["trust_store_anchor_allowlist"]
    }

    /// oscap on the whole data stream (native rules: their fallback or notchecked) gives no
    /// `error` on any rule of the root.
    static func oscapHasNoError(_ t: BaselineDifferentialTests.Tools, ds: String, root: URL, work: URL) throws {
        let results = work.appendingPathComponent("oscap-all-\(root.lastPathComponent).xml").path
        _ = try Shell.run(t.oscap, ["xccdf", "eval", "--results", results, ds],
                          environment: ["OSCAP_PROBE_ROOT": root.path, "APT_CONFIG": try OscapAptWorkaround.config(in: work)])
        let got = try DifferentialRun.results(in: results)
        XCTAssertEqual(Set(got.keys), Set(try FIPSScan.allRules().map { FIPSScan.rulePrefix + $0 }), "\(root.lastPathComponent): oscap results")
        for (rule, result) in got.sorted(by: { $0.key < $1.key }) {
            XCTAssertNotEqual(result, "error", "\(root.lastPathComponent): oscap gave error on \(rule)")
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
