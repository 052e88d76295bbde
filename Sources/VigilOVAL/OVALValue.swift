/// A value with its datatype, as variables carry them. While a local variable's value is
/// computed, each intermediate value keeps the datatype of what produced it (a `count` is
/// an int, a `concat` a string, an object component the item field's datatype); the
/// variable's final values take the variable's declared datatype, as OpenSCAP does.
package struct OVALValue: Sendable, Equatable, Hashable {
    package var text: String
    package var datatype: OVALDatatype
    package init(_ text: String, _ datatype: OVALDatatype = .string) {
        self.text = text
        self.datatype = datatype
    }
}

/// The computed values of a variable and how complete they are.
package struct VariableValues: Sendable {
    package var flag: CollectedFlag
    package var values: [OVALValue]
    package var message: String?

    package init(flag: CollectedFlag, values: [OVALValue], message: String? = nil) {
        self.flag = flag
        self.values = values
        self.message = message
    }

    /// Whether the flag says the values can be used (complete or incomplete).
    package var hasValues: Bool { flag == .complete || flag == .incomplete }
}

extension CollectedFlag {
    /// Combines the flags of several components, as OpenSCAP aggregates them.
    /// `nil` stands for "nothing yet".
    static func aggregate(_ current: CollectedFlag?, _ next: CollectedFlag) -> CollectedFlag {
        guard let current else { return next }
        if current == .error || next == .error { return .error }
        if current == .notApplicable || next == .notApplicable { return .notApplicable }
        if current == .notCollected || next == .notCollected { return .notCollected }
        if current == .doesNotExist || next == .doesNotExist { return .doesNotExist }
        if current == .incomplete || next == .incomplete { return .incomplete }
        return .complete
    }
}
