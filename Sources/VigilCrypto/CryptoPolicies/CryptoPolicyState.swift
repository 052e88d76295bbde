import Foundation
import VigilTarget

/// What a RHEL/Fedora system's crypto-policies files say, read through the target once
/// per scan: the configured policy, the applied one, the back-ends and the directives of
/// the policy file and its sub-policy modules.
struct CryptoPolicyState: Sendable {
    static let base = "/etc/crypto-policies"
    static let profiles = "/usr/share/crypto-policies"
    /// The largest policy, module or state file read.
    static let maxFileBytes = 1 << 20
    /// The most directives a policy and its modules may hold together (shipped policies
    /// hold about 50): each scope is judged by a pass over them all.
    static let maxDirectives = 5000
    /// The most values those directives may hold together (shipped policies hold about 150).
    static let maxValues = 10_000
    /// The most names wildcards may expand to, counted as wildcards × distinct values.
    static let maxExpansion = 1_000_000
    /// The most sub-policy modules a policy may name (`BASE:SUB1:...`; real ones name one to three).
    static let maxModules = 64

    /// Whether the target has `/etc/crypto-policies` at all.
    var present: Bool
    /// The configured policy (`BASE:SUB1:SUB2`), with where it was read.
    var configured: (policy: String, place: String)?
    /// The applied policy (`state/current`), nil when missing.
    var applied: (policy: String, place: String)?
    /// Each back-end `*.config`: its path; for a link, its target (made absolute, `.` and
    /// `..` folded); whether it is a regular file; and the shipped profile file
    /// update-crypto-policies links it to (`/usr/share/crypto-policies/POLICY/NAME.txt`,
    /// when that file exists and no `local.d/NAME-*.config` adds to it; else it writes a
    /// regular file).
    var backends: [(path: String, link: String?, isRegular: Bool, profile: String?)] = []
    /// The policy's directives (policy file, then modules in order), or the problem that
    /// kept them from being read.
    var values: Result<CryptoPolicyValues, CryptoPolicyProblem> = .failure(CryptoPolicyProblem("no policy"))

    static func read(_ target: any Target) -> CryptoPolicyState {
        guard target.fileInfo(base)?.isDirectory == true else { return CryptoPolicyState(present: false) }
        var s = CryptoPolicyState(present: true)
        if let (text, place) = policyLine(target, "\(base)/config") {
            s.configured = (text, place)
        } else if let (text, place) = policyLine(target, "\(profiles)/default-config") {
            s.configured = (text, place + " (no \(base)/config)")
        }
        s.applied = policyLine(target, "\(base)/state/current")
        let dir = "\(base)/back-ends"
        let local = target.listDirectory("\(base)/local.d") ?? []
        for entry in (target.listDirectory(dir) ?? []).sorted() where entry.hasSuffix(".config") {
            let path = "\(dir)/\(entry)", name = String(entry.dropLast(".config".count))
            let link = target.readLink(path).map { $0.hasPrefix("/") ? $0 : "\(dir)/\($0)" }
            let profile = s.configured.map { "\(profiles)/\($0.policy)/\(name).txt" }
            let linked = profile.flatMap { p -> String? in
                target.fileInfo(p)?.isRegular == true && !local.contains { $0.hasPrefix(name + "-") && $0.hasSuffix(".config") } ? p : nil
            }
            s.backends.append((path, link.map(normalized), target.fileInfo(path, followLinks: false)?.isRegular == true, linked))
        }
        if let policy = s.configured?.policy { s.values = directives(target, policy) }
        return s
    }

    /// The policy a `config` (or `state/current`) file names, as update-crypto-policies
    /// reads it: the first line that is neither blank nor a comment is `POLICY:SUB:...`,
    /// each later such line adds sub-policies; all in upper case. The place is the first line.
    static func policyLine(_ target: any Target, _ path: String) -> (String, String)? {
        guard let bytes = try? target.readFile(path, limit: maxFileBytes) else { return nil }
        var parts: [String] = [], place: String?
        for (i, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let t = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !t.isEmpty else { continue }
            let names = t.uppercased().split(separator: ":").map(String.init)
            if place == nil { place = "\(path):\(i + 1)"; parts = names } else { parts += names }
        }
        return place.map { (parts.joined(separator: ":"), $0) }
    }

    /// The directives of `policy` (`BASE:SUB1:...`): `BASE.pol`, then each `SUB.pmod`,
    /// each looked up in `/etc/crypto-policies/policies` before the shipped ones.
    static func directives(_ target: any Target, _ policy: String) -> Result<CryptoPolicyValues, CryptoPolicyProblem> {
        let names = policy.split(separator: ":").map(String.init)
        guard let first = names.first, names.allSatisfy(isPolicyName) else {
            return .failure(CryptoPolicyProblem("'\(policy)' is not a policy name"))
        }
        guard names.count <= maxModules + 1 else {
            return .failure(CryptoPolicyProblem("the policy names \(names.count - 1) sub-policies (limit \(maxModules)); refused"))
        }
        var all: [CryptoPolicyDirective] = []
        for (i, name) in names.enumerated() {
            let sub = i == 0 ? "policies/\(first).pol" : "policies/modules/\(name).pmod"
            let candidates = ["\(base)/\(sub)", "\(profiles)/\(sub)"]
            guard let path = candidates.first(where: { target.fileInfo($0)?.isRegular == true }),
                  let bytes = try? target.readFile(path, limit: maxFileBytes) else {
                return .failure(CryptoPolicyProblem("\(i == 0 ? "policy" : "sub-policy") \(name) not found (\(candidates.joined(separator: ", ")))"))
            }
            switch CryptoPolicyDirective.parse(String(decoding: bytes, as: UTF8.self), file: path) {
            case .failure(let p): return .failure(p)
            case .success(let d): all += d
            }
            guard all.count <= maxDirectives else {
                return .failure(CryptoPolicyProblem("\(path): the policy holds more than \(maxDirectives) directives; refused"))
            }
            if let problem = sizeProblem(all) { return .failure(CryptoPolicyProblem("\(path): \(problem); refused")) }
        }
        return .success(CryptoPolicyValues(directives: all))
    }

    /// Why directives are too many to judge (`maxValues`, `maxExpansion`), or nil.
    static func sizeProblem(_ directives: [CryptoPolicyDirective]) -> String? {
        let values = directives.flatMap { $0.values.map(\.1) }
        guard values.count <= maxValues else { return "the policy holds more than \(maxValues) values" }
        let wildcards = values.filter { $0.contains("*") || $0.contains("?") }.count
        guard wildcards * Set(values).count <= maxExpansion else {
            return "the policy's \(wildcards) wildcards over \(Set(values).count) names expand to more than \(maxExpansion) names"
        }
        return nil
    }

    /// Letters, digits, '-', '_' and '.' (no '/': a name is a file name).
    static func isPolicyName(_ s: String) -> Bool {
        !s.isEmpty && s != "." && s != ".." && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// `path` with `.` and `..` components folded (a link's text, not resolved further).
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for c in path.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { _ = parts.popLast(); continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// Why the policy's values could not be established.
struct CryptoPolicyProblem: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
