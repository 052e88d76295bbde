import XCTest
@testable import VigilOVAL

final class CompareStringTests: XCTestCase {
    private func cmp(_ actual: String, _ op: OVALOperation, _ expected: String,
                     _ type: OVALDatatype = .string) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: type)
    }

    func testEqualityIsByteWise() {
        XCTAssertEqual(cmp("/etc/passwd", .equals, "/etc/passwd"), .true)
        XCTAssertEqual(cmp("/etc/passwd", .equals, "/etc/passwd "), .false)
        XCTAssertEqual(cmp("root", .notEqual, "Root"), .true)
        XCTAssertEqual(cmp("", .equals, ""), .true)
        // Swift's == treats these canonically equivalent strings as equal; C's strcmp does not.
        XCTAssertEqual(cmp("e\u{301}", .equals, "\u{e9}"), .false)
        XCTAssertEqual(cmp("e\u{301}", .notEqual, "\u{e9}"), .true)
    }

    func testCaseInsensitiveFoldsASCIIOnly() {
        XCTAssertEqual(cmp("PermitRootLogin", .caseInsensitiveEquals, "permitrootlogin"), .true)
        XCTAssertEqual(cmp("yes", .caseInsensitiveNotEqual, "YES"), .false)
        XCTAssertEqual(cmp("yes", .caseInsensitiveNotEqual, "no"), .true)
        XCTAssertEqual(cmp("É", .caseInsensitiveEquals, "é"), .false)
    }

    func testPatternMatch() {
        XCTAssertEqual(cmp("/usr/sbin/sshd", .patternMatch, "^/usr/s?bin/sshd$"), .true)
        XCTAssertEqual(cmp("/usr/local/sbin/sshd", .patternMatch, "^/usr/s?bin/sshd$"), .false)
        // Unanchored patterns match anywhere; matching is case-sensitive.
        XCTAssertEqual(cmp("Protocol 2", .patternMatch, "col 2"), .true)
        XCTAssertEqual(cmp("Protocol 2", .patternMatch, "protocol"), .false)
        XCTAssertEqual(cmp("x", .patternMatch, "(unclosed"), .error)
        XCTAssertEqual(cmp(String(repeating: "a", count: 40) + "b", .patternMatch, "(a+)+$"), .error)
    }

    func testOrderingIsNotDefinedForStrings() {
        for op in [OVALOperation.greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual,
                   .bitwiseAnd, .bitwiseOr, .subsetOf, .supersetOf] {
            XCTAssertEqual(cmp("a", op, "b"), .error, op.rawValue)
        }
    }

    func testBinaryComparesHexIgnoringCase() {
        XCTAssertEqual(cmp("DEADBEEF", .equals, "deadbeef", .binary), .true)
        XCTAssertEqual(cmp("00ff", .notEqual, "00FE", .binary), .true)
        XCTAssertEqual(cmp("00ff", .caseInsensitiveEquals, "00ff", .binary), .error)
        XCTAssertEqual(cmp("00ff", .patternMatch, "ff", .binary), .error)
    }

    func testBooleanReadsOnlyTrueAndOneAsTrue() {
        XCTAssertEqual(cmp("true", .equals, "1", .boolean), .true)
        XCTAssertEqual(cmp("false", .equals, "0", .boolean), .true)
        XCTAssertEqual(cmp("true", .notEqual, "false", .boolean), .true)
        // Anything that is not exactly "true" or "1" reads as false, even "TRUE".
        XCTAssertEqual(cmp("TRUE", .equals, "false", .boolean), .true)
        XCTAssertEqual(cmp("yes", .equals, "0", .boolean), .true)
        XCTAssertEqual(cmp("true", .lessThan, "1", .boolean), .error)
        XCTAssertTrue(OVALCompare.booleanValue("1"))
        XCTAssertFalse(OVALCompare.booleanValue(" true"))
    }

    func testRecordAndUnsupportedDatatypes() {
        XCTAssertEqual(cmp("x", .equals, "x", .record), .error)
        XCTAssertEqual(cmp("x", .equals, "x", .filesetRevision), .notEvaluated)
        XCTAssertEqual(cmp("12.2(58)SE", .equals, "12.2(58)SE", .iosVersion), .notEvaluated)
    }
}
