import Foundation
import XCTest

/// Package probes where the package manager of the content is missing, against oscap
/// 1.3.7 on this machine: RHEL-family content on a Debian-family root (rpm objects are
/// `not applicable` in oscap, which turns package rules, package platforms, grub2 and
/// service rules not applicable), Debian content on roots without dpkg data, and
/// RHEL-family content on this Debian host.
final class PackageManagerDifferentialTests: XCTestCase {
    static let ssgDir = "/usr/share/xml/scap/ssg/content/"

    func content(_ name: String) throws -> String {
        let path = Self.ssgDir + name
        guard FileManager.default.fileExists(atPath: path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(path) is not installed") }
            throw XCTSkip("\(path) is not installed (apt-get install ssg-nondebian ssg-debian)")
        }
        return path
    }

    /// The prepared Debian root, its os-release replaced by CentOS Stream 9's: the RHEL 9
    /// benchmark applies (its OS check reads os-release), but there is no rpm, only dpkg.
    static func centOSDressedRoot(in dir: URL) throws -> String {
        let root = try PreparedRoot.make(in: dir)
        try """
            NAME="CentOS Stream"
            VERSION="9"
            ID="centos"
            ID_LIKE="rhel fedora"
            VERSION_ID="9"
            PLATFORM_ID="platform:el9"
            PRETTY_NAME="CentOS Stream 9"
            CPE_NAME="cpe:/o:centos:centos:9"

            """.write(toFile: root + "/etc/os-release", atomically: true, encoding: .utf8)
        return root
    }

    func testRHELContentOnADebianRootAgreesWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let cs9 = try content("ssg-cs9-ds.xml")
        let work = try Shell.tempDir()
        let debian = try PreparedRoot.make(in: work.appendingPathComponent("debian"))
        // As it is, the root is not CentOS: the benchmark does not apply (its RHEL 9 check is
        // an rpminfo test, not applicable here, its CentOS one reads os-release).
        for (name, file) in [("cs9-debian-root", cs9), ("rhel8-debian-root", try content("ssg-rhel8-ds.xml"))] {
            let run = try DifferentialRun.run(t, content: file, options: ["--profile", "(all)"], root: debian, work: work, name: name)
            print("[differential] \(name) (all): \(run.summary)")
            XCTAssertEqual(run.status, 0, "vigil and oscap differ (\(name)):\n\(run.output)")
        }
        // Dressed as CentOS Stream 9, the benchmark applies and every rule that tests an rpm
        // package (rule checks, package platforms) must be not applicable, as in oscap.
        let dressed = try Self.centOSDressedRoot(in: work.appendingPathComponent("centos"))
        let run = try DifferentialRun.run(t, content: cs9, options: ["--profile", "(all)"], root: dressed, work: work,
                                          name: "cs9-centos-dressed", allowUnsupported: true)
        print("[differential] cs9 (all) on a Debian root dressed as CentOS 9: \(run.summary)")
        XCTAssertEqual(run.status, 0, "vigil and oscap differ:\n\(run.output)")
        let oscap = try DifferentialRun.results(in: run.reference)
        let vigil = try DifferentialRun.results(in: run.candidate)
        for rule in ["package_audit_installed", "package_telnet-server_removed", "service_auditd_enabled",
                     "rpm_verify_permissions", "ensure_gpgcheck_globally_activated"] {
            let id = "xccdf_org.ssgproject.content_rule_" + rule
            XCTAssertEqual(oscap[id], "notapplicable", rule)
            XCTAssertEqual(vigil[id], oscap[id], rule)
        }
        let counts = try DifferentialRun.counts(in: run.candidate)
        XCTAssertGreaterThan(counts["notapplicable"] ?? 0, 300, "\(counts)")
        XCTAssertGreaterThan(counts["pass"] ?? 0, 100, "\(counts)")
        XCTAssertGreaterThan(counts["fail"] ?? 0, 100, "\(counts)")
    }

    /// Debian content on roots that claim Debian 11 but have no dpkg database: no
    /// /var/lib/dpkg at all, an empty /var/lib/dpkg, an empty status file. oscap's
    /// dpkginfo (through apt) then finds no package: `does not exist`, not `not applicable`.
    func testDebianContentOnRootsWithoutDpkgDataAgreesWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let debian11 = try content("ssg-debian11-ds.xml")
        let work = try Shell.tempDir()
        for variant in ["no-dpkg-dir", "empty-dpkg-dir", "empty-status"] {
            let root = try PreparedRoot.make(in: work.appendingPathComponent(variant))
            try "11.7\n".write(toFile: root + "/etc/debian_version", atomically: true, encoding: .utf8)
            let dpkg = root + "/var/lib/dpkg"
            try FileManager.default.removeItem(atPath: dpkg)
            if variant != "no-dpkg-dir" { try FileManager.default.createDirectory(atPath: dpkg, withIntermediateDirectories: true) }
            if variant == "empty-status" { try "".write(toFile: dpkg + "/status", atomically: true, encoding: .utf8) }
            let run = try DifferentialRun.run(t, content: debian11, options: ["--profile", "(all)"], root: root, work: work,
                                              name: "debian11-\(variant)")
            print("[differential] debian11 (all) on a root with \(variant): \(run.summary)")
            XCTAssertEqual(run.status, 0, "vigil and oscap differ (\(variant)):\n\(run.output)")
            let counts = try DifferentialRun.counts(in: run.candidate)
            XCTAssertGreaterThan(counts["pass"] ?? 0, 20, "\(variant): the benchmark applies: \(counts)")
            XCTAssertGreaterThan(counts["fail"] ?? 0, 20, "\(variant): \(counts)")
        }
    }

    /// The RHEL 9 benchmark on this Debian host (its CentOS check adapted to accept this
    /// host's os-release), a profile and a set of rules that test rpm packages, package
    /// platforms, grub2, services and plain files. Live, rpm objects are not applicable
    /// here as well (this host has no /usr/lib/rpm/rpmrc).
    func testRHELContentOnThisHostAgreesWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let cs9 = try content("ssg-cs9-ds.xml")
        let osRelease = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        func field(_ key: String) -> String? {
            osRelease.split(separator: "\n").first { $0.hasPrefix(key + "=") }
                .map { String($0.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        guard let id = field("ID"), let version = field("VERSION_ID").map({ String($0.prefix { $0.isNumber }) }),
              !version.isEmpty else { throw XCTSkip("this host's os-release has no ID or VERSION_ID") }
        let work = try Shell.tempDir()
        var text = try String(contentsOfFile: cs9, encoding: .utf8)
        for (from, to) in [(#"^ID="(\w+)"$"#, #"^ID="?(\w+)"?$"#), (#"^VERSION_ID="(\d)"$"#, #"^VERSION_ID="?(\d+)"?$"#),
                           ("<ind:subexpression>centos</ind:subexpression>", "<ind:subexpression>\(id)</ind:subexpression>")] {
            XCTAssertTrue(text.contains(from), "the CentOS 9 check changed: \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        let versionState = try NSRegularExpression(pattern: #"(state_version_centos9:ste:1" version="1">\s*<ind:subexpression>)9<"#)
        let range = NSRange(text.startIndex..., in: text)
        XCTAssertGreaterThan(versionState.numberOfMatches(in: text, range: range), 0, "the CentOS 9 version check changed")
        text = versionState.stringByReplacingMatches(in: text, range: range, withTemplate: "$1\(version)<")
        let adapted = work.appendingPathComponent("cs9-this-host.xml").path
        try text.write(toFile: adapted, atomically: true, encoding: .utf8)
        let rules = ["package_audit_installed", "package_telnet-server_removed", "package_rsh-server_removed",
                     "package_sudo_installed", "service_auditd_enabled", "grub2_audit_argument", "rpm_verify_permissions",
                     "ensure_gpgcheck_globally_activated", "chronyd_specify_remote_server", "sudo_require_authentication",
                     "installed_OS_is_vendor_supported", "accounts_tmout", "file_permissions_etc_shadow"]
        let options = ["--profile", "xccdf_org.ssgproject.content_profile_cis_server_l1"]
            + rules.flatMap { ["--rule", "xccdf_org.ssgproject.content_rule_" + $0] }
        let run = try DifferentialRun.run(t, content: adapted, options: options, work: work, name: "cs9-this-host")
        print("[differential] cs9 on this host, \(rules.count) rules: \(run.summary)")
        XCTAssertEqual(run.status, 0, "vigil and oscap differ:\n\(run.output)")
        let counts = try DifferentialRun.counts(in: run.reference)
        XCTAssertEqual(counts.filter { $0.key != "notselected" }.values.reduce(0, +), rules.count)
        XCTAssertGreaterThan(counts["notapplicable"] ?? 0, 5, "\(counts)")
    }
}
