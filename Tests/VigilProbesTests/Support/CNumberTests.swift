import Foundation
import XCTest
@testable import VigilProbes

/// `CNumber` reads numbers as glibc's `strtol` / `strtoul` do: each input below is read
/// by both and must give the same value, range error and end pointer.
final class CNumberTests: XCTestCase {
    /// Edge cases of the C readers: white space, signs, prefixes, overflow, stray bytes.
    static let inputs = [
        "", " ", "0", "7", "42", "  \t\n\u{0B}\u{0C}\r 42", "+5", "-5", "- 5", "+-5", "--5", "5x", "x5",
        "007", "08", "0x", "0x1f", "0X1F", "0xg", "-0x10", "0b1", "z", "Z", "1z",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551615", "18446744073709551616", "-18446744073709551615", "-18446744073709551616",
        "99999999999999999999999", "-0", "+0", "4294967295", "4294967296", "\u{A0}5", "١٢", "12\u{0}34",
        "fffffffffffffffff", "7fffffffffffffff", "8000000000000000",
    ]

    private func cStrtol(_ s: String, _ base: Int32) -> (Int64, Bool, Int) {
        s.withCString { p in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let v = strtol(p, &end, base)
            return (Int64(v), errno == ERANGE, end.map { $0 - UnsafeMutablePointer(mutating: p) } ?? 0)
        }
    }

    private func cStrtoul(_ s: String, _ base: Int32) -> (UInt64, Bool, Int) {
        s.withCString { p in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let v = strtoul(p, &end, base)
            return (UInt64(v), errno == ERANGE, end.map { $0 - UnsafeMutablePointer(mutating: p) } ?? 0)
        }
    }

    func testAgreesWithGlibcInEveryBase() {
        for base in [0, 2, 8, 10, 16, 36] {
            for input in Self.inputs {
                // C stops at the first NUL: compare on what C sees.
                let seen = String(decoding: input.utf8.prefix { $0 != 0 }, as: UTF8.self)
                let number = CNumber(scanning: input.utf8.prefix { $0 != 0 }, base: base)
                let (sv, sr, send) = cStrtol(seen, Int32(base))
                let (uv, ur, uend) = cStrtoul(seen, Int32(base))
                XCTAssertEqual(number.signedValue.value, sv, "strtol(\(input.debugDescription), \(base))")
                XCTAssertEqual(number.signedValue.rangeError, sr, "strtol ERANGE (\(input.debugDescription), \(base))")
                XCTAssertEqual(number.unsignedValue.value, uv, "strtoul(\(input.debugDescription), \(base))")
                XCTAssertEqual(number.unsignedValue.rangeError, ur, "strtoul ERANGE (\(input.debugDescription), \(base))")
                XCTAssertEqual(number.length, send, "endptr strtol(\(input.debugDescription), \(base))")
                XCTAssertEqual(number.length, uend, "endptr strtoul(\(input.debugDescription), \(base))")
            }
        }
    }

    func testScansASliceInPlace() {
        let bytes = Array("x:  -12:y".utf8)
        let number = CNumber(scanning: bytes[2...])
        XCTAssertEqual(number.signedValue.value, -12)
        XCTAssertEqual(number.length, 5)
        XCTAssertEqual(number.digits, 2)
        XCTAssertTrue(number.negative)
        XCTAssertEqual(CNumber(scanning: bytes[bytes.endIndex...]).length, 0)
    }

    /// `max_depth` is read by `strtol`: C white space before it (a CR LF included, which
    /// a reader of Swift `Character`s sees as one character and stopped at), and
    /// `LONG_MIN` is in range.
    func testMaxDepthReadAsStrtol() throws {
        XCTAssertEqual(try FileWalkBehaviors(attributes: ["max_depth": " \r\n5"]).maxDepth, 5)
        XCTAssertEqual(try FileWalkBehaviors(attributes: ["max_depth": "-9223372036854775808"]).maxDepth, Int.min)
        XCTAssertThrowsError(try FileWalkBehaviors(attributes: ["max_depth": "9223372036854775808"]))
        XCTAssertEqual(try FileWalkBehaviors(attributes: ["max_depth": "\u{0B}-1"]).maxDepth, -1)
    }
}
