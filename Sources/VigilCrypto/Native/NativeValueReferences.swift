/// `${name}` references to benchmark values in a native check's parameters: the rule
/// compiler checks that they name values, the engine substitutes the profile's choices.
extension NativeCheckSpec {
    /// The names referenced as `${name}`, each once, in order.
    public var valueReferences: [String] {
        var names: [String] = []
        for p in parameters {
            for v in p.values { for n in Self.references(in: v) where !names.contains(n) { names.append(n) } }
        }
        return names
    }

    /// The spec with every `${name}` replaced by `values[name]`. Throws a `NativeCheckError`
    /// naming the parameter when a reference has no value.
    public func substituting(_ values: [String: String]) throws -> NativeCheckSpec {
        var out = self
        for i in out.parameters.indices {
            out.parameters[i].values = try out.parameters[i].values.map { text in
                var result = "", rest = text[...]
                while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
                    let name = String(rest[open.upperBound..<close])
                    guard let value = values[name] else {
                        throw NativeCheckError(parameter: out.parameters[i].name,
                                               "'\(out.parameters[i].name)' references ${\(name)}, which has no value")
                    }
                    result += rest[..<open.lowerBound] + value
                    rest = rest[rest.index(after: close)...]
                }
                return result + rest
            }
        }
        return out
    }

    /// The names `${name}` in `text`.
    static func references(in text: String) -> [String] {
        var out: [String] = [], rest = text[...]
        while let open = rest.range(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            out.append(String(rest[open.upperBound..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return out
    }
}
