import XCTest
@testable import VigilOVAL

final class CompareVersionTests: XCTestCase {
    private func cmp(_ actual: String, _ op: OVALOperation, _ expected: String) -> OVALResult {
        OVALCompare.compare(actual, op, expected, datatype: .version)
    }

    func testFieldsCompareNumerically() {
        XCTAssertEqual(cmp("1.2.3", .equals, "1.2.3"), .true)
        XCTAssertEqual(cmp("1.10", .greaterThan, "1.9"), .true)
        XCTAssertEqual(cmp("1.10", .lessThan, "1.9"), .false)
        XCTAssertEqual(cmp("2.0", .greaterThan, "1.99.99"), .true)
        XCTAssertEqual(cmp("5.4.0-150", .greaterThanOrEqual, "5.4.0-42"), .true)
        XCTAssertEqual(cmp("6.1.0", .lessThanOrEqual, "6.1.0"), .true)
        XCTAssertEqual(cmp("3.0.2", .notEqual, "3.0.11"), .true)
    }

    func testMissingFieldsReadAsZero() {
        XCTAssertEqual(cmp("1.2", .equals, "1.2.0"), .true)
        XCTAssertEqual(cmp("1.2.0.0", .equals, "1.2"), .true)
        XCTAssertEqual(cmp("1.2", .lessThan, "1.2.1"), .true)
        XCTAssertEqual(cmp("", .equals, "0"), .true)
    }

    func testSeparatorsAndTextFollowOpenSCAP() {
        // Any single non-digit separates; trailing letters are ignored by atoi.
        XCTAssertEqual(cmp("1-2_3", .equals, "1.2.3"), .true)
        XCTAssertEqual(cmp("1.2a", .equals, "1.2"), .true)
        XCTAssertEqual(cmp("1.2a", .equals, "1.2b"), .true)
        // A doubled separator skips the field after it.
        XCTAssertEqual(cmp("1..2", .equals, "1.0"), .true)
        // Leading zeros are just numbers.
        XCTAssertEqual(cmp("1.02", .equals, "1.2"), .true)
    }

    func testInvalidOperations() {
        for op in [OVALOperation.patternMatch, .caseInsensitiveEquals, .bitwiseAnd, .subsetOf] {
            XCTAssertEqual(cmp("1.2", op, "1.2"), .error, op.rawValue)
            XCTAssertEqual(cmp("", op, ""), .error, op.rawValue)
        }
    }
}
