import XCTest
@testable import VigilOVAL

final class CompareAddressTests: XCTestCase {
    private func v4(_ actual: String, _ op: OVALOperation, _ expected: String) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: .ipv4Address)
    }

    private func v6(_ actual: String, _ op: OVALOperation, _ expected: String) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: .ipv6Address)
    }

    func testParsing() throws {
        let a = try XCTUnwrap(OVALAddress("192.168.1.5/24", family: .ipv4))
        XCTAssertEqual(a.bytes, [192, 168, 1, 5])
        XCTAssertEqual(a.mask, 0xFFFF_FF00)
        XCTAssertEqual(OVALAddress("10.0.0.1/255.0.0.0", family: .ipv4)?.mask, 0xFF00_0000)
        XCTAssertEqual(OVALAddress("10.0.0.1", family: .ipv4)?.mask, UInt32.max)
        XCTAssertNil(OVALAddress("010.0.0.1", family: .ipv4)) // inet_pton rejects leading zeros
        XCTAssertNil(OVALAddress("10.0.0", family: .ipv4))
        XCTAssertNil(OVALAddress("10.0.0.256", family: .ipv4))
        XCTAssertNil(OVALAddress("10.0.0.1/33", family: .ipv4))
        XCTAssertNil(OVALAddress("10.0.0.1/255.255", family: .ipv4))
        XCTAssertNil(OVALAddress("10.0.0.1/", family: .ipv4))
        let b = try XCTUnwrap(OVALAddress("fe80::1/64", family: .ipv6))
        XCTAssertEqual(b.bytes, [0xFE, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        XCTAssertEqual(b.mask, 64)
        XCTAssertEqual(OVALAddress("::1", family: .ipv6)?.mask, 128)
        XCTAssertNil(OVALAddress("1.2.3.4", family: .ipv6))
        XCTAssertNil(OVALAddress("::g", family: .ipv6))
    }

    func testIPv4EqualityComparesAddressAndMask() {
        XCTAssertEqual(v4("10.1.2.3", .equals, "10.1.2.3"), .true)
        XCTAssertEqual(v4("10.1.2.3", .equals, "10.1.2.3/32"), .true)
        XCTAssertEqual(v4("10.1.2.3/24", .equals, "10.1.2.3/255.255.255.0"), .true)
        // Addresses are not masked for equality.
        XCTAssertEqual(v4("10.1.2.3/24", .equals, "10.1.2.0/24"), .false)
        XCTAssertEqual(v4("10.1.2.3/24", .notEqual, "10.1.2.3"), .true)
        XCTAssertEqual(v4("bogus", .equals, "10.1.2.3"), .error)
    }

    func testIPv4SubsetAndSuperset() {
        XCTAssertEqual(v4("10.1.2.3", .subsetOf, "10.0.0.0/8"), .true)
        XCTAssertEqual(v4("10.1.2.0/24", .subsetOf, "10.0.0.0/255.0.0.0"), .true)
        XCTAssertEqual(v4("11.1.2.3", .subsetOf, "10.0.0.0/8"), .false)
        XCTAssertEqual(v4("10.0.0.0/8", .subsetOf, "10.1.0.0/16"), .false)
        XCTAssertEqual(v4("10.0.0.0/8", .supersetOf, "10.1.0.0/16"), .true)
        XCTAssertEqual(v4("10.1.2.3", .supersetOf, "10.0.0.0/8"), .false)
        // OpenSCAP's "/0" is a shift by 32, which x86 reads as "/32".
        XCTAssertEqual(v4("10.0.0.1", .subsetOf, "192.168.0.0/0"), .false)
        XCTAssertEqual(v4("192.168.0.0", .subsetOf, "192.168.0.0/0"), .true)
    }

    func testIPv4Ordering() {
        XCTAssertEqual(v4("10.1.2.4", .greaterThan, "10.1.2.3"), .true)
        XCTAssertEqual(v4("9.255.255.255", .lessThan, "10.0.0.0"), .true)
        XCTAssertEqual(v4("10.1.2.3", .greaterThanOrEqual, "10.1.2.3"), .true)
        // Compared after masking, and only with equal masks.
        XCTAssertEqual(v4("10.1.2.4/24", .greaterThan, "10.1.2.3/24"), .false)
        XCTAssertEqual(v4("10.1.3.4/24", .greaterThan, "10.1.2.3/24"), .true)
        XCTAssertEqual(v4("10.1.2.4/24", .greaterThan, "10.1.2.3"), .error)
        XCTAssertEqual(v4("10.1.2.4", .patternMatch, "10"), .error)
        XCTAssertEqual(v4("10.1.2.4", .caseInsensitiveEquals, "10.1.2.4"), .error)
    }

    func testIPv6() {
        XCTAssertEqual(v6("::1", .equals, "0:0:0:0:0:0:0:1"), .true)
        XCTAssertEqual(v6("2001:DB8::1", .equals, "2001:db8::1"), .true)
        XCTAssertEqual(v6("fe80::1/64", .subsetOf, "fe80::/10"), .true)
        XCTAssertEqual(v6("fe80::1", .subsetOf, "2001:db8::/32"), .false)
        XCTAssertEqual(v6("2001:db8::/32", .supersetOf, "2001:db8::1"), .true)
        XCTAssertEqual(v6("2001:db8::1", .supersetOf, "2001:db8::/32"), .false)
        XCTAssertEqual(v6("2001:db8::2", .greaterThan, "2001:db8::1"), .true)
        XCTAssertEqual(v6("2001:db8::2/64", .lessThanOrEqual, "2001:db8::1/64"), .true)
        // strtol reads "/abc" as prefix 0, which then differs from the default 128.
        XCTAssertEqual(v6("::1", .equals, "::1/abc"), .false)
        XCTAssertEqual(v6("::1/0", .subsetOf, "::1/abc"), .true)
        XCTAssertEqual(v6("::1", .subsetOf, "::/200"), .false) // larger prefix: false before masking
        XCTAssertEqual(v6("::1/200", .greaterThan, "::/200"), .error) // OpenSCAP asserts here
        XCTAssertEqual(v6("::1", .bitwiseAnd, "::1"), .error)
    }
}
