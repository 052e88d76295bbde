import Foundation
import XCTest

/// The run-time rules of `rules/fips` (openssl_runtime_*) on this live host: with
/// `VIGIL_CRYPTO_PROBE` pointing at a script that reports a FIPS host, all three pass; with
/// the real probe they give what this host's `openssl` command shows (providers, MD5); with
/// `OPENSSL_CONF` activating legacy, openssl_runtime_legacy_absent fails.
///
/// kernel_fips_mode is never seen passing in the tests: it reads the running kernel's
/// `crypto.fips_enabled`, and no test machine boots a FIPS kernel (it fails on this host and
/// is not applicable on an offline root).
final class FIPSRuntimeRulesTests: XCTestCase {
    static let runtimeOnly = FIPSExpectedVerdicts.runtimeRules + ["kernel_fips_mode"]

    /// A stand-in probe: the JSON `vigil-crypto-probe` writes on a FIPS host (fips provider
    /// loaded, self-test passed, default properties fips=yes, no legacy), every digest asked
    /// about usable but MD5.
    static let fipsProbe = #"""
        #!/bin/sh
        printf '{"probe": 1, "openssl": {"version": "OpenSSL 3.0.9 30 May 2023", "config_file": "/etc/pki/tls/openssl.cnf", "config_loaded": true, "config_errors": [], "modules_dir": "/usr/lib64/ossl-modules"}, "default_properties_fips": true, "providers": [{"name": "fips", "description": "OpenSSL FIPS Provider", "version": "3.0.9", "buildinfo": "3.0.9", "status": 1, "self_test": true}, {"name": "base", "description": "OpenSSL Base Provider", "version": "3.0.9", "buildinfo": "3.0.9", "status": 1, "self_test": true}], "digests": ['
        sep=""
        for d in "$@"; do
          case "$d" in [Mm][Dd]5) ok=false ;; *) ok=true ;; esac
          printf '%s{"name": "%s", "fetched": %s, "works": %s, "error": ""}' "$sep" "$d" "$ok" "$ok"; sep=", "
        done
        printf ']}\n'
        """#

    static let legacyConf = """
        openssl_conf = openssl_init
        [openssl_init]
        providers = provider_sect
        [provider_sect]
        default = default_sect
        legacy = legacy_sect
        [default_sect]
        activate = 1
        [legacy_sect]
        activate = 1

        """

    /// The three live scans (stand-in FIPS probe, real probe with the host's configuration,
    /// real probe with legacy activated), each selecting the run-time rules only.
    static func scans(work: URL) throws -> (fips: [String: FIPSVerdict], host: [String: FIPSVerdict], legacy: [String: FIPSVerdict]) {
        let probe = work.appendingPathComponent("fips-probe.sh")
        try fipsProbe.write(to: probe, atomically: true, encoding: .utf8)
        guard chmod(probe.path, 0o755) == 0 else { throw NodeSpecError(description: "chmod \(probe.path)") }
        let conf = work.appendingPathComponent("legacy.cnf")
        try legacyConf.write(to: conf, atomically: true, encoding: .utf8)
        let options = ["--profile", "all"] + runtimeOnly.flatMap { ["--rule", FIPSScan.rulePrefix + $0] }
        let fips = try FIPSScan.run(root: nil, work: work, name: "live-fips-probe", options: options,
                                    environment: ["VIGIL_CRYPTO_PROBE": probe.path])
        let host = try FIPSScan.run(root: nil, work: work, name: "live-host", options: options,
                                    environment: ["VIGIL_CRYPTO_PROBE": "", "OPENSSL_CONF": "/usr/lib/ssl/openssl.cnf"])
        let legacy = try FIPSScan.run(root: nil, work: work, name: "live-legacy", options: options,
                                      environment: ["VIGIL_CRYPTO_PROBE": "", "OPENSSL_CONF": conf.path])
        return (fips, host, legacy)
    }

    func testRuntimeRulesOnTheLiveHost() throws {
        let work = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let s = try Self.scans(work: work)
        for rule in FIPSExpectedVerdicts.runtimeRules {
            XCTAssertEqual(s.fips[rule]?.result, "pass", "FIPS probe: \(rule): \(s.fips[rule]?.evidence ?? "missing") \(s.fips[rule]?.message ?? "")")
        }
        // This host as its own openssl command shows it (OPENSSL_CONF the host's default file).
        let env = ["OPENSSL_CONF": "/usr/lib/ssl/openssl.cnf"]
        let providers = try Shell.run("/usr/bin/openssl", ["list", "-providers"], environment: env).stdout
        let md5 = try Shell.run("/bin/sh", ["-c", "echo x | /usr/bin/openssl dgst -md5"], environment: env).status
        let hostFIPS = providers.contains("fips") && !providers.contains("OpenSSL Default Provider")
        XCTAssertEqual(s.host["openssl_runtime_fips"]?.result, hostFIPS ? "pass" : "fail", s.host["openssl_runtime_fips"]?.evidence ?? "missing")
        XCTAssertEqual(s.host["openssl_runtime_refuses_md5"]?.result, md5 == 0 ? "fail" : "pass", s.host["openssl_runtime_refuses_md5"]?.evidence ?? "missing")
        XCTAssertEqual(s.host["openssl_runtime_legacy_absent"]?.result, providers.contains("legacy") ? "fail" : "pass",
                       s.host["openssl_runtime_legacy_absent"]?.evidence ?? "missing")
        let legacy = s.legacy["openssl_runtime_legacy_absent"]
        XCTAssertEqual(legacy?.result, "fail", legacy?.evidence ?? "missing")
        XCTAssertTrue(legacy?.evidence.contains("legacy") == true, legacy?.evidence ?? "")
        // No FIPS kernel on a test machine: the one rule never seen passing.
        let kernel = (try? String(contentsOfFile: "/proc/sys/crypto/fips_enabled", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(s.host["kernel_fips_mode"]?.result, kernel == "1" ? "pass" : "fail")
    }
}
