import Foundation

/// The one test a rule applies to an effective SSH setting: `value` (one of the values,
/// case-insensitive), `allowed` (every list item in the list), `forbidden` (no item
/// matches a pattern of the list), `at_most`/`at_least` (a number; times in seconds) or
/// `pattern` (a regular expression matching the whole value).
enum SSHValueTest: Sendable {
    case value([String])
    case allowed([String])
    case forbidden([String])
    case range(atLeast: Int?, atMost: Int?)
    case pattern(String)

    static let names = ["value", "allowed", "forbidden", "at_most", "at_least", "pattern"]

    init(_ p: NativeParameters) throws {
        let given = Self.names.filter(p.has)
        let single = Set(given).subtracting(["at_most", "at_least"])
        guard !given.isEmpty, single.count + (given.count > single.count ? 1 : 0) == 1 else {
            throw NativeCheckError("give exactly one test: value, allowed, forbidden, at_most/at_least or pattern")
        }
        if let v = p.strings("value") { self = .value(v) }
        else if let v = p.strings("allowed") { self = .allowed(v) }
        else if let v = p.strings("forbidden") { self = .forbidden(v) }
        else if let r = try p.string("pattern") {
            guard (try? NSRegularExpression(pattern: r)) != nil else { throw NativeCheckError(parameter: "pattern", "'\(r)' is not a regular expression") }
            self = .pattern(r)
        } else { self = .range(atLeast: try p.integer("at_least"), atMost: try p.integer("at_most")) }
    }

    /// Nil when `v` passes, else why it fails.
    func failure(_ v: SSHEffectiveValue) -> String? {
        switch self {
        case .value(let options):
            let t = v.text.lowercased()
            return options.contains { Self.same($0.lowercased(), t) } ? nil : "expected \(options.joined(separator: " or "))"
        case .allowed(let list):
            let bad = v.items.filter { !list.contains($0) }
            return bad.isEmpty && !v.items.isEmpty ? nil : "\(bad.isEmpty ? "empty" : bad.joined(separator: ",")) not allowed"
        case .forbidden(let list):
            let bad = v.items.filter { i in list.contains { SSHPattern.match(i, $0) } }
            return bad.isEmpty ? nil : "\(bad.joined(separator: ",")) forbidden"
        case .range(let low, let high):
            guard let n = Int(v.text) else { return "not a number" }
            if let low, n < low { return "below \(low)" }
            if let high, n > high { return "above \(high)" }
            return nil
        case .pattern(let r):
            guard let re = try? NSRegularExpression(pattern: "^(?:\(r))$") else { return "bad pattern" }
            let ns = v.text as NSString
            return re.firstMatch(in: v.text, range: NSRange(location: 0, length: ns.length)) == nil ? "does not match \(r)" : nil
        }
    }

    /// Equal, counting sshd's spellings of one setting as one (PermitRootLogin).
    private static func same(_ a: String, _ b: String) -> Bool {
        let alias = ["prohibit-password": "without-password"]
        return (alias[a] ?? a) == (alias[b] ?? b)
    }
}
