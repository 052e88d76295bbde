import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// A RHEL-9-like root built by a test: Red Hat's libcrypto (a fake carrying the strings
/// the real one embeds, the kernel FIPS switch file among them), `/etc/pki/tls/openssl.cnf`
/// as the openssl-libs package installs it (no fips section), the crypto-policies
/// back-ends, `fips_local.cnf` linked to the FIPS back-end, and a FIPS module in
/// `/usr/lib64/ossl-modules`.
extension OpenSSLFixture {
    static let rhelModulesDir = "/usr/lib64/ossl-modules"

    static let rhelConfig = """
        openssl_conf = openssl_init

        [openssl_init]
        providers = provider_sect
        ssl_conf = ssl_module
        alg_section = evp_properties

        [ evp_properties ]
        #This section is intentionally added empty here
        #to be tuned on particular systems

        [provider_sect]
        default = default_sect
        ##legacy = legacy_sect

        [default_sect]
        activate = 1

        [ ssl_module ]
        system_default = crypto_policy

        [ crypto_policy ]
        .include = /etc/crypto-policies/back-ends/opensslcnf.config

        """

    /// Red Hat's libcrypto for `version`; `kernelFIPS: false` leaves out the kernel switch
    /// (an upstream build installed in a RHEL layout).
    func rhelLibcrypto(_ version: String = "3.0.7", kernelFIPS: Bool = true) throws {
        var bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 17) })
        var strings = ["OpenSSL \(version) 1 Nov 2022", "OPENSSLDIR: \"/etc/pki/tls\"", "MODULESDIR: \"\(Self.rhelModulesDir)\""]
        if kernelFIPS { strings += ["OPENSSL_FORCE_FIPS_MODE", "/proc/sys/crypto/fips_enabled", "/etc/pki/tls/fips_local.cnf", "fips_sect"] }
        for s in strings { bytes.append(contentsOf: Array(s.utf8) + [0, 3]) }
        try write("/usr/lib64/libcrypto.so.\(version)", bytes)
        try FileManager.default.createSymbolicLink(atPath: root + "/usr/lib64/libcrypto.so.3", withDestinationPath: "libcrypto.so.\(version)")
    }

    /// The whole RHEL 9 layout; `bootFIPS` writes a boot loader entry with (true) or
    /// without (false) `fips=1`, nil writes no boot configuration (a container image).
    func rhel(bootFIPS: Bool?, kernelFIPS: Bool = true) throws {
        try rhelLibcrypto(kernelFIPS: kernelFIPS)
        try write("/etc/pki/tls/openssl.cnf", Self.rhelConfig)
        try write("/etc/crypto-policies/back-ends/opensslcnf.config", "CipherString = @SECLEVEL=2:kEECDH:kRSA:kEDH:kPSK\nMinProtocol = TLSv1.2\n")
        try write("/etc/crypto-policies/back-ends/openssl_fips.config", "[fips_sect]\ntls1-prf-ems-check = 1\nactivate = 1\n")
        try FileManager.default.createSymbolicLink(atPath: root + "/etc/pki/tls/fips_local.cnf",
                                                   withDestinationPath: "/etc/crypto-policies/back-ends/openssl_fips.config")
        try module(Self.rhelModulesDir + "/fips.so")
        guard let bootFIPS else { return }
        let fips = bootFIPS ? " fips=1 boot=UUID=0b1c2d3e" : ""
        try write("/boot/loader/entries/4f6e1d-5.14.0-427.el9.x86_64.conf", """
            title Red Hat Enterprise Linux (5.14.0-427.el9.x86_64) 9.4 (Plow)
            version 5.14.0-427.el9.x86_64
            linux /vmlinuz-5.14.0-427.el9.x86_64
            options root=/dev/mapper/rhel-root ro crashkernel=1G-4G:192M\(fips)
            grub_class rhel

            """)
    }

    /// This root seen as a live host: its `/proc/sys/crypto/fips_enabled` says `value`.
    func live(fipsEnabled value: String?) throws -> any Target {
        if let value { try write("/proc/sys/crypto/fips_enabled", value) }
        return try RootTarget(root, capabilities: .runtimeState)
    }
}
