import Foundation
import XCTest
@testable import VigilOVAL

final class CompareEVRTests: XCTestCase {
    private func rpm(_ actual: String, _ op: OVALOperation, _ expected: String) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: .evrString)
    }

    private func deb(_ actual: String, _ op: OVALOperation, _ expected: String) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: .debianEVRString)
    }

    func testSplitEVR() {
        let full = OVALVersionOrder.EVR("1:2.8.4-1+deb11u1")
        XCTAssertEqual(full.epoch, "1")
        XCTAssertEqual(full.version, "2.8.4")
        XCTAssertEqual(full.release, "1+deb11u1")
        let noEpoch = OVALVersionOrder.EVR("1.2-3.el9")
        XCTAssertNil(noEpoch.epoch)
        XCTAssertEqual(noEpoch.version, "1.2")
        XCTAssertEqual(noEpoch.release, "3.el9")
        // The release follows the last '-'; a ':' after a non-digit is not an epoch.
        XCTAssertEqual(OVALVersionOrder.EVR("1.0-rc-2").version, "1.0-rc")
        XCTAssertNil(OVALVersionOrder.EVR("v1:2").epoch)
        XCTAssertEqual(OVALVersionOrder.EVR(":5").epoch, "0")
        XCTAssertNil(OVALVersionOrder.EVR("3.1").release)
    }

    func testRpmvercmpRules() {
        let v = OVALVersionOrder.rpmvercmp
        XCTAssertEqual(v("1.10", "1.9"), 1)
        XCTAssertEqual(v("1.0", "1.0"), 0)
        XCTAssertEqual(v("1.0", "1.0.1"), -1)
        XCTAssertEqual(v("1.001", "1.1"), 0)
        XCTAssertEqual(v("1.0a", "1.0"), 1) // leftover segment is newer
        XCTAssertEqual(v("2.0", "2a"), 1) // number beats letters
        XCTAssertEqual(v("1_0", "1.0"), 0) // separators only separate
        XCTAssertEqual(v("1.0~rc1", "1.0"), -1)
        XCTAssertEqual(v("1.0~rc1", "1.0~rc2"), -1)
        XCTAssertEqual(v("1.0^git1", "1.0"), 1)
        XCTAssertEqual(v("1.0^git1", "1.0.1"), -1)
        XCTAssertEqual(v("1.0~rc1^git1", "1.0~rc1"), 1)
        XCTAssertEqual(v("el9", "el10"), -1)
        XCTAssertEqual(v("el9_2", "el9"), 1)
        XCTAssertEqual(v("123456789012345678901234567890", "99"), 1) // no integer overflow
    }

    func testRpmEVROrdering() {
        XCTAssertEqual(rpm("0:1.2-3.el9", .equals, "0:1.2-3.el9"), .true)
        XCTAssertEqual(rpm("0:3.0.7-16.el9_2", .lessThan, "0:3.0.7-18.el9"), .true)
        XCTAssertEqual(rpm("1:1.0-1", .greaterThan, "0:9.9-9"), .true)
        XCTAssertEqual(rpm("0:2.34-60.el9", .greaterThanOrEqual, "0:2.34-60.el9"), .true)
        XCTAssertEqual(rpm("0:4.18.0-477.10.1.el8_8", .lessThan, "0:4.18.0-477.13.1.el8_8"), .true)
        XCTAssertEqual(rpm("0:1.0~rc1-1", .lessThan, "0:1.0-1"), .true)
        XCTAssertEqual(rpm("0:1.1.1k-9.el8_7", .lessThanOrEqual, "0:1.1.1k-7.el8_6"), .false)
        // OpenSCAP compares a missing epoch as older than any epoch, "0" included,
        // and a missing release as older than any release.
        XCTAssertEqual(rpm("0:1.2-3.el9", .equals, "1.2-3.el9"), .false)
        XCTAssertEqual(rpm("0:1.2-3.el9", .greaterThan, "1.2-3.el9"), .true)
        XCTAssertEqual(rpm("1.2-3.el9", .equals, "1.2-3.el9"), .true)
        XCTAssertEqual(rpm("0:1.2", .lessThan, "0:1.2-1"), .true)
        XCTAssertEqual(rpm("1.0", .patternMatch, "1"), .error)
        XCTAssertEqual(rpm("1.0", .bitwiseAnd, "1"), .error)
    }

    func testDebianOrdering() {
        XCTAssertEqual(deb("1:2.8.4-1+deb11u1", .greaterThan, "2.8.4-1+deb11u1"), .true)
        XCTAssertEqual(deb("2.36-9+deb12u7", .greaterThan, "2.36-9+deb12u4"), .true)
        XCTAssertEqual(deb("2.36-9+deb12u10", .greaterThan, "2.36-9+deb12u9"), .true)
        XCTAssertEqual(deb("1.0~rc1", .lessThan, "1.0"), .true)
        XCTAssertEqual(deb("1.0", .lessThan, "1.0+b1"), .true)
        XCTAssertEqual(deb("1.0~~", .lessThan, "1.0~"), .true)
        // A missing epoch is 0 for Debian versions.
        XCTAssertEqual(deb("0:1.2-1", .equals, "1.2-1"), .true)
        XCTAssertEqual(deb("1.2-01", .equals, "1.2-1"), .true)
        XCTAssertEqual(deb("1.2", .equals, "1.2-0"), .true)
        XCTAssertEqual(deb("3.0.11-1~deb12u2", .lessThan, "3.0.11-1"), .true)
        XCTAssertEqual(deb("99999999999:1.0", .equals, "1.0"), .error) // epoch beyond C int
        XCTAssertEqual(deb("1.0", .patternMatch, "1"), .error)
    }

    /// Real Debian/Ubuntu package versions plus edge cases of the ordering rules.
    static let debianVersions = [
        "1:2.8.4-1+deb11u1", "2.8.4-1+deb11u1", "2.8.4-1", "2.36-9+deb12u7", "2.36-9+deb12u4",
        "2.36-9", "1.0~rc1", "1.0", "1.0+b1", "1.0-1", "1.0~rc1-1", "1.0.1", "1.0a", "1.0~~",
        "1:1.0", "2:0.1", "0:1.0", "7.88.1-10+deb12u5", "3.0.11-1~deb12u2", "3.0.11-1",
        "1.2.13.dfsg-1", "1.2.13.dfsg-1ubuntu1", "5.15.0-91.101", "5.15.0-101.111", "1.0-1.1",
        "10.0", "9.0", "1.00", "1.0-0", "2.9.14+dfsg-1.3~deb12u1",
    ]

    /// dpkg's ordering of each pair (-1, 0, 1), from one shell running
    /// `dpkg --compare-versions` for all of them; nil when dpkg is not installed.
    private func dpkgOrders(_ pairs: [(String, String)]) throws -> [Int]? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg") else { return nil }
        let script = pairs.map { a, b in
            "if dpkg --compare-versions '\(a)' lt '\(b)'; then echo -1; " +
                "elif dpkg --compare-versions '\(a)' eq '\(b)'; then echo 0; else echo 1; fi"
        }.joined(separator: "\n")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
    }

    func testDebianOrderingAgreesWithDpkg() throws {
        let versions = Self.debianVersions
        XCTAssertFalse(versions.contains { $0.contains("'") })
        var pairs: [(String, String)] = []
        for (i, a) in versions.enumerated() {
            for b in versions[(i + 1)...] { pairs.append((a, b)) }
        }
        guard let orders = try dpkgOrders(pairs) else { throw XCTSkip("dpkg is not installed") }
        XCTAssertEqual(orders.count, pairs.count)
        for ((a, b), expected) in zip(pairs, orders) {
            XCTAssertEqual(OVALVersionOrder.debianEVRCompare(a, b), expected, "\(a) vs \(b)")
            XCTAssertEqual(OVALVersionOrder.debianEVRCompare(b, a), -expected, "\(b) vs \(a)")
        }
        // The fixture must exercise every outcome.
        XCTAssertEqual(Set(orders), [-1, 0, 1])
    }
}
