/// Compares values as OVAL 5.11 defines each operation for each datatype, with the
/// semantics of OpenSCAP 1.3.7 (`oval_str_cmp_str` and the `oval_cmp_*` functions).
///
/// Values are read as C strings, as OpenSCAP reads them: byte-wise, ending at a NUL.
/// Which operations each datatype accepts (any other gives `.error`):
///
/// | datatype | operations |
/// | --- | --- |
/// | string | equals, not equal, case insensitive (not) equal (ASCII case folding), pattern match |
/// | int | equals, not equal, greater/less than (or equal), bitwise and, bitwise or |
/// | float, version, evr_string, debian_evr_string | equals, not equal, greater/less than (or equal) |
/// | boolean, binary | equals, not equal |
/// | ipv4_address, ipv6_address | equals, not equal, greater/less than (or equal), subset of, superset of |
/// | record | none: records are compared field by field by the caller |
/// | fileset_revision, ios_version | none: `.notEvaluated`, as OpenSCAP reports them unsupported |
package enum OVALCompare {
    /// Compares a value found on the system (`actual`) with the value a state or
    /// object gives (`expected`) using `operation` under `datatype`.
    /// Returns `.true`, `.false`, or `.error` when the operation does not apply to the
    /// datatype or a value cannot be read as that datatype; `.notEvaluated` for the
    /// datatypes OpenSCAP does not support (fileset_revision, ios_version).
    /// For `pattern match`, `expected` is the pattern.
    package static func compare(_ actual: String, _ operation: OVALOperation, _ expected: String,
                               datatype: OVALDatatype) -> OVALResult {
        switch datatype {
        case .string:
            return compareString(actual, operation, expected)
        case .int:
            return compareInt(actual, operation, expected)
        case .float:
            return compareFloat(actual, operation, expected)
        case .boolean:
            return compareBoolean(actual, operation, expected)
        case .binary:
            return compareBinary(actual, operation, expected)
        case .version:
            return compareVersion(actual, operation, expected)
        case .evrString:
            return result(ofOrder: OVALVersionOrder.rpmEVRCompare(actual, expected), operation)
        case .debianEVRString:
            guard let order = OVALVersionOrder.debianEVRCompare(actual, expected) else { return .error }
            return result(ofOrder: order, operation)
        case .ipv4Address:
            return compareAddress(actual, operation, expected, family: .ipv4)
        case .ipv6Address:
            return compareAddress(actual, operation, expected, family: .ipv6)
        case .filesetRevision, .iosVersion:
            return .notEvaluated
        case .record:
            return .error
        }
    }

    /// The result of an ordering operation given the sign of (actual <=> expected);
    /// `.error` for an operation that is not an equality or ordering.
    static func result(ofOrder order: Int, _ operation: OVALOperation) -> OVALResult {
        let holds: Bool
        switch operation {
        case .equals: holds = order == 0
        case .notEqual: holds = order != 0
        case .greaterThan: holds = order > 0
        case .greaterThanOrEqual: holds = order >= 0
        case .lessThan: holds = order < 0
        case .lessThanOrEqual: holds = order <= 0
        default: return .error
        }
        return holds ? .true : .false
    }

    static func truth(_ value: Bool) -> OVALResult { value ? .true : .false }

    /// The bytes C code sees for `value`: its UTF-8 up to the first NUL.
    static func cBytes(_ value: String) -> ArraySlice<UInt8> {
        let bytes = Array(value.utf8)
        return bytes[..<(bytes.firstIndex(of: 0) ?? bytes.count)]
    }

    /// The bytes of `value` up to its first NUL, as C sees the string, without copying.
    static func cView(_ value: String) -> Substring.UTF8View {
        let utf8 = value.utf8
        guard let nul = utf8.firstIndex(of: 0) else { return value[...].utf8 }
        return value[..<nul].utf8
    }

    /// Byte-wise equality ignoring ASCII case, as `strcasecmp` in the C locale.
    static func asciiCaseInsensitiveEqual(_ a: String, _ b: String) -> Bool {
        let x = cBytes(a), y = cBytes(b)
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { asciiLower($0) == asciiLower($1) }
    }

    static func asciiLower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }

    static func compareString(_ actual: String, _ operation: OVALOperation, _ expected: String) -> OVALResult {
        switch operation {
        case .equals: return truth(cView(actual).elementsEqual(cView(expected)))
        case .notEqual: return truth(!cView(actual).elementsEqual(cView(expected)))
        case .caseInsensitiveEquals: return truth(asciiCaseInsensitiveEqual(actual, expected))
        case .caseInsensitiveNotEqual: return truth(!asciiCaseInsensitiveEqual(actual, expected))
        case .patternMatch:
            guard let regex = try? OVALRegex.cached(expected) else { return .error }
            return regex.evaluate(actual)
        default: return .error
        }
    }

    /// Binary values (hex) compare case-insensitively; only equality applies.
    static func compareBinary(_ actual: String, _ operation: OVALOperation, _ expected: String) -> OVALResult {
        switch operation {
        case .equals: return truth(asciiCaseInsensitiveEqual(actual, expected))
        case .notEqual: return truth(!asciiCaseInsensitiveEqual(actual, expected))
        default: return .error
        }
    }

    /// Booleans: exactly "true" or "1" is true, anything else (even "TRUE") is false.
    static func compareBoolean(_ actual: String, _ operation: OVALOperation, _ expected: String) -> OVALResult {
        let a = booleanValue(actual), e = booleanValue(expected)
        switch operation {
        case .equals: return truth(a == e)
        case .notEqual: return truth(a != e)
        default: return .error
        }
    }

    /// How OpenSCAP reads a boolean: true only for the exact strings "true" and "1".
    package static func booleanValue(_ text: String) -> Bool {
        let bytes = cView(text)
        return bytes.elementsEqual("true".utf8) || bytes.elementsEqual("1".utf8)
    }
}
