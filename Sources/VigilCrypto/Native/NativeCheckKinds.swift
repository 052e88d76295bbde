/// Every native check kind Vigil knows, by name. Adding a kind: its file in its family
/// folder and one line here.
public enum NativeCheckKinds {
    /// The kinds, in documentation order.
    public static let all: [any NativeCheckKind.Type] = [
        OpenSSLConfigCheck.self,
        FIPSModuleCheck.self,
    ]

    /// The kind named `name`, or nil.
    public static func kind(named name: String) -> (any NativeCheckKind.Type)? {
        all.first { $0.name == name }
    }

    /// The names, for messages.
    public static var names: [String] { all.map { $0.name } }

    /// The check `spec` describes, its parameters read and checked. Throws
    /// `NativeCheckError` for an unknown kind, an unknown parameter or a bad value.
    public static func make(_ spec: NativeCheckSpec) throws -> any NativeCheckKind {
        guard let kind = kind(named: spec.kind) else {
            throw NativeCheckError("unknown native check kind '\(spec.kind)'; known: \(names.joined(separator: ", "))")
        }
        for p in spec.parameters where !kind.parameterNames.contains(p.name) {
            throw NativeCheckError(parameter: p.name,
                                   "'\(p.name)' is not a parameter of \(spec.kind); expected one of: \(kind.parameterNames.joined(separator: ", "))")
        }
        return try kind.init(NativeParameters(spec))
    }
}
