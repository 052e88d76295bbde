#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension OVALCompare {
    /// The `version` datatype as OpenSCAP 1.3.7 compares it: both strings are walked field by
    /// field, each field read with C `atoi` (so "2a" reads 2, "" and "x" read 0), and the first
    /// differing field decides. After each field OpenSCAP skips one character, the digits that
    /// follow and one separator, so fields are the numbers between single separators, and a
    /// string that runs out reads as 0 ("1.2" equals "1.2.0"). A doubled separator makes
    /// OpenSCAP skip the field after it ("1..2" reads as 1, 0).
    static func compareVersion(_ actual: String, _ operation: OVALOperation, _ expected: String) -> OVALResult {
        switch operation {
        case .equals, .notEqual, .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual:
            break
        default:
            return .error
        }
        return result(ofOrder: versionOrder(actual, expected), operation)
    }

    /// The sign of (a <=> b) under OpenSCAP's `version` rules.
    static func versionOrder(_ a: String, _ b: String) -> Int {
        var x = Array(cBytes(a)).map { CChar(bitPattern: $0) }
        var y = Array(cBytes(b)).map { CChar(bitPattern: $0) }
        x.append(0)
        y.append(0)
        return x.withUnsafeBufferPointer { xb in
            y.withUnsafeBufferPointer { yb in
                guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return 0 }
                var i = 0, j = 0
                while xp[i] != 0 || yp[j] != 0 {
                    let u = atoi(xp + i), v = atoi(yp + j)
                    if u != v { return u < v ? -1 : 1 }
                    i = nextVersionField(xp, i)
                    j = nextVersionField(yp, j)
                }
                return 0
            }
        }
    }

    /// OpenSCAP's step to the next field: one character, then digits, then one non-digit.
    private static func nextVersionField(_ s: UnsafePointer<CChar>, _ start: Int) -> Int {
        var i = start
        if s[i] != 0 { i += 1 }
        while s[i] != 0, isASCIIDigit(s[i]) { i += 1 }
        if s[i] != 0, !isASCIIDigit(s[i]) { i += 1 }
        return i
    }

    private static func isASCIIDigit(_ c: CChar) -> Bool { c >= 0x30 && c <= 0x39 }
}
