import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// `openssl_config` on roots with the configurations issue 15 lists.
final class OpenSSLConfigCheckTests: XCTestCase {
    static let debianDefault = """
        openssl_conf = openssl_init
        [openssl_init]
        providers = provider_sect
        ssl_conf = ssl_sect
        [provider_sect]
        default = default_sect
        [default_sect]
        # activate = 1
        [ssl_sect]
        system_default = system_default_sect
        [system_default_sect]
        CipherString = DEFAULT:@SECLEVEL=2
        """

    static let fipsConfig = """
        openssl_conf = openssl_init
        .include /usr/lib/ssl/fipsmodule.cnf
        [openssl_init]
        providers = provider_sect
        alg_section = algorithm_sect
        [provider_sect]
        fips = fips_sect
        base = base_sect
        [base_sect]
        activate = 1
        [algorithm_sect]
        default_properties = fips=yes
        """

    private func check(_ f: OpenSSLFixture, _ parameters: [(String, [String])]) throws -> NativeVerdict {
        try f.evaluate("openssl_config", parameters)
    }

    func testDebianDefaultActivatesOnlyTheDefaultProviderImplicitly() throws {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.13")
        try f.write("/etc/ssl/openssl.cnf", Self.debianDefault)
        let d = try check(f, [("providers_active", ["default"])])
        XCTAssertEqual(d.result, .pass)
        XCTAssertEqual(d.evidence.first, "/usr/lib/ssl/openssl.cnf; OpenSSL 3.0.13 (/usr/lib/x86_64-linux-gnu/libcrypto.so.3)")
        XCTAssertTrue(d.evidence[1].contains("implicitly"), "\(d.evidence)")
        XCTAssertEqual(try check(f, [("providers_active", ["fips"])]).result, .fail)
        XCTAssertEqual(try check(f, [("providers_inactive", ["legacy"])]).result, .pass)
        let p = try check(f, [("default_properties_fips", ["true"])])
        XCTAssertEqual(p.result, .fail)
        XCTAssertEqual(p.evidence.last, "no default_properties: fetches do not require fips=yes")
    }

    func testFIPSActivatedFromAnIncludedModuleConfiguration() throws {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.13")
        try f.write("/etc/ssl/openssl.cnf", Self.fipsConfig)
        try f.write("/usr/lib/ssl/fipsmodule.cnf", "[fips_sect]\nactivate = 1\nconditional-errors = 1\n")
        try f.module()
        let d = try check(f, [("providers_active", ["fips", "base"]), ("default_properties_fips", ["true"]), ("providers_inactive", ["legacy"])])
        XCTAssertEqual(d.result, .pass, "\(d)")
        XCTAssertTrue(d.evidence.contains("fips active: /usr/lib/ssl/fipsmodule.cnf:2: activate = 1 [/usr/lib/ssl/openssl.cnf:7: fips = fips_sect]"), "\(d.evidence)")
        XCTAssertTrue(d.evidence.contains("/usr/lib/ssl/openssl.cnf:12: default_properties = fips=yes"), "\(d.evidence)")
        XCTAssertEqual(try check(f, [("providers_active", ["default"])]).result, .fail)
        // Without the module, fips is not active; base still is, default is not loaded.
        try FileManager.default.removeItem(atPath: f.root + OpenSSLFixture.modulesDir + "/fips.so")
        let missing = try check(f, [("providers_active", ["fips"])])
        XCTAssertEqual(missing.result, .fail)
        XCTAssertEqual(missing.evidence.last, "fips not active: module \(OpenSSLFixture.modulesDir)/fips.so not found in the target [/usr/lib/ssl/openssl.cnf:7: fips = fips_sect]")
        XCTAssertEqual(try check(f, [("providers_active", ["base"]), ("providers_inactive", ["default"])]).result, .pass)
    }

    func testPropertiesOnly() throws {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.13")
        let base = "openssl_conf = init\n[init]\nalg_section = algs\n[algs]\n"
        for (line, fips) in [("default_properties = fips=yes", true), ("default_properties = ?fips=yes", false), ("fips_mode = yes", true),
                             ("default_properties = fips = YES, provider=default", true), ("default_properties = fips=yes,-fips", false),
                             // fips_mode = no merges "-fips" (EVP_default_properties_enable_fips(ctx, 0)).
                             ("default_properties = fips=yes\nfips_mode = no", false), ("fips_mode = no\ndefault_properties = fips=yes", true)] {
            try f.write("/etc/ssl/openssl.cnf", base + line + "\n")
            XCTAssertEqual(try check(f, [("default_properties_fips", ["true"])]).result, fips ? .pass : .fail, line)
            XCTAssertEqual(try check(f, [("default_properties_fips", ["false"])]).result, fips ? .fail : .pass, line)
        }
        XCTAssertEqual(try check(f, [("providers_active", ["fips"])]).result, .fail)
        try f.write("/etc/ssl/openssl.cnf", base + "typo_properties = fips=yes\n")
        XCTAssertEqual(try check(f, [("default_properties_fips", ["true"])]).result, .error)
    }

