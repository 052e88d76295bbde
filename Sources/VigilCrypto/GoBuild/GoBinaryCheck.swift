import Foundation
import VigilCore
import VigilTarget

/// Native check `go_binary`: how named Go programs were built (Go version, BoringCrypto,
/// the Go FIPS 140 module or an OpenSSL toolchain fork, DefaultGODEBUG), read from their
/// ELF build information and code markers. Passes when every present binary meets every
/// requirement given; a binary that cannot be read makes the rule `error`.
public struct GoBinaryCheck: NativeCheckKind {
    public static let name = "go_binary"
    public static let parameterNames = ["paths", "missing", "crypto", "min_go_version", "godebug_forbidden", "fips140", "fips140_module"]

    /// Paths or wildcard patterns of the binaries.
    public let paths: [String]
    /// What an absent path counts as: "pass" (skipped), "fail", or "notapplicable" (skipped,
    /// and the rule is notapplicable when no binary is present at all).
    public let missing: String
    /// Allowed backends, nil when not checked.
    public let crypto: [GoCryptoBackend]?
    public let minimumVersion: GoVersion?
    /// DefaultGODEBUG settings that fail the check: a key with any value (value nil) or
    /// exactly `key=value`.
    public let forbiddenGODEBUG: [(key: String, value: String?)]
    /// "on" (on, only or debug) or "only", nil when not checked.
    public let fips140: String?
    /// Allowed `GOFIPS140` module versions (`v1.0.0` also matches `v1.0.0-c2097c7c`), nil
    /// when not checked.
    public let fips140Modules: [String]?

    public init(_ p: NativeParameters) throws {
        guard let paths = p.strings("paths"), !paths.isEmpty else { throw NativeCheckError(parameter: "paths", "'paths' is required") }
        for path in paths where !path.hasPrefix("/") {
            throw NativeCheckError(parameter: "paths", "'paths' must be absolute, not '\(path)'")
        }
        self.paths = paths
        missing = try p.choice("missing", ["pass", "fail", "notapplicable"]) ?? "pass"
        crypto = try p.strings("crypto").map { names in
            try names.map { name in
                guard let b = GoCryptoBackend(rawValue: name) else {
                    let known = GoCryptoBackend.allCases.map(\.rawValue).joined(separator: ", ")
                    throw NativeCheckError(parameter: "crypto", "'crypto' must list values among \(known), not '\(name)'")
                }
                return b
            }
        }
        minimumVersion = try p.string("min_go_version").map { raw in
            guard let v = GoVersion(raw) else {
                throw NativeCheckError(parameter: "min_go_version", "'min_go_version' must be a Go release such as 1.22.5, not '\(raw)'")
            }
            return v
        }
        forbiddenGODEBUG = try (p.strings("godebug_forbidden") ?? []).map { entry in
            let kv = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard !kv[0].isEmpty, !kv[0].contains(","), kv.count == 1 || !kv[1].contains(",") else {
                throw NativeCheckError(parameter: "godebug_forbidden", "'godebug_forbidden' entries are key or key=value, not '\(entry)'")
            }
            return (kv[0], kv.count == 2 ? kv[1] : nil)
        }
        fips140 = try p.choice("fips140", ["on", "only"])
        fips140Modules = p.strings("fips140_module")
    }

    public var needs: TargetCapabilities { [] }

    private var hasRequirements: Bool {
        crypto != nil || minimumVersion != nil || !forbiddenGODEBUG.isEmpty || fips140 != nil || fips140Modules != nil
    }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        var failing: [String] = [], passing: [String] = [], problems: [String] = [], absent: [String] = []
        for pattern in paths {
            let (expanded, complete) = GoBinaryPaths.expand(pattern, context.target)
            if !complete { problems.append("\(pattern): reaches more than \(GoBinaryPaths.maxMatches) paths; not all could be read") }
            if expanded.isEmpty && complete { absent.append(pattern) }
            for path in expanded {
                switch GoBinaryInspector.inspect(path, context) {
                case .absent: absent.append(path)
                case .problem(let m): problems.append("\(path): \(m)")
                case .notGo(let m):
                    if hasRequirements { failing.append("\(path): \(m)") } else { passing.append("\(path): \(m)") }
                case .go(let info):
                    let unmet = judge(info)
                    if unmet.isEmpty { passing.append("\(path): \(info.summary)") } else {
                        failing.append("\(path): \(info.summary); " + unmet.joined(separator: "; "))
                    }
                }
            }
        }
        if missing == "fail" { failing += absent.map { "\($0): absent" } }
        if !failing.isEmpty { return NativeVerdict(.fail, evidence: Self.capped(failing + problems)) }
        if !problems.isEmpty { return NativeVerdict(.error, evidence: Self.capped(problems), message: Self.capped(problems).joined(separator: "; ")) }
        if passing.isEmpty {
            let what = "no binary present among \(paths.joined(separator: ", "))"
            return missing == "notapplicable" ? NativeVerdict(.notapplicable, message: what) : NativeVerdict(.pass, evidence: [what])
        }
        return NativeVerdict(.pass, evidence: Self.capped(passing))
    }

    /// The requirements `info` does not meet, each a short clause.
    func judge(_ info: GoBinaryInfo) -> [String] {
        var unmet: [String] = []
        if let allowed = crypto, !allowed.contains(info.crypto) {
            unmet.append("crypto \(info.crypto.rawValue) is not one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        if let minimum = minimumVersion {
            if let v = info.version {
                if v < minimum { unmet.append("\(v.text) is older than go\(minimum.numbers.map(String.init).joined(separator: "."))") }
            } else {
                unmet.append("version '\(info.blob.version)' cannot be compared with \(minimum.text)")
            }
        }
        for forbidden in forbiddenGODEBUG {
            guard let value = info.defaultGODEBUG.last(where: { $0.key == forbidden.key })?.value else { continue }
            if forbidden.value == nil || forbidden.value == value {
                unmet.append("DefaultGODEBUG sets \(forbidden.key)=\(value) (forbidden)")
            }
        }
        if let required = fips140 {
            let mode = info.fips140Mode ?? "off"
            let ok = required == "only" ? mode == "only" : ["on", "only", "debug"].contains(mode)
            if !ok { unmet.append("fips140 mode is \(mode), \(required) required") }
        }
        if let allowed = fips140Modules {
            let module = info.modules.setting("GOFIPS140") ?? "off"
            if !allowed.contains(where: { module == $0 || module.hasPrefix($0 + "-") }) {
                unmet.append("GOFIPS140 is \(module), not one of \(allowed.joined(separator: ", "))")
            }
        }
        return unmet
    }

    /// At most five lines, then "and N more".
    static func capped(_ lines: [String]) -> [String] {
        let short = lines.map { $0.count > 196 ? String($0.prefix(195)) + "…" : $0 }
        return short.count <= 5 ? short : Array(short.prefix(5)) + ["and \(short.count - 5) more"]
    }
}
