import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// MODULESDIR when there is no libcrypto to read it from: the directory as the
/// distribution lays it out.
final class ModulesDirectoryTests: XCTestCase {
    func testDebianMultiarchDirectoryWithoutLibcrypto() throws {
        let f = try OpenSSLFixture()
        try f.write("/var/lib/dpkg/status", "Package: libssl3\nStatus: install ok installed\nVersion: 3.0.17-1~deb12u2\n\n")
        try f.write("/etc/ssl/openssl.cnf", OpenSSLConfigCheckTests.fipsConfig)
        let module = try f.module()
        try f.write("/usr/lib/ssl/fipsmodule.cnf", "[fips_sect]\nactivate = 1\nmodule-mac = \(try opensslFIPSMac(file: f.root + module))\n")
        try FileManager.default.createDirectory(atPath: f.root + "/usr/lib/ssl", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: f.root + "/usr/lib/ssl/openssl.cnf", withDestinationPath: "/etc/ssl/openssl.cnf")
        XCTAssertEqual(OpenSSLInstallation.find(in: try f.target()).modulesDir, OpenSSLFixture.modulesDir)
        let d = try f.evaluate("fips_module", [])
        XCTAssertEqual(d.result, .pass, "\(d)")
        XCTAssertEqual(d.evidence[1], "\(OpenSSLFixture.modulesDir)/fips.so: HMAC-SHA256 matches /usr/lib/ssl/fipsmodule.cnf:3: module-mac")
        XCTAssertEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .pass)
    }

    func testRHELLib64DirectoryWithoutLibcrypto() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/pki/tls/openssl.cnf", OpenSSLFixture.rhelConfig)
        let built = try FIPSModuleCheckTests.rhelModule(in: f.root)
        try f.write(OpenSSLFixture.rhelModulesDir + "/fips.so", try Data(contentsOf: URL(fileURLWithPath: built)))
        // An empty /usr/lib/ossl-modules does not win over the directory holding modules.
        try FileManager.default.createDirectory(atPath: f.root + "/usr/lib/ossl-modules", withIntermediateDirectories: true)
        XCTAssertEqual(OpenSSLInstallation.find(in: try f.target()).modulesDir, OpenSSLFixture.rhelModulesDir)
        let d = try f.evaluate("fips_module", [])
        XCTAssertEqual(d.result, .pass, "\(d)")
    }

    /// This host's real libcrypto: MODULESDIR as `openssl version -m` prints it, and no
    /// kernel FIPS switch (Debian's build does not follow the kernel's FIPS mode).
    func testThisHostsLibcrypto() throws {
        let found = OpenSSLInstallation.find(in: Targets.host)
        let printed = try runTool("/usr/bin/openssl", ["version", "-m"])
        XCTAssertEqual(found.modulesDir.map { "MODULESDIR: \"\($0)\"" }, printed.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertNil(found.kernelFIPSBuild)
    }

    func testNoModulesDirectoryAnywhere() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/openssl.cnf", OpenSSLConfigCheckTests.debianDefault)
        XCTAssertNil(OpenSSLInstallation.find(in: try f.target()).modulesDir)
        XCTAssertEqual(try f.evaluate("fips_module", []).result, .notapplicable)
    }
}
