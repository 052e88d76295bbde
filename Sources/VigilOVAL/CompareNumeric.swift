#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension OVALCompare {
    /// Reads an OVAL int as OpenSCAP does (`strtoimax` base 10): optional leading white space
    /// and sign, decimal digits only, nothing after them; nil when out of 64-bit range.
    package static func parseInt(_ text: String) -> Int64? {
        parseWhole(text) { Int64(strtoll($0, $1, 10)) }
    }

    /// Reads an OVAL float as OpenSCAP does (`strtod`): leading white space, decimal or hex
    /// notation, "inf" and "nan" accepted; nil when trailing text remains or the value
    /// overflows or underflows (ERANGE).
    package static func parseFloat(_ text: String) -> Double? {
        parseWhole(text) { strtod($0, $1) }
    }

    /// Runs a C `strto…` function on `text` (as `cBytes` gives it, NUL-terminated); its
    /// value when it read at least one character, all of the text, and set no ERANGE.
    private static func parseWhole<Value>(
        _ text: String,
        _ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Value
    ) -> Value? {
        var bytes = Array(cBytes(text))
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { buf -> Value? in
            guard let start = buf.baseAddress else { return nil }
            return start.withMemoryRebound(to: CChar.self, capacity: buf.count) { cstr -> Value? in
                var end: UnsafeMutablePointer<CChar>?
                errno = 0
                let value = parse(cstr, &end)
                guard errno != ERANGE, let end, end != UnsafeMutablePointer(mutating: cstr),
                      end.pointee == 0 else { return nil }
                return value
            }
        }
    }

    static func compareInt(_ actual: String, _ operation: OVALOperation, _ expected: String) -> OVALResult {
        guard let state = parseInt(expected), let sys = parseInt(actual) else { return .error }
        switch operation {
        case .bitwiseAnd: return truth(sys & state == state)
        case .bitwiseOr: return truth(sys | state == state)
        default: return result(ofOrder: sys < state ? -1 : (sys > state ? 1 : 0), operation)
        }
    }

    static func compareFloat(_ actual: String, _ operation: OVALOperation, _ expected: String) -> OVALResult {
        guard let state = parseFloat(expected), let sys = parseFloat(actual) else { return .error }
        return result(ofOrder: floatOrder(sys, state), operation)
    }

    /// OpenSCAP's float ordering: equal within a relative error of 1e-9; a NaN on either
    /// side orders as less.
    static func floatOrder(_ a: Double, _ b: Double) -> Int {
        if a == b { return 0 }
        let order = a > b ? 1 : -1
        let relativeError = abs(a) > abs(b) ? abs((a - b) / a) : abs((a - b) / b)
        return relativeError <= 0.000000001 ? 0 : order
    }
}
