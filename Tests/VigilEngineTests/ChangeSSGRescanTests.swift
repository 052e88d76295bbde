import Foundation
import VigilEngine
import VigilStore
import XCTest

/// A partial rescan with the SCAP Security Guide's content against an offline copy of a
/// few /etc files gives the record of a full scan of the same state.
final class ChangeSSGRescanTests: XCTestCase {
    static let guide = "/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml"
    static let rules = ["sshd_disable_root_login", "sshd_set_max_auth_tries", "sshd_disable_empty_passwords",
                        "file_permissions_etc_shadow", "file_owner_etc_passwd", "file_groupowner_etc_group",
                        "accounts_maximum_age_login_defs", "accounts_password_warn_age_login_defs",
                        "no_empty_passwords_etc_shadow"].map { "xccdf_org.ssgproject.content_rule_" + $0 }

    func testAPartialRescanOfSSGRulesIsTheFullScanOfTheSameState() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.guide) || ProcessInfo.processInfo.environment["CI"] == "true",
                          "ssg-debderived is not installed")
        let (dir, _, root) = try ChangeFixture.write()
        try ChangeFixture.put(root + "/etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\nNAME=\"Ubuntu\"\n")
        try ChangeFixture.put(root + "/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n")
        try ChangeFixture.put(root + "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n")
        try ChangeFixture.put(root + "/etc/group", "root:x:0:\n")
        try ChangeFixture.put(root + "/etc/login.defs", "PASS_MAX_DAYS 60\nPASS_WARN_AGE 7\n")
        try ChangeFixture.put(root + "/var/lib/dpkg/status", """
            Package: openssh-server
            Status: install ok installed
            Version: 1:8.9p1-3ubuntu0.10
            Architecture: amd64

            Package: login
            Status: install ok installed
            Version: 1:4.8.1-2ubuntu2
            Architecture: amd64

            """)
        var options = ChangeFixture.options(Self.guide, root: root, dir: dir)
        options.profile = "all"
        options.rules = Self.rules
        let first = try ScanSession(options).run()
        let evaluated = first.record.rules.filter { Self.rules.contains($0.ruleID) }
        XCTAssertEqual(evaluated.count, Self.rules.count)
        XCTAssertGreaterThanOrEqual(evaluated.filter { $0.result == .pass }.count, 5, "\(evaluated.map { ($0.ruleID, $0.result) })")

        try ChangeFixture.put(root + "/etc/ssh/sshd_config", "Port 22\nPermitRootLogin yes\nMaxAuthTries 3\n")
        try ChangeFixture.put(root + "/etc/login.defs", "PASS_MAX_DAYS 99999\nPASS_WARN_AGE 7\n")
        let footprint = try XCTUnwrap(first.footprint)
        let touched = try XCTUnwrap(footprint.rules(touchedBy: ["/etc/ssh/sshd_config", "/etc/login.defs"]))
        XCTAssertTrue(touched.contains(Self.rules[0]), "\(touched)")
        XCTAssertTrue(touched.contains(Self.rules[6]), "\(touched)")
        XCTAssertFalse(touched.contains(Self.rules[3]), "the shadow file's mode does not read sshd_config: \(touched)")
        XCTAssertLessThan(touched.count, Self.rules.count)

        var partialOptions = options
        partialOptions.rescan = PartialRescan(rules: touched, after: first)
        let partial = try ScanSession(partialOptions).run()
        let full = try ScanSession(options).run()
        ChangeFixture.assertSameVerdicts(partial.record, full.record)
        func results(_ r: ScanRecord) -> [String: XCCDFResult] {
            Dictionary(uniqueKeysWithValues: r.rules.filter { Self.rules.contains($0.ruleID) }.map { ($0.ruleID, $0.result) })
        }
        XCTAssertNotEqual(results(partial.record), results(first.record), "the change is seen")
    }
}
