/// Every native check kind Vigil knows, by name. Adding a kind: its file in its family
/// folder and one line here.
public enum NativeCheckKinds {
    /// The kinds, in documentation order.
    public static let all: [any NativeCheckKind.Type] = [
        OpenSSLConfigCheck.self,
        FIPSModuleCheck.self,
        CryptoPolicyCheck.self,
        SSHDConfigCheck.self,
        SSHClientConfigCheck.self,
        OpenSSLRuntimeCheck.self,
        GoBinaryCheck.self,
        X509Check.self,
        PrivateKeyCheck.self,
        SSHHostKeysCheck.self,
    ]

    /// The kind named `name`, or nil.
    public static func kind(named name: String) -> (any NativeCheckKind.Type)? {
        all.first { $0.name == name }
    }

    /// The names, for messages.
    public static var names: [String] { all.map { $0.name } }

    /// The check `spec` describes, its parameters read and checked. Throws
    /// `NativeCheckError` for an unknown kind, an unknown parameter or a bad value.
    /// `kinds` are the kinds known (all of Vigil's unless a caller, such as a test, gives others).
    public static func make(_ spec: NativeCheckSpec, kinds: [any NativeCheckKind.Type] = all) throws -> any NativeCheckKind {
        guard let kind = kinds.first(where: { $0.name == spec.kind }) else {
            throw NativeCheckError("unknown native check kind '\(spec.kind)'; known: \(kinds.map { $0.name }.joined(separator: ", "))")
        }
        for p in spec.parameters where !kind.parameterNames.contains(p.name) {
            throw NativeCheckError(parameter: p.name,
                                   "'\(p.name)' is not a parameter of \(spec.kind); expected one of: \(kind.parameterNames.joined(separator: ", "))")
        }
        return try kind.init(NativeParameters(spec))
    }
}
