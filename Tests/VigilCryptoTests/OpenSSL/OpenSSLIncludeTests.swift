import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// `.include` resolution: inside the target, directories, relative paths, pragmas.
final class OpenSSLIncludeTests: XCTestCase {
    private func value(_ c: OpenSSLConfig, _ section: String, _ name: String) -> String? {
        c.section(section)?.last { $0.name == name }?.value
    }

    func testAbsoluteIncludeResolvesInsideTheRootNotOnTheHost() throws {
        let hostDir = "/tmp/vigil-openssl-host-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: hostDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: hostDir) }
        try "[inc]\nfrom = host\n".write(toFile: hostDir + "/fips.cnf", atomically: true, encoding: .utf8)
        let f = try OpenSSLFixture()
        try f.write(hostDir + "/fips.cnf", "[inc]\nfrom = root\n")
        try f.write("/etc/ssl/openssl.cnf", ".include \(hostDir)/fips.cnf\n")
        let c = try f.parse()
        XCTAssertEqual(value(c, "inc", "from"), "root")
        XCTAssertEqual(c.files, ["/etc/ssl/openssl.cnf", hostDir + "/fips.cnf"])
        XCTAssertEqual(c.section("inc")?.first?.location.description, "\(hostDir)/fips.cnf:2")
        // A link inside the root that points at the host file's path is resolved in the root too.
        try FileManager.default.createSymbolicLink(atPath: f.root + "/etc/ssl/link.cnf", withDestinationPath: hostDir + "/fips.cnf")
        try f.write("/etc/ssl/openssl.cnf", ".include = /etc/ssl/link.cnf\n")
        XCTAssertEqual(value(try f.parse(), "inc", "from"), "root")
    }

    func testIncludedSectionContinuesInTheIncludingFile() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/inc.cnf", "[fips_sect]\nactivate = 1\n")
        try f.write("/etc/ssl/openssl.cnf", "[top]\na = 1\n.include /etc/ssl/inc.cnf\nafter = 2\n.include /etc/ssl/missing.cnf\n")
        let c = try f.parse()
        XCTAssertEqual(value(c, "fips_sect", "after"), "2")
        XCTAssertEqual(c.skippedIncludes, ["/etc/ssl/openssl.cnf:5: /etc/ssl/missing.cnf"])
    }

    func testDirectoryIncludeReadsCnfAndConfFilesOnly() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/d/a.cnf", "[d]\na = 1\n.include /etc/ssl/other\n")
        try f.write("/etc/ssl/d/b.CONF", "[d]\nb = 1\n")
        try f.write("/etc/ssl/d/c.txt", "[d]\nc = 1\n")
        try f.write("/etc/ssl/d/.cnf", "[d]\nhidden = 1\n")
        try f.write("/etc/ssl/d/sub.cnf/x.cnf", "[d]\nsub = 1\n")
        try f.write("/etc/ssl/other/o.cnf", "[d]\nnested = 1\n")
        try f.write("/etc/ssl/openssl.cnf", ".include /etc/ssl/d\n")
        let c = try f.parse()
        XCTAssertEqual(Set(c.section("d")?.map(\.name) ?? []), ["a", "b"])
        XCTAssertTrue(c.skippedIncludes.contains { $0.hasSuffix(": /etc/ssl/other") }, "\(c.skippedIncludes)")
        XCTAssertTrue(OpenSSLConfigParser.takesFromDirectory("x.Cnf"))
        XCTAssertFalse(OpenSSLConfigParser.takesFromDirectory(".conf"))
    }

    func testRelativeIncludeNeedsIncludedirAndAbspathRefusesIt() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/fipsmodule.cnf", "[fips_sect]\nx = 1\n")
        try f.write("/etc/ssl/openssl.cnf", ".include fipsmodule.cnf\n")
        var c = try f.parse()
        XCTAssertEqual(c.unresolvedIncludes, ["/etc/ssl/openssl.cnf:1: fipsmodule.cnf"])
        XCTAssertNil(c.section("fips_sect"))
        try f.write("/etc/ssl/openssl.cnf", ".pragma includedir:/etc/ssl\n.include fipsmodule.cnf\n")
        c = try f.parse()
        XCTAssertEqual(value(c, "fips_sect", "x"), "1")
        XCTAssertEqual(c.unresolvedIncludes, [])
        try f.write("/etc/ssl/openssl.cnf", ".pragma abspath:true\n.include fipsmodule.cnf\n")
        XCTAssertThrowsError(try f.parse()) { XCTAssertTrue("\($0)".contains("openssl.cnf:2: relative include"), "\($0)") }
    }

    func testIncludePathIsExpanded() throws {
        let f = try OpenSSLFixture()
        try f.write("/opt/ssl/x.cnf", "[x]\nok = yes\n")
        try f.write("/etc/ssl/openssl.cnf", "dir = /opt/ssl\n.include ${dir}/x.cnf\n")
        XCTAssertEqual(value(try f.parse(), "x", "ok"), "yes")
    }
}
