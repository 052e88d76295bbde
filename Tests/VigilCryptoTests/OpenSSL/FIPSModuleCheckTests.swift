import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// `fips_module`: MACs computed independently by the `openssl` command, modules never loaded.
final class FIPSModuleCheckTests: XCTestCase {
    /// A root with a FIPS configuration and a module whose fipsmodule.cnf says `mac`.
    private func fixture(moduleMac: String? = nil, extra: String = "") throws -> (OpenSSLFixture, String) {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.13")
        try f.write("/etc/ssl/openssl.cnf", OpenSSLConfigCheckTests.fipsConfig)
        let module = try f.module()
        let mac = try moduleMac ?? opensslFIPSMac(file: f.root + module)
        try f.write("/usr/lib/ssl/fipsmodule.cnf", "[fips_sect]\nactivate = 1\nmodule-mac = \(mac)\n" + extra)
        return (f, mac)
    }

    private func installMac() throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-install-\(UUID().uuidString)").path
        try "INSTALL_SELF_TEST_KATS_RUN".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try opensslFIPSMac(file: file)
    }

    func testModuleMatchingItsMacPasses() throws {
        let (f, _) = try fixture()
        let d = try f.evaluate("fips_module", [])
        XCTAssertEqual(d.result, .pass, "\(d)")
        XCTAssertEqual(d.evidence[1], "\(OpenSSLFixture.modulesDir)/fips.so: HMAC-SHA256 matches /usr/lib/ssl/fipsmodule.cnf:3: module-mac")
        XCTAssertEqual(d.evidence[2], "no install-status: the module runs its self-tests each time it is loaded")
        let (g, _) = try fixture(extra: "install-mac = \(try installMac())\ninstall-status = INSTALL_SELF_TEST_KATS_RUN\n")
        let e = try g.evaluate("fips_module", [])
        XCTAssertEqual(e.result, .pass, "\(e)")
        XCTAssertEqual(e.evidence.last, "/usr/lib/ssl/fipsmodule.cnf:4: install-mac matches install-status")
    }

    func testTamperedModuleFails() throws {
        let (f, _) = try fixture()
        let path = f.root + OpenSSLFixture.modulesDir + "/fips.so"
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 1000)
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: 1000)
        handle.write(Data([byte ^ 1]))
        try handle.close()
        let d = try f.evaluate("fips_module", [])
        XCTAssertEqual(d.result, .fail)
        XCTAssertTrue(d.evidence[1].contains("differs from /usr/lib/ssl/fipsmodule.cnf:3: module-mac"), "\(d.evidence)")
    }

    func testWrongInstallStatusOrMacFails() throws {
        let good = try installMac()
        for extra in ["install-mac = \(good)\ninstall-status = SOMETHING_ELSE\n",
                      "install-mac = 00:11\ninstall-status = INSTALL_SELF_TEST_KATS_RUN\n",
                      "install-status = INSTALL_SELF_TEST_KATS_RUN\n"] {
            let (f, _) = try fixture(extra: extra)
            XCTAssertEqual(try f.evaluate("fips_module", []).result, .fail, extra)
        }
    }

    func testUndecidableModulesAreNotVerdicts() throws {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.13")
        try f.write("/etc/ssl/openssl.cnf", OpenSSLConfigCheckTests.debianDefault)
        XCTAssertEqual(try f.evaluate("fips_module", []).result, .notapplicable)
        try f.module()
        let rhel = try f.evaluate("fips_module", [])
        XCTAssertEqual(rhel.result, .notchecked)
        XCTAssertTrue(rhel.message?.contains("no MAC embedded") == true, "\(rhel)")
        try f.write("/etc/ssl/openssl.cnf", OpenSSLConfigCheckTests.fipsConfig)
        try f.write("/usr/lib/ssl/fipsmodule.cnf", "[fips_sect]\nactivate = 1\n")
        XCTAssertEqual(try f.evaluate("fips_module", []).result, .notchecked)
    }

    /// A shared object whose constructor creates `marker`, compiled on the host.
    private func hostileModule(in dir: String, marker: String) throws -> String {
        let source = dir + "/evil.c", object = dir + "/evil-\(UUID().uuidString).so"
        try """
            #include <fcntl.h>
            #include <unistd.h>
            __attribute__((constructor)) static void run(void) { int fd = open("\(marker)", O_CREAT | O_WRONLY, 0600); if (fd >= 0) close(fd); }
            """.write(toFile: source, atomically: true, encoding: .utf8)
        _ = try runTool("/usr/bin/cc", ["-shared", "-fPIC", "-o", object, source])
        return object
    }

    func testModuleOutsideTheRootIsNeverLoaded() throws {
        let dir = "/tmp/vigil-openssl-evil-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The object does run code when loaded: prove it in another process.
        let probe = try hostileModule(in: dir, marker: dir + "/loaded-by-python")
        _ = try runTool("/usr/bin/python3", ["-c", "import ctypes; ctypes.CDLL('\(probe)')"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/loaded-by-python"))
        let marker = dir + "/loaded-by-vigil"
        let evil = try hostileModule(in: dir, marker: marker)
        let (f, _) = try fixture(extra: "module = \(evil)\n")
        let root = try f.evaluate("fips_module", [])
        XCTAssertEqual(root.result, .fail)
        XCTAssertTrue(root.evidence.last?.contains("\(evil): not found in the target") == true, "\(root.evidence)")
        XCTAssertNotEqual(try f.evaluate("openssl_config", [("providers_active", ["fips"])]).result, .pass)
        // On the host the module is read and its MAC compared, still never loaded.
        try "[fips_sect]\nactivate = 1\nmodule = \(evil)\nmodule-mac = 00\n".write(toFile: dir + "/fips.cnf", atomically: true, encoding: .utf8)
        try "openssl_conf = i\n.include \(dir)/fips.cnf\n[i]\nproviders = p\n[p]\nfips = fips_sect\n".write(toFile: dir + "/openssl.cnf", atomically: true, encoding: .utf8)
        let live = try f.evaluate("fips_module", [("path", [dir + "/openssl.cnf"])], target: Targets.host)
        XCTAssertEqual(live.result, .fail, "\(live)")
        XCTAssertTrue(live.evidence[1].hasPrefix("\(evil): HMAC-SHA256"), "\(live.evidence)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    /// A module built the way Red Hat's spec file builds one: a zeroed 32-byte `.rodata1`,
    /// the HMAC of that file computed by the openssl command, written into the section by objcopy.
    static func rhelModule(in dir: String) throws -> String {
        try "__attribute__((section(\".rodata1\"))) const unsigned char fips_hmac_container[32] = {0};\nint f(void) { return fips_hmac_container[0]; }\n"
            .write(toFile: dir + "/m.c", atomically: true, encoding: .utf8)
        _ = try runTool("/usr/bin/cc", ["-shared", "-fPIC", "-o", dir + "/fips.so", dir + "/m.c"])
        let mac = try opensslFIPSMac(file: dir + "/fips.so").split(separator: ":").map { UInt8($0, radix: 16)! }
        try Data(mac).write(to: URL(fileURLWithPath: dir + "/fips.so.hmac"))
        _ = try runTool("/usr/bin/objcopy", ["--update-section", ".rodata1=\(dir)/fips.so.hmac", dir + "/fips.so", dir + "/fips.so.mac"])
        return dir + "/fips.so.mac"
    }

    func testRHELEmbeddedMACIsVerified() throws {
        let f = try OpenSSLFixture()
        try f.libcrypto("3.0.7")
        try f.write("/etc/ssl/openssl.cnf", OpenSSLConfigCheckTests.debianDefault)
        let built = try Self.rhelModule(in: f.root)
        try f.write(OpenSSLFixture.modulesDir + "/fips.so", try Data(contentsOf: URL(fileURLWithPath: built)))
        let d = try f.evaluate("fips_module", [])
        XCTAssertEqual(d.result, .pass, "\(d)")
        XCTAssertEqual(d.evidence.last, "\(OpenSSLFixture.modulesDir)/fips.so: HMAC-SHA256 matches the MAC embedded in its .rodata1 section (RHEL form)")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: built))
        bytes[bytes.count / 3] ^= 0x40
        try f.write(OpenSSLFixture.modulesDir + "/fips.so", bytes)
        XCTAssertEqual(try f.evaluate("fips_module", []).result, .unknown)
    }
}
