import XCTest
@testable import VigilOVAL

final class CompareNumericTests: XCTestCase {
    private func cmp(_ actual: String, _ op: OVALOperation, _ expected: String,
                     _ type: OVALDatatype = .int) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: type)
    }

    func testIntParsing() {
        XCTAssertEqual(OVALCompare.parseInt("42"), 42)
        XCTAssertEqual(OVALCompare.parseInt("-17"), -17)
        XCTAssertEqual(OVALCompare.parseInt("+5"), 5)
        XCTAssertEqual(OVALCompare.parseInt("  7"), 7)
        XCTAssertEqual(OVALCompare.parseInt("0644"), 644) // decimal, not octal
        XCTAssertEqual(OVALCompare.parseInt("9223372036854775807"), Int64.max)
        XCTAssertEqual(OVALCompare.parseInt("-9223372036854775808"), Int64.min)
        XCTAssertNil(OVALCompare.parseInt("9223372036854775808"))
        XCTAssertNil(OVALCompare.parseInt("0x10"))
        XCTAssertNil(OVALCompare.parseInt("7 "))
        XCTAssertNil(OVALCompare.parseInt(""))
        XCTAssertNil(OVALCompare.parseInt("-"))
        XCTAssertNil(OVALCompare.parseInt("1.0"))
    }

    func testIntOrderingIsSystemAgainstState() {
        XCTAssertEqual(cmp("600", .equals, "600"), .true)
        XCTAssertEqual(cmp("600", .notEqual, "0600"), .false)
        XCTAssertEqual(cmp("10", .greaterThan, "9"), .true) // numeric, not lexicographic
        XCTAssertEqual(cmp("9", .greaterThan, "10"), .false)
        XCTAssertEqual(cmp("5", .greaterThanOrEqual, "5"), .true)
        XCTAssertEqual(cmp("-1", .lessThan, "0"), .true)
        XCTAssertEqual(cmp("99999", .lessThanOrEqual, "99999"), .true)
        XCTAssertEqual(cmp("100", .lessThanOrEqual, "99"), .false)
    }

    func testIntBitwise() {
        // bitwise and: every bit of the state value is set on the system.
        XCTAssertEqual(cmp("7", .bitwiseAnd, "5"), .true)
        XCTAssertEqual(cmp("4", .bitwiseAnd, "5"), .false)
        // bitwise or: the system sets no bit outside the state value.
        XCTAssertEqual(cmp("5", .bitwiseOr, "7"), .true)
        XCTAssertEqual(cmp("8", .bitwiseOr, "7"), .false)
    }

    func testIntErrors() {
        XCTAssertEqual(cmp("abc", .equals, "1"), .error)
        XCTAssertEqual(cmp("1", .equals, "0x1"), .error)
        XCTAssertEqual(cmp("1", .patternMatch, "1"), .error)
        XCTAssertEqual(cmp("1", .caseInsensitiveEquals, "1"), .error)
        XCTAssertEqual(cmp("1", .subsetOf, "1"), .error)
    }

    func testFloat() {
        XCTAssertEqual(cmp("1.5", .equals, "1.50", .float), .true)
        XCTAssertEqual(cmp("1e3", .equals, "1000", .float), .true)
        XCTAssertEqual(cmp("8", .equals, "0x1p3", .float), .true) // strtod reads hex floats
        XCTAssertEqual(cmp(" 2.5", .equals, "2.5", .float), .true)
        // Equal within a relative error of 1e-9.
        XCTAssertEqual(cmp("1.0000000001", .equals, "1", .float), .true)
        XCTAssertEqual(cmp("1.00001", .equals, "1", .float), .false)
        XCTAssertEqual(cmp("2.5", .greaterThan, "2.4", .float), .true)
        XCTAssertEqual(cmp("2.5", .lessThanOrEqual, "2.4", .float), .false)
        XCTAssertEqual(cmp("inf", .greaterThan, "1e308", .float), .true)
        XCTAssertEqual(cmp("nan", .equals, "nan", .float), .false)
        XCTAssertEqual(cmp("nan", .lessThan, "1", .float), .true)
        // Unreadable, out of range (ERANGE, also on underflow) or wrong operation: error.
        XCTAssertEqual(cmp("1.5x", .equals, "1.5", .float), .error)
        XCTAssertEqual(cmp("1e999", .equals, "1", .float), .error)
        XCTAssertEqual(cmp("1e-310", .equals, "0", .float), .error)
        XCTAssertEqual(cmp("1.5", .bitwiseAnd, "1", .float), .error)
        XCTAssertEqual(cmp("1.5", .patternMatch, "1", .float), .error)
    }
}