    func testLegacyActivated() throws {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.13")
        try f.module(OpenSSLFixture.modulesDir + "/legacy.so")
        try f.write("/etc/ssl/openssl.cnf", "openssl_conf = i\n[i]\nproviders = p\n[p]\ndefault = d\nlegacy = l\n[d]\nactivate = 1\n[l]\nactivate = 1\n")
        let d = try check(f, [("providers_inactive", ["legacy"])])
        XCTAssertEqual(d.result, .fail)
        XCTAssertEqual(d.evidence.last, "legacy active: /usr/lib/ssl/openssl.cnf:10: activate = 1 [/usr/lib/ssl/openssl.cnf:6: legacy = l]")
        // Declared without activation first, activated by a later entry: active, and said so.
        try f.write("/etc/ssl/openssl.cnf", "openssl_conf = i\n[i]\nproviders = p\n[p]\nlegacy = l0\n2.legacy = l\n[l0]\n[l]\nactivate = 1\n")
        let later = try check(f, [("providers_inactive", ["legacy"])])
        XCTAssertEqual(later.result, .fail)
        XCTAssertEqual(later.evidence.last, "legacy active: /usr/lib/ssl/openssl.cnf:9: activate = 1 [/usr/lib/ssl/openssl.cnf:6: 2.legacy = l]")
    }

    func testActivateZeroDependsOnTheTargetsVersion() throws {
        let config = "openssl_conf = i\n[i]\nproviders = p\n[p]\ndefault = d\nlegacy = l\n[d]\nactivate = 1\n[l]\nactivate = 0\n"
        for (version, result) in [("3.0.13", ExpectedResult.fail), ("3.2.2", .fail), ("3.3.0", .pass), ("3.5.1", .pass)] {
            let f = try OpenSSLFixture()
            try f.libcrypto(version)
            try f.module(OpenSSLFixture.modulesDir + "/legacy.so")
            try f.write("/etc/ssl/openssl.cnf", config)
            XCTAssertEqual(try check(f, [("providers_inactive", ["legacy"])]).result, result.xccdf, version)
        }
        // The version from dpkg's status when there is no libcrypto to read.
        let f = try OpenSSLFixture()
        try f.module("/usr/lib/ossl-modules/legacy.so")
        try f.write("/etc/ssl/openssl.cnf", config)
        try f.write("/var/lib/dpkg/status", "Package: libssl3t64\nStatus: install ok installed\nVersion: 3.3.1-2\n\n")
        let d = try check(f, [("providers_inactive", ["legacy"])])
        XCTAssertEqual(d.result, .pass)
        XCTAssertTrue(d.evidence[0].contains("OpenSSL 3.3.1 (/var/lib/dpkg/status (libssl3t64 3.3.1-2))"), "\(d.evidence)")
        try f.write("/var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n\n")
        XCTAssertEqual(try check(f, [("providers_inactive", ["legacy"])]).result, .fail)
        try f.write("/var/lib/dpkg/status", "")
        let unknown = try check(f, [("providers_inactive", ["legacy"])])
        XCTAssertEqual(unknown.result, .unknown)
        // 3.3.0 and later refuse a value that is not a boolean.
        try f.write("/var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nVersion: 3.3.0-1\n\n")
        try f.write("/etc/ssl/openssl.cnf", config.replacingOccurrences(of: "activate = 0", with: "activate = maybe"))
        let bad = try check(f, [("providers_inactive", ["legacy"])])
        XCTAssertEqual(bad.result, .error)
        XCTAssertTrue(bad.message?.contains("/etc/ssl/openssl.cnf:10") == true, "\(bad)")
    }

    func testUnjudgeableConfigurationsAreNotVerdicts() throws {
        let f = try OpenSSLFixture()
        XCTAssertEqual(try check(f, [("providers_active", ["fips"])]).result, .notapplicable)
        try f.libcrypto("3.0.13")
        XCTAssertEqual(try check(f, [("providers_active", ["default"])]).result, .pass)  // no file: defaults
        try f.write("/etc/ssl/openssl.cnf", "openssl_conf = i\n.include fipsmodule.cnf\n[i]\n")
        let relative = try check(f, [("providers_active", ["fips"])])
        XCTAssertEqual(relative.result, .unknown)
        XCTAssertEqual(relative.evidence, ["/usr/lib/ssl/openssl.cnf:2: fipsmodule.cnf (relative .include)"])
        try f.write("/etc/ssl/openssl.cnf", "openssl_conf = i\n[i]\nproviders = missing_sect\n")
        XCTAssertEqual(try check(f, [("providers_active", ["fips"])]).result, .error)
        try f.write("/etc/ssl/other.cnf", "oops\n")
        let broken = try check(f, [("path", ["/etc/ssl/other.cnf"]), ("providers_inactive", ["legacy"])])
        XCTAssertEqual(broken.result, .error)
        XCTAssertTrue(broken.message?.hasPrefix("OpenSSL configuration: /etc/ssl/other.cnf:1: missing equal sign") == true, "\(broken)")
        XCTAssertThrowsError(try check(f, [("path", ["relative.cnf"]), ("providers_active", ["fips"])]))
        // OpenSSL 1.1 has no providers at all.
        let old = try OpenSSLFixture()
        try old.libcrypto("1.1.1n")
        try FileManager.default.moveItem(atPath: old.root + "/usr/lib/x86_64-linux-gnu/libcrypto.so.3", toPath: old.root + "/usr/lib/x86_64-linux-gnu/libcrypto.so.1.1")
        try old.write("/etc/ssl/openssl.cnf", Self.debianDefault)
        XCTAssertEqual(try check(old, [("providers_inactive", ["legacy"])]).result, .notapplicable)
        XCTAssertEqual(try old.evaluate("fips_module", []).result, .notapplicable)
        XCTAssertThrowsError(try check(f, [("path", ["/etc/ssl/openssl.cnf"])]))
    }
}

/// The test's expected result, spelled short.
enum ExpectedResult {
    case pass, fail
    var xccdf: XCCDFResult { self == .pass ? .pass : .fail }
}
