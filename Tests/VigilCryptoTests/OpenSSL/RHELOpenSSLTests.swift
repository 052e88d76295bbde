import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// Red Hat's OpenSSL 3 loads the FIPS provider and sets `fips=yes` itself when the kernel
/// is in FIPS mode; `openssl_config` and `fips_module` must follow it, offline (boot
/// configuration) and live (`/proc/sys/crypto/fips_enabled`).
final class RHELOpenSSLTests: XCTestCase {
    private let fipsChecks: [[(String, [String])]] = [[("providers_active", ["fips"])], [("default_properties_fips", ["true"])],
                                                      [("providers_active", ["fips", "base", "default"])]]

    func testRHELBuildBootingInFIPSModeHasTheFIPSProvider() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: true)
        for parameters in fipsChecks {
            let d = try f.evaluate("openssl_config", parameters)
            XCTAssertEqual(d.result, .pass, "\(parameters) \(d)")
        }
        let d = try f.evaluate("openssl_config", [("providers_active", ["fips"])])
        XCTAssertEqual(d.evidence.first, "/etc/pki/tls/openssl.cnf; OpenSSL 3.0.7 (/usr/lib64/libcrypto.so.3)")
        XCTAssertEqual(Array(d.evidence.dropFirst()), [
            "fips active: loaded by /usr/lib64/libcrypto.so.3 itself (kernel in FIPS mode)",
            "Red Hat build: /usr/lib64/libcrypto.so.3 loads the fips provider and sets fips=yes when the kernel is in FIPS mode",
            "kernel in FIPS mode: /boot/loader/entries/4f6e1d-5.14.0-427.el9.x86_64.conf:4: fips=1",
        ])
        let p = try f.evaluate("openssl_config", [("default_properties_fips", ["true"])])
        XCTAssertEqual(p.evidence[1], "fips=yes required by the build (kernel in FIPS mode)")
        // A later alg_section line still changes the properties, as in libcrypto.
        try f.write("/etc/pki/tls/openssl.cnf", OpenSSLFixture.rhelConfig.replacingOccurrences(of: "#to be tuned on particular systems", with: "fips_mode = no"))
        let off = try f.evaluate("openssl_config", [("default_properties_fips", ["true"]), ("providers_active", ["fips"])])
        XCTAssertEqual(off.result, .fail, "\(off)")
        XCTAssertEqual(off.evidence[1], "/etc/pki/tls/openssl.cnf:10: fips_mode = no")
        try f.write("/etc/pki/tls/openssl.cnf", OpenSSLFixture.rhelConfig)
        // The legacy provider is still off, the default provider still on.
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_inactive", ["legacy"])]).result, .pass)
    }

    func testRHELBuildNotBootingInFIPSModeFails() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: false)
        for parameters in fipsChecks {
            let d = try f.evaluate("openssl_config", parameters)
            XCTAssertEqual(d.result, .fail, "\(parameters) \(d)")
            XCTAssertTrue(d.evidence.contains { $0.contains("no fips=1") }, "\(d.evidence)")
        }
        // fips=1 only in /etc/default/grub while the boot entries lack it: the entries boot.
        try f.write("/etc/default/grub", "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"crashkernel=auto fips=1\"\n")
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .fail)
        // fips=1 then fips=0 on one line: the last one counts, as in the kernel.
        try f.write("/boot/loader/entries/4f6e1d-5.14.0-427.el9.x86_64.conf", "options ro fips=1 fips=0\n")
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .fail)
    }

    func testKernelCommandLineAndGrubDefaultsAreBootConfiguration() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: nil)
        try f.write("/etc/kernel/cmdline", "root=/dev/sda1 ro fips=1\n")
        let d = try f.evaluate("openssl_config", [("providers_active", ["fips"])])
        XCTAssertEqual(d.result, .pass, "\(d)")
        XCTAssertTrue(d.evidence.last?.contains("/etc/kernel/cmdline:1: fips=1") == true, "\(d.evidence)")
        try FileManager.default.removeItem(atPath: f.root + "/etc/kernel/cmdline")
        try f.write("/etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n# GRUB_CMDLINE_LINUX=\"fips=1\"\nGRUB_CMDLINE_LINUX=\"fips=1 quiet\"\n")
        let g = try f.evaluate("openssl_config", [("default_properties_fips", ["true"])])
        XCTAssertEqual(g.result, .pass, "\(g)")
        XCTAssertTrue(g.evidence.last?.contains("/etc/default/grub:3: fips=1") == true, "\(g.evidence)")
    }

    func testImageWithoutBootConfigurationIsUnknownNotFailed() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: nil)
        let d = try f.evaluate("openssl_config", [("providers_active", ["fips"])])
        XCTAssertEqual(d.result, .unknown, "\(d)")
        XCTAssertTrue(d.message?.contains("kernel") == true, "\(d)")
        // What does not depend on the kernel is still judged.
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["default"])]).result, .pass)
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_inactive", ["legacy"])]).result, .pass)
    }

    func testLiveHostFollowsTheRunningKernel() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: true)
        let on = try f.evaluate("openssl_config", [("providers_active", ["fips"]), ("default_properties_fips", ["true"])],
                                target: f.live(fipsEnabled: "1\n"))
        XCTAssertEqual(on.result, .pass, "\(on)")
        XCTAssertTrue(on.evidence.last?.contains("/proc/sys/crypto/fips_enabled: 1") == true, "\(on.evidence)")
        // Booted with fips=1 in the configuration, but the running kernel is not in FIPS mode.
        let off = try f.evaluate("openssl_config", [("providers_active", ["fips"])], target: f.live(fipsEnabled: "0\n"))
        XCTAssertEqual(off.result, .fail, "\(off)")
        XCTAssertTrue(off.evidence.contains { $0.contains("/proc/sys/crypto/fips_enabled: 0") }, "\(off.evidence)")
    }

    func testWithoutTheRedHatMarkerNothingIsForced() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: true, kernelFIPS: false)
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .fail)
        XCTAssertEqual(try f.evaluate("openssl_config", [("default_properties_fips", ["true"])]).result, .fail)
        // Nor without the module the forced load needs.
        let g = try OpenSSLFixture()
        try g.rhel(bootFIPS: true)
        try FileManager.default.removeItem(atPath: g.root + OpenSSLFixture.rhelModulesDir + "/fips.so")
        let d = try g.evaluate("openssl_config", [("providers_active", ["fips"])])
        XCTAssertEqual(d.result, .fail, "\(d)")
        XCTAssertTrue(d.evidence.last?.contains("\(OpenSSLFixture.rhelModulesDir)/fips.so not found") == true, "\(d.evidence)")
    }

    func testFIPSLocalConfigurationConfiguresTheForcedProvider() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: true)
        let back = "/etc/crypto-policies/back-ends/openssl_fips.config"
        // A [fips_sect] that does not ask for activation: the build forces nothing.
        try f.write(back, "[fips_sect]\ntls1-prf-ems-check = 1\n")
        let d = try f.evaluate("openssl_config", [("providers_active", ["fips"])])
        XCTAssertEqual(d.result, .fail, "\(d)")
        XCTAssertTrue(d.evidence.last?.contains("/etc/pki/tls/fips_local.cnf: [fips_sect] does not activate fips") == true, "\(d.evidence)")
        // No [fips_sect] at all: the same.
        try f.write(back, "[other]\nactivate = 1\n")
        XCTAssertEqual(try f.evaluate("openssl_config", [("default_properties_fips", ["true"])]).result, .fail)
        // Its module line decides which file must exist.
        try f.write(back, "[fips_sect]\nactivate = 1\nmodule = /opt/fips/fips.so\n")
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .fail)
        try f.module("/opt/fips/fips.so")
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .pass)
    }

    func testKernelModeOfThisHostAgreesWithProc() throws {
        let mode = KernelFIPSMode.read(Targets.host)
        if let text = try? String(contentsOfFile: "/proc/sys/crypto/fips_enabled", encoding: .utf8) {
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(mode, value == "1" ? .on("/proc/sys/crypto/fips_enabled: 1") : .off("/proc/sys/crypto/fips_enabled: \(value)"))
        } else {
            guard case .off = mode else { return XCTFail("\(mode)") }
        }
    }

    func testFIPSModuleOnARHELRootInFIPSMode() throws {
        let f = try OpenSSLFixture()
        try f.rhel(bootFIPS: true)
        let built = try FIPSModuleCheckTests.rhelModule(in: f.root)
        try f.write(OpenSSLFixture.rhelModulesDir + "/fips.so", try Data(contentsOf: URL(fileURLWithPath: built)))
        let d = try f.evaluate("fips_module", [])
        XCTAssertEqual(d.result, .pass, "\(d)")
        XCTAssertEqual(d.evidence.dropFirst(), [
            "\(OpenSSLFixture.rhelModulesDir)/fips.so: present, loaded by /usr/lib64/libcrypto.so.3 itself when the kernel is in FIPS mode",
            "\(OpenSSLFixture.rhelModulesDir)/fips.so: HMAC-SHA256 matches the MAC embedded in its .rodata1 section (RHEL form)",
        ])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: built))
        bytes[bytes.count / 2] ^= 0x01
        try f.write(OpenSSLFixture.rhelModulesDir + "/fips.so", bytes)
        XCTAssertNotEqual(try f.evaluate("fips_module", []).result, .pass)
    }
}
