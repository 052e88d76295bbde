import VigilCrypto
import VigilXML

/// Reads the `<check-content>` of a check in Vigil's native check system:
/// `<vigil:check kind="KIND"><vigil:param name="NAME">VALUE</vigil:param>...</vigil:check>`,
/// a parameter given several times being a list. Only the shape is checked here; the
/// kind and its parameters are checked when the rule is evaluated, so that a bad check
/// makes its rule `error` rather than failing the whole benchmark.
enum NativeCheckContent {
    /// The most parameter values one check may hold.
    static let maxValues = 4096

    static func spec(_ check: XMLElement) throws -> NativeCheckSpec {
        guard let content = check.child("check-content") else {
            throw ContentError(check.location, "a check in \(NativeCheckSystem.uri) has no <check-content>")
        }
        let elements = content.children
        guard elements.count == 1, let el = elements.first, el.name == "check", el.namespace == NativeCheckSystem.namespace else {
            throw ContentError(content.location, "the <check-content> of a native check must hold one <check> in \(NativeCheckSystem.namespace)")
        }
        guard let kind = el.attribute("kind"), !kind.isEmpty else {
            throw ContentError(el.location, "the native check has no kind")
        }
        var parameters: [(name: String, values: [String])] = []
        var count = 0
        for p in el.children {
            guard p.name == "param", p.namespace == NativeCheckSystem.namespace, let name = p.attribute("name"), !name.isEmpty else {
                throw ContentError(p.location, "native check '\(kind)': <\(p.name)> is not a <param name=\"...\">")
            }
            count += 1
            guard count <= maxValues else { throw ContentError(p.location, "native check '\(kind)' holds more than \(maxValues) parameter values") }
            if let i = parameters.firstIndex(where: { $0.name == name }) { parameters[i].values.append(p.text) }
            else { parameters.append((name, [p.text])) }
        }
        return NativeCheckSpec(kind: kind, parameters: parameters)
    }
}
