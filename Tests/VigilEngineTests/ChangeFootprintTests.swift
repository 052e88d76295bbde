import Foundation
@testable import VigilEngine
import VigilStore
import XCTest

/// What each rule read during a scan (`ScanFootprint`), attributed through OVAL objects
/// that rules share and directory listings, and which rules a change touches.
final class ChangeFootprintTests: XCTestCase {
    /// In TestDataStream, four rules evaluate tests on the one object that reads
    /// sshd_config (collected once, then served from the cache), one rule reads /etc/shadow,
    /// and the benchmark's platform (CPE) reads /etc/testos-release.
    func testRulesSharingAnOVALObjectAllGetItsFilesAndPlatformsAreGlobal() throws {
        let (path, root) = try TestDataStream.write()
        var options = ScanOptions(vigilVersion: "test")
        options.content = path
        options.root = root
        options.jobs = 2
        options.recordFootprint = true
        let outcome = try ScanSession(options).run()
        let footprint = try XCTUnwrap(outcome.footprint)
        func files(_ rule: String) -> Set<String> { footprint.rules["xccdf_org.example_rule_" + rule]?.files ?? [] }
        for rule in ["root_login", "negated", "complex_or", "platform_ok"] {
            XCTAssertTrue(files(rule).contains("/etc/ssh/sshd_config"), "\(rule): \(files(rule))")
            if rule != "complex_or" { XCTAssertFalse(files(rule).contains("/etc/shadow"), rule) }
        }
        XCTAssertTrue(files("shadow_mode").contains("/etc/shadow"))
        XCTAssertFalse(files("shadow_mode").contains("/etc/ssh/sshd_config"))
        XCTAssertTrue(files("complex_or").isSuperset(of: ["/etc/shadow", "/etc/ssh/sshd_config"]))
        XCTAssertNil(footprint.rules["xccdf_org.example_rule_unselected"], "a rule not evaluated has no footprint")
        XCTAssertTrue(footprint.global.files.contains("/etc/testos-release"), "\(footprint.global)")
        XCTAssertTrue(footprint.global.files.contains("/opt/absent"), "a platform's missing file is watched too")
        XCTAssertFalse(footprint.global.files.contains("/etc/ssh/sshd_config"), "rules' files are not global")

        let touched = try XCTUnwrap(footprint.rules(touchedBy: ["/etc/shadow"]))
        XCTAssertEqual(touched, ["xccdf_org.example_rule_shadow_mode", "xccdf_org.example_rule_complex_or"])
        XCTAssertEqual(footprint.rules(touchedBy: ["/etc/ssh/sshd_config"]),
                       Set(["root_login", "negated", "complex_or", "platform_ok", "conflict_second"].map { "xccdf_org.example_rule_" + $0 }))
        XCTAssertNil(footprint.rules(touchedBy: ["/etc/testos-release"]), "a platform's file: every rule")
        XCTAssertEqual(footprint.rules(touchedBy: ["/etc/motd"]), [])
        XCTAssertEqual(footprint.rules(touchedBy: ["/etc/ssh"])?.contains("xccdf_org.example_rule_root_login"), true,
                       "a folder renamed or removed touches what is under it")
    }

    /// A rule whose check walks a directory depends on its listing: a file created there
    /// touches it; a rule reading one file in the same directory is not touched.
    func testARuleListingADirectoryGetsTheDirectory() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        let outcome = try ScanSession(ChangeFixture.options(rules, root: root, dir: dir)).run()
        let footprint = try XCTUnwrap(outcome.footprint)
        let hostKeys = try XCTUnwrap(footprint.rules[ChangeFixture.ns + "host_keys"])
        XCTAssertTrue(hostKeys.directories.contains("/etc/ssh"), "\(hostKeys)")
        XCTAssertEqual(footprint.rules(touchedBy: ["/etc/ssh/ssh_host_rsa_key"]), [ChangeFixture.ns + "host_keys"])
        XCTAssertEqual(footprint.rules(touchedBy: ["/etc/ssh/sshd_config"]),
                       Set(["sshd_root", "sshd_max_tries", "host_keys", "sshd_ciphers"].map { ChangeFixture.ns + $0 }))
        XCTAssertTrue(footprint.rules[ChangeFixture.ns + "sshd_ciphers"]?.files.contains("/etc/ssh/sshd_config") ?? false,
                      "a native check's reads are its rule's")
        XCTAssertEqual(outcome.record.rules.first { $0.ruleID == ChangeFixture.ns + "sshd_ciphers" }?.result, .pass)
        XCTAssertEqual(footprint.rules(touchedBy: ["/etc/hosts.equiv"]), [ChangeFixture.ns + "no_hosts_equiv"],
                       "a file that does not exist is watched for its creation")
    }

    /// Runtime state that inotify does not report is not part of a footprint.
    func testRuntimeStateIsNotWatched() {
        let paths = ScanFootprint.Paths(files: ["/proc/sys/kernel/randomize_va_space", "/etc/sysctl.conf", "/run/x", "/sys"],
                                        directories: ["/dev", "/etc/sysctl.d"])
        XCTAssertEqual(paths.files, ["/etc/sysctl.conf"])
        XCTAssertEqual(paths.directories, ["/etc/sysctl.d"])
        XCTAssertTrue(paths.isTouched(by: "/etc/sysctl.d/99-x.conf"))
        XCTAssertFalse(paths.isTouched(by: "/etc/sysctl.d/sub/99-x.conf"), "a listing is one level")
        XCTAssertTrue(paths.isTouched(by: "/etc"))
        XCTAssertFalse(paths.isTouched(by: "/etc/sysctl.conf.d"))
    }

    /// Without the option, nothing is recorded and the scan reads the target itself.
    func testNoFootprintUnlessAsked() throws {
        let (path, root) = try TestDataStream.write()
        var options = ScanOptions(vigilVersion: "test")
        options.content = path
        options.root = root
        XCTAssertNil(try ScanSession(options).run().footprint)
    }
}
