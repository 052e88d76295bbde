import Foundation
import VigilTarget

/// `openssl_runtime`: what OpenSSL gives a process on the live host, measured by running
/// `vigil-crypto-probe` in a separate, short-lived process (once per scan, time limit 5 s):
/// the providers loaded, whether default properties ask for FIPS, the FIPS provider's
/// self-test, and which digests are refused or accepted. Every condition given must hold.
/// A probe that cannot be found, crashes, hangs, fails or answers garbage makes the rule
/// `error` with the reason; the scan goes on. Only the host Vigil runs on has a runtime:
/// other targets make the rule `notapplicable`.
public struct OpenSSLRuntimeCheck: NativeCheckKind {
    public static let name = "openssl_runtime"
    public static let parameterNames = ["fips_provider", "default_properties_fips", "self_test",
                                        "refuses", "accepts", "providers_absent", "openssl_conf"]

    /// A digest as the rule names it and its canonical OpenSSL name.
    struct DigestName: Sendable, Equatable {
        var given: String
        var canonical: String
    }

    /// `fips_provider`: true for `available` (a FIPS provider loaded), false for `absent`.
    let fipsProvider: Bool?
    let defaultPropertiesFIPS: Bool?
    /// `self_test: passed`: a FIPS provider is loaded and its self-test passes.
    let selfTestPassed: Bool
    let refuses: [DigestName]
    let accepts: [DigestName]
    let providersAbsent: [String]
    /// `openssl_conf`: the probe runs with `OPENSSL_CONF` set to this file (a service's own
    /// configuration), else with the scanner's environment (OpenSSL's default file).
    let opensslConf: String?
    /// How the probe is found and run (tests give their own).
    var launcher: CryptoProbeLauncher

    static let standardLauncher = CryptoProbeLauncher.standard()

    public init(_ p: NativeParameters) throws {
        fipsProvider = try p.choice("fips_provider", ["available", "absent"]).map { $0 == "available" }
        defaultPropertiesFIPS = try p.bool("default_properties_fips")
        selfTestPassed = try p.choice("self_test", ["passed"]) != nil
        refuses = try Self.digests(p, "refuses")
        accepts = try Self.digests(p, "accepts")
        providersAbsent = p.strings("providers_absent") ?? []
        opensslConf = try p.string("openssl_conf")
        if let conf = opensslConf, !conf.hasPrefix("/") {
            throw NativeCheckError(parameter: "openssl_conf", "'openssl_conf' must be an absolute path, not '\(conf)'")
        }
        launcher = Self.standardLauncher
        guard fipsProvider != nil || defaultPropertiesFIPS != nil || selfTestPassed || !refuses.isEmpty
                || !accepts.isEmpty || !providersAbsent.isEmpty else {
            throw NativeCheckError("openssl_runtime needs at least one condition: \(Self.parameterNames.dropLast().joined(separator: ", "))")
        }
    }

    static func digests(_ p: NativeParameters, _ name: String) throws -> [DigestName] {
        try (p.strings(name) ?? []).map { given in
            guard let canonical = RuntimeDigestNames.canonical(given) else {
                throw NativeCheckError(parameter: name, "'\(name)': OpenSSL 3 has no digest '\(given)'; known: \(RuntimeDigestNames.canonical.joined(separator: ", "))")
            }
            return DigestName(given: given, canonical: canonical)
        }
    }

    public var needs: TargetCapabilities { .runtimeState }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        guard context.target.kind == .host else {
            return NativeVerdict(.notapplicable, message: "OpenSSL's runtime state is measured only on the host Vigil runs on")
        }
        if let conf = opensslConf, case .failure(let failure) = context.target.statResult(conf) {
            return .error("openssl_conf \(conf): \(failure)")
        }
        let key = "openssl_runtime:\((try? launcher.executable.get()) ?? "-"):\(opensslConf ?? "")"
        let measured = context.cache.value(key) {
            launcher.state(opensslConf: opensslConf, digests: RuntimeDigestNames.canonical)
        }
        switch measured {
        case .failure(let failure): return .error(failure.message)
        case .success(let state): return judge(state)
        }
    }
}
