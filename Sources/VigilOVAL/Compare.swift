/// Compares values as OVAL 5.11 defines each operation for each datatype.
public enum OVALCompare {
    /// Compares a value found on the system (`actual`) with the value a state or
    /// object gives (`expected`) using `operation` under `datatype`.
    /// Returns `.true`, `.false`, or `.error` when the operation does not apply to the
    /// datatype or a value cannot be read as that datatype.
    public static func compare(_ actual: String, _ operation: OVALOperation, _ expected: String,
                               datatype: OVALDatatype) -> OVALResult {
        // Placeholder until the datatype work lands.
        switch operation {
        case .equals: return actual == expected ? .true : .false
        case .notEqual: return actual != expected ? .true : .false
        default: return .error
        }
    }
}
