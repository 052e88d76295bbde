import VigilCore
import VigilTarget

/// Native check `openssl_config`: which providers libcrypto activates from the target's
/// configuration and whether algorithm fetches require `fips=yes`, read by Vigil itself
/// (`OpenSSLTargetConfig`). Passes when every `providers_active` provider is active, no
/// `providers_inactive` provider is, and `default_properties_fips` matches.
public struct OpenSSLConfigCheck: NativeCheckKind {
    public static let name = "openssl_config"
    public static let parameterNames = ["path", "providers_active", "providers_inactive", "default_properties_fips"]

    let path: String?
    let active: [String]
    let inactive: [String]
    let fipsProperties: Bool?

    public init(_ parameters: NativeParameters) throws {
        path = try parameters.string("path")
        active = parameters.strings("providers_active") ?? []
        inactive = parameters.strings("providers_inactive") ?? []
        fipsProperties = try parameters.bool("default_properties_fips")
        if let path, !path.hasPrefix("/") { throw NativeCheckError(parameter: "path", "'path' must be absolute, not '\(path)'") }
        guard !active.isEmpty || !inactive.isEmpty || fipsProperties != nil else {
            throw NativeCheckError("openssl_config needs providers_active, providers_inactive or default_properties_fips")
        }
    }

    public var needs: TargetCapabilities { [] }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        let target = OpenSSLTargetConfig.load(context, path: path)
        if target.installation.version == nil, target.path == nil {
            return NativeVerdict(.notapplicable, message: "no OpenSSL 3 in the target (no libcrypto.so.3, no dpkg libssl3, no openssl.cnf)")
        }
        if let obstacle = target.obstacle() { return obstacle }
        guard let state = target.state else { return .error("OpenSSL configuration could not be interpreted") }
        let (failing, passing) = judge(state)
        if let other = target.stateInFIPSMode, judge(other).failing.isEmpty != failing.isEmpty, let build = state.kernelFIPS {
            return NativeVerdict(.unknown, evidence: EvidenceLines.limit([target.header, build.buildLine, build.modeLine]),
                                 message: "the verdict depends on whether the kernel runs in FIPS mode, which this target does not say")
        }
        var lines = failing.isEmpty ? passing : failing
        if let build = state.kernelFIPS, mentionsFIPS {
            lines += [build.buildLine, state.forcingNote ?? build.modeLine]
        }
        return NativeVerdict(failing.isEmpty ? .pass : .fail, evidence: EvidenceLines.limit([target.header] + lines))
    }

    /// Whether the check asks about what a kernel-FIPS build changes.
    var mentionsFIPS: Bool {
        fipsProperties != nil || (active + inactive).contains { $0 == "fips" || $0 == "base" || $0 == "default" }
    }

    /// The evidence lines of what fails and of what passes on `state`.
    func judge(_ state: OpenSSLProviderState) -> (failing: [String], passing: [String]) {
        var failing: [String] = []
        var passing: [String] = []
        for name in active {
            let (on, line) = describe(name, in: state)
            on ? passing.append(line) : failing.append(line)
        }
        for name in inactive {
            let (on, line) = describe(name, in: state)
            on ? failing.append(line) : passing.append(line)
        }
        if let wanted = fipsProperties {
            let line = state.propertiesEntry.map { "\($0.location): \($0.name) = \($0.value)" }
                ?? (state.propertiesForced ? "fips=yes required by the build (kernel in FIPS mode)" : "no default_properties: fetches do not require fips=yes")
            state.fipsPropertyRequired == wanted ? passing.append(line) : failing.append(line)
        }
        return (failing, passing)
    }

    /// Whether provider `name` is active, and the evidence line that says why.
    func describe(_ name: String, in state: OpenSSLProviderState) -> (Bool, String) {
        if name == "default", state.defaultImplicit {
            let at = state.initEntry.map { " (\($0.location))" } ?? ""
            return (true, "default active implicitly: no provider section asks for activation\(at)")
        }
        if state.forcedProviders.contains(name), let build = state.kernelFIPS {
            return (true, "\(name) active: loaded by \(build.library) itself (kernel in FIPS mode)")
        }
        guard let p = state.provider(name) else { return (false, "\(name) not active: no provider section names it") }
        let decl = "\(p.declaration.location): \(p.declaration.name) = \(p.declaration.value)"
        if p.active, let a = p.activateEntry { return (true, "\(name) active: \(a.location): \(a.name) = \(a.value) [\(decl)]") }
        if let note = p.note { return (false, "\(name) not active: \(note) [\(decl)]") }
        if let a = p.activateEntry { return (false, "\(name) not active: \(a.location): \(a.name) = \(a.value) reads as off [\(decl)]") }
        return (false, "\(name) not active: its section has no activate [\(decl)]")
    }
}
