import Foundation
import VigilCore
import VigilTarget

/// Native check `crypto_policy`: RHEL/Fedora system-wide crypto-policies. Passes when
/// every condition given holds: the configured policy is one of `policy`, `state/current`
/// agrees (`applied`), every back-end is what update-crypto-policies makes it (a link to
/// the policy's shipped file, else a generated file: `backends_not_overridden`), the
/// effective `min_rsa_size` of every back-end is at least `min_rsa_size_at_least`, and no
/// back-end gets SHA-1 in `hash` or `sign` (`sha1: forbidden`). A target without
/// `/etc/crypto-policies` is `notapplicable`. Semantics in rules/README.md.
public struct CryptoPolicyCheck: NativeCheckKind {
    public static let name = "crypto_policy"
    public static let parameterNames = ["policy", "applied", "backends_not_overridden", "min_rsa_size_at_least", "sha1"]

    /// Allowed policies (`FIPS`, `FIPS:OSPP`), compared without case.
    var policies: [String]?
    var applied: Bool
    var backends: Bool
    var minRSA: Int?
    var sha1Forbidden: Bool

    public init(_ p: NativeParameters) throws {
        policies = p.strings("policy")
        if let list = policies, list.contains(where: { $0.split(separator: ":").isEmpty || !$0.split(separator: ":").allSatisfy { CryptoPolicyState.isPolicyName(String($0)) } }) {
            throw NativeCheckError(parameter: "policy", "'policy' lists policy names like FIPS or FIPS:OSPP")
        }
        applied = try p.bool("applied") ?? false
        backends = try p.bool("backends_not_overridden") ?? false
        minRSA = try p.integer("min_rsa_size_at_least")
        sha1Forbidden = try p.choice("sha1", ["forbidden"]) != nil
        guard policies != nil || applied || backends || minRSA != nil || sha1Forbidden else {
            throw NativeCheckError("crypto_policy needs at least one of: \(Self.parameterNames.joined(separator: ", "))")
        }
    }

    public var needs: TargetCapabilities { [] }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        let s = context.cache.value("crypto_policy:state") { CryptoPolicyState.read(context.target) }
        guard s.present else { return NativeVerdict(.notapplicable, message: "no \(CryptoPolicyState.base): not a crypto-policies system") }
        guard let configured = s.configured else {
            return NativeVerdict(.fail, evidence: ["\(CryptoPolicyState.base)/config: missing or empty"])
        }
        var f = Findings()
        if let policies {
            f.add(policies.contains { $0.uppercased() == configured.policy.uppercased() },
                  "\(configured.place): policy \(configured.policy) (allowed: \(policies.joined(separator: ", ")))")
        }
        if applied {
            if let a = s.applied {
                f.add(a.policy.uppercased() == configured.policy.uppercased(), "\(a.place): applied \(a.policy), configured \(configured.policy)")
            } else {
                f.add(false, "\(CryptoPolicyState.base)/state/current: missing (policy never applied)")
            }
        }
        if backends { backendLines(s, &f) }
        if minRSA != nil || sha1Forbidden {
            switch s.values {
            case .failure(let p):
                return NativeVerdict(.error, evidence: Self.capped(f.failures), message: EvidenceList.lines(["crypto_policy: \(p.message)"])[0])
            case .success(let v): valueLines(v, &f)
            }
        }
        return NativeVerdict(f.failures.isEmpty ? .pass : .fail, evidence: Self.capped(f.failures.isEmpty ? f.passes : f.failures))
    }

    /// A back-end with a shipped profile file for the configured policy (a policy without
    /// sub-policies, no `local.d` addition) must be a link to exactly that file, as
    /// update-crypto-policies makes it; any other back-end must be the regular file it
    /// generates (accepted, its content not compared). Anything else is an override.
    func backendLines(_ s: CryptoPolicyState, _ f: inout Findings) {
        guard !s.backends.isEmpty else { f.add(false, "\(CryptoPolicyState.base)/back-ends: no *.config"); return }
        for b in s.backends {
            if let profile = b.profile {
                if let link = b.link { f.add(link == profile, "\(b.path) -> \(link)\(link == profile ? "" : " (expected \(profile))")") }
                else { f.add(false, "\(b.path): \(b.isRegular ? "regular file" : "not a link") overrides \(profile)") }
            } else if let link = b.link {
                f.add(false, "\(b.path) -> \(link): a link, but the policy has no shipped profile file for it")
            } else {
                f.add(b.isRegular, "\(b.path): \(b.isRegular ? "generated file (content not compared)" : "not a regular file")")
            }
        }
    }

    /// `min_rsa_size` and SHA-1 as each back-end gets them; a finding shared by every
    /// back-end is one line, others name the back-ends (`hash@bind,rpm allows SHA1`).
    func valueLines(_ v: CryptoPolicyValues, _ f: inout Findings) {
        if let minRSA {
            struct Size: Hashable { var text: String?; var place: String? }
            let sizes = v.scalars("min_rsa_size").map { ($0.backend, Size(text: $0.value?.text, place: $0.value?.place)) }
            for (size, label) in CryptoPolicyValues.grouped(sizes) {
                guard let text = size.text, let place = size.place else {
                    f.add(false, "min_rsa_size\(label): not set by the policy"); continue
                }
                f.add(Int(text).map { $0 >= minRSA } ?? false, "\(place): min_rsa_size\(label) = \(text) (at least \(minRSA))")
            }
        }
        if sha1Forbidden {
            struct Entry: Hashable { var key: String; var value: String; var place: String }
            var found: [(backend: String, item: Entry)] = []
            for key in ["hash", "sign"] {
                for (backend, list) in v.lists(key) {
                    for e in list.entries where CryptoPolicyValues.isSHA1(e.value) { found.append((backend, Entry(key: key, value: e.value, place: e.place))) }
                }
            }
            for (e, label) in CryptoPolicyValues.grouped(found) { f.add(false, "\(e.place): \(e.key)\(label) allows \(e.value)") }
            if found.isEmpty { f.add(true, "hash and sign allow no SHA-1 for any back-end") }
        }
    }

    /// What each condition found: the lines of those that hold and of those that do not.
    struct Findings {
        var failures: [String] = [], passes: [String] = []
        mutating func add(_ ok: Bool, _ line: String) { if ok { passes.append(line) } else { failures.append(line) } }
    }

    /// At most five lines of at most 200 characters (a policy name comes from the target), then "and N more".
    static func capped(_ lines: [String]) -> [String] { EvidenceList.lines(lines) }
}
