import XCTest
@testable import VigilOVAL

/// A `ValueIndex` answers what comparing value by value answers: for every datatype and
/// operation it is built for, on values with repeats, case, NUL bytes, canonically
/// equivalent Unicode, ints that do not parse and odd booleans, its tally of results
/// equals the tally of `OVALCompare.compare` over the values.
final class ValueIndexTests: XCTestCase {
    static let samples: [OVALDatatype: [String]] = [
        .string: ["app", "app", "App", "APP", "caf\u{e9}", "cafe\u{301}", "a\u{0}b", "a", "", " app", "app ", "\u{c9}t\u{e9}"],
        .binary: ["0a1B", "0A1b", "0a1b", "ff", "FF", "", "0a1b0", "g1"],
        .int: ["7", "07", "+7", " 7", "7 ", "-7", "x", "", "9223372036854775807", "99999999999999999999", "0x7", "7"],
        .boolean: ["true", "1", "TRUE", "false", "0", "", "yes", "true", "1\u{0}x"],
    ]
    static let operations: [OVALOperation] = [.equals, .notEqual, .caseInsensitiveEquals, .caseInsensitiveNotEqual,
                                              .patternMatch, .greaterThan]

    /// The tally comparing value by value gives.
    private func tally(_ actual: String, _ op: OVALOperation, _ values: [String], _ datatype: OVALDatatype) -> ResultCounts {
        ResultCounts(values.map { OVALCompare.compare(actual, op, $0, datatype: datatype) })
    }

    func testTheIndexTalliesAsComparingValueByValue() {
        var built = 0
        for (datatype, values) in Self.samples {
            for op in Self.operations {
                guard let index = ValueIndex(values, op, datatype: datatype) else {
                    // Only the equalities hashing reproduces are indexed.
                    XCTAssertTrue([OVALOperation.patternMatch, .greaterThan].contains(op) || datatype != .string,
                                  "\(datatype) \(op) not indexed")
                    continue
                }
                built += 1
                for actual in values + ["missing", "APP", "7", "1"] {
                    XCTAssertEqual(index.results(actual, op), tally(actual, op, values, datatype),
                                   "\(datatype) \(op) '\(actual)'")
                }
            }
        }
        // string: 4 operations; binary, int, boolean: equals and not equal.
        XCTAssertEqual(built, 10)
        XCTAssertNil(ValueIndex(["1.0", "1"], .equals, datatype: .float), "float equality is not a key's")
        XCTAssertNil(ValueIndex(["1.0", "1"], .equals, datatype: .version))
    }

    func testAnObjectEntityWithManyValuesSelectsAsEveryVarCheckSays() {
        let values = Self.samples[.string]!
        for check in [CheckEnumeration.all, .atLeastOne, .onlyOne, .noneSatisfy] {
            for op in [OVALOperation.equals, .notEqual, .caseInsensitiveEquals] {
                let entity = ResolvedEntity(entity: OVALEntity(name: "username", operation: op, varRef: "oval:t:var:1", varCheck: check),
                                            values: values)
                for candidate in values + ["nobody"] {
                    let expected = tally(candidate, op, values, .string).combined(by: check) == .true
                    XCTAssertEqual(entity.matches(candidate), expected, "\(check) \(op) '\(candidate)'")
                }
            }
        }
    }
}
