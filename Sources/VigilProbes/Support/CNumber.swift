/// C's `strtol` / `strtoul` (C locale), for the places where OpenSCAP or glibc read a
/// number that way and Vigil must read it alike: leading white space (`isspace`: space,
/// `\t`, `\n`, `\v`, `\f`, `\r`), an optional sign, an optional base prefix (`0x`/`0X`
/// for base 16 or 0, a leading `0` for base 0 meaning octal), then digits up to the
/// first byte that is not one. Out-of-range values saturate and report a range error
/// (C's `ERANGE`).
///
/// Readers that look like these but are not them (fixed-width kernel fields, pure digit
/// strings) keep their own code and say why.
package struct CNumber: Sendable, Equatable {
    /// Whether a `-` sign came before the digits.
    package var negative: Bool
    /// The digits' value, `UInt64.max` when it does not fit (then `overflow` is set).
    package var magnitude: UInt64
    /// Whether the digits' value exceeds `UInt64.max`.
    package var overflow: Bool
    /// How many digits were read (a `0x` prefix with no hex digit after it counts as
    /// the digit `0`, as in C).
    package var digits: Int
    /// Bytes consumed from the start, i.e. where C's `endptr` points (0 when no digits).
    package var length: Int

    /// Scans `bytes` from its start in `base` (0, or 2 through 36). Reads only as far as
    /// the number goes (a slice of a large buffer is not copied).
    package init<C: Collection>(scanning bytes: C, base: Int = 10) where C.Element == UInt8 {
        precondition(base == 0 || (2...36).contains(base), "base \(base)")
        var i = bytes.startIndex
        var count = 0
        func at(_ k: C.Index) -> UInt8? { k < bytes.endIndex ? bytes[k] : nil }
        func advance() { i = bytes.index(after: i); count += 1 }
        while let c = at(i), CNumber.isSpace(c) { advance() }
        negative = false
        if let c = at(i), c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            negative = c == UInt8(ascii: "-")
            advance()
        }
        var radix = base
        if base == 0 || base == 16, at(i) == UInt8(ascii: "0") {
            let x = i < bytes.endIndex ? bytes.index(after: i) : i
            let afterX = x < bytes.endIndex ? bytes.index(after: x) : x
            if let cx = at(x), cx | 0x20 == UInt8(ascii: "x"), let h = at(afterX), CNumber.digit(h, radix: 16) != nil {
                radix = 16
                advance()
                advance()
            } else if base == 0 {
                radix = 8
            }
        } else if base == 0 {
            radix = 10
        }
        magnitude = 0
        overflow = false
        digits = 0
        while let c = at(i), let d = CNumber.digit(c, radix: radix) {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: UInt64(radix))
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            overflow = overflow || o1 || o2
            magnitude = s
            digits += 1
            advance()
        }
        if overflow { magnitude = UInt64.max }
        length = digits > 0 ? count : 0
    }

    /// `strtoul`: the magnitude, negated modulo 2^64 after a `-`; `UInt64.max` and a
    /// range error when the digits do not fit. 0 when there are no digits.
    package var unsignedValue: (value: UInt64, rangeError: Bool) {
        if overflow { return (UInt64.max, true) }
        return (negative ? 0 &- magnitude : magnitude, false)
    }

    /// `strtol`: the signed value, `Int64.max` / `Int64.min` and a range error when it
    /// does not fit. 0 when there are no digits.
    package var signedValue: (value: Int64, rangeError: Bool) {
        if negative {
            if overflow || magnitude > UInt64(Int64.max) + 1 { return (Int64.min, true) }
            return (magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude), false)
        }
        if overflow || magnitude > UInt64(Int64.max) { return (Int64.max, true) }
        return (Int64(magnitude), false)
    }

    /// `strtol(text, NULL, base)`.
    package static func strtol(_ text: String, base: Int = 10) -> (value: Int64, rangeError: Bool) {
        CNumber(scanning: text.utf8, base: base).signedValue
    }

    /// `strtoul(text, NULL, base)`.
    package static func strtoul(_ text: String, base: Int = 10) -> (value: UInt64, rangeError: Bool) {
        CNumber(scanning: text.utf8, base: base).unsignedValue
    }

    /// C's `isspace` in the C locale.
    package static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0d)
    }

    /// The value of digit `c` in `radix` (letters in either case from 10 on), or nil.
    static func digit(_ c: UInt8, radix: Int) -> Int? {
        let value: Int
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): value = Int(c - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = Int(c - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < radix ? value : nil
    }
}
