import FuzzSupport
import VigilOVAL

/// Fuzzes OVAL value comparison (`OVALCompare.compare`) for every datatype and operation.
/// Input: byte 0 picks the operation and byte 1 the datatype (an index into `allCases`,
/// modulo their count); the rest is the expected value (state or pattern), a 0xFF byte, and
/// the actual value (bytes read as UTF-8, invalid sequences replaced).
/// Besides crashes it checks what must hold whatever the datatype: `equals` and `not equal`
/// disagree, a value equals itself, and the orderings and subset tests mirror each other.
enum Harness {
    static let operations = OVALOperation.allCases
    static let datatypes = OVALDatatype.allCases

    static func decode(_ bytes: [UInt8]) -> (OVALOperation, OVALDatatype, String, String)? {
        guard bytes.count >= 2 else { return nil }
        let operation = operations[Int(bytes[0]) % operations.count]
        let datatype = datatypes[Int(bytes[1]) % datatypes.count]
        let (expected, actual) = FuzzInput.split(bytes[2...], at: 0xFF)
        return (operation, datatype, FuzzInput.text(expected), FuzzInput.text(actual ?? []))
    }

    static func run(_ bytes: [UInt8]) {
        guard let (operation, datatype, expected, actual) = decode(bytes) else { return }
        func compare(_ a: String, _ op: OVALOperation, _ b: String) -> OVALResult {
            OVALCompare.compare(a, op, b, datatype: datatype)
        }
        _ = compare(actual, operation, expected)
        let equal = compare(actual, .equals, expected), notEqual = compare(actual, .notEqual, expected)
        if isTruth(equal), isTruth(notEqual) {
            FuzzInput.check(equal != notEqual, "\(datatype): equals and not equal agree (\(equal)) on '\(actual)' vs '\(expected)'")
        }
        switch datatype {
        case .int, .version, .evrString, .debianEVRString, .ipv4Address, .ipv6Address, .boolean, .binary, .string:
            // A value equals itself whenever it can be read at all.
            let same = compare(actual, .equals, actual)
            FuzzInput.check(same != .false, "\(datatype): '\(actual)' does not equal itself")
        default:
            break
        }
        switch datatype {
        case .int, .version, .evrString, .debianEVRString:
            FuzzInput.check(equal == compare(expected, .equals, actual), "\(datatype): equality of '\(actual)' and '\(expected)' is not symmetric")
            FuzzInput.check(compare(actual, .greaterThan, expected) == compare(expected, .lessThan, actual),
                            "\(datatype): '\(actual)' > '\(expected)' but not '\(expected)' < '\(actual)'")
        case .ipv4Address, .ipv6Address:
            FuzzInput.check(compare(actual, .subsetOf, expected) == compare(expected, .supersetOf, actual),
                            "\(datatype): '\(actual)' subset of '\(expected)' but not '\(expected)' superset of '\(actual)'")
        default:
            break
        }
        if datatype == .evrString {
            let order = OVALVersionOrder.rpmEVRCompare(actual, expected).signum()
            FuzzInput.check(OVALVersionOrder.rpmEVRCompare(expected, actual).signum() == -order,
                            "evr_string: order of '\(actual)' and '\(expected)' is not antisymmetric")
        }
        if datatype == .debianEVRString, let order = OVALVersionOrder.debianEVRCompare(actual, expected) {
            FuzzInput.check(OVALVersionOrder.debianEVRCompare(expected, actual)?.signum() == -order.signum(),
                            "debian_evr_string: order of '\(actual)' and '\(expected)' is not antisymmetric")
        }
    }

    static func isTruth(_ r: OVALResult) -> Bool { r == .true || r == .false }

    static func describe(_ bytes: [UInt8]) -> String {
        guard let (operation, datatype, expected, actual) = decode(bytes) else { return "too short" }
        return "'\(actual)' \(operation.rawValue) '\(expected)' as \(datatype.rawValue)"
    }
}
