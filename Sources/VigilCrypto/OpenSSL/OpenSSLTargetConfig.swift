import VigilTarget

/// The OpenSSL configuration of a target as the `openssl_config` and `fips_module` checks
/// see it: the installation, the configuration file read (OPENSSLDIR/openssl.cnf unless a
/// check names one) and what libcrypto makes of it. Computed once per scan and path
/// (`NativeCache`). When the version is unknown, the configuration is read with both
/// semantics (before and from 3.3.0); when they disagree `ambiguity` says so.
public struct OpenSSLTargetConfig: Sendable {
    public var installation: OpenSSLInstallation
    /// The configuration file, nil when none was found.
    public var path: String?
    /// The parsed configuration, or why it cannot be read.
    public var config: Result<OpenSSLConfig, OpenSSLConfigError>
    /// What libcrypto makes of it (nil when it cannot be read). With the version unknown,
    /// as OpenSSL before 3.3.0 reads it.
    public var state: OpenSSLProviderState?
    /// Set when the version is unknown and the two semantics disagree on this configuration.
    public var ambiguity: String?
    /// For a build that follows the kernel's FIPS mode when that mode cannot be known
    /// (`KernelFIPSMode.undetermined`): the state with the kernel in FIPS mode (`state`
    /// has it off). A check whose verdict differs between the two is `unknown`.
    public var stateInFIPSMode: OpenSSLProviderState?

    /// The configuration of `context.target`, shared by the checks of one scan.
    public static func load(_ context: NativeContext, path: String?) -> OpenSSLTargetConfig {
        let installation = context.cache.value("openssl:installation") { OpenSSLInstallation.find(in: context.target) }
        let kernelFIPS = installation.kernelFIPSBuild.map { library in
            KernelFIPSBuild(library: library, mode: context.cache.value("openssl:kernel-fips") { KernelFIPSMode.read(context.target) },
                            localConfig: installation.opensslDir.map { $0 + "/fips_local.cnf" })
        }
        let file = path ?? installation.configPath
        return context.cache.value("openssl:config:\(file ?? "")") {
            OpenSSLTargetConfig(installation: installation, path: file, target: context.target, kernelFIPS: kernelFIPS)
        }
    }

    init(installation: OpenSSLInstallation, path: String?, target: any Target, kernelFIPS: KernelFIPSBuild? = nil) {
        self.installation = installation
        self.path = path
        guard let path else {
            config = .success(OpenSSLConfig())
            return
        }
        do { config = .success(try OpenSSLConfigParser(target: target).parse(path)) } catch { config = .failure(error) }
        guard case .success(let parsed) = config else { return }
        let modules = installation.modulesDir
        if let version = installation.version {
            state = OpenSSLProviderState(config: parsed, version: version, modulesDir: modules, target: target, kernelFIPS: kernelFIPS)
            if var assumed = kernelFIPS, case .undetermined(let why) = assumed.mode {
                assumed.mode = .on("assumed, as \(why)")
                stateInFIPSMode = OpenSSLProviderState(config: parsed, version: version, modulesDir: modules, target: target, kernelFIPS: assumed)
            }
            return
        }
        let old = OpenSSLProviderState(config: parsed, version: OpenSSLVersion(3, 0, 0), modulesDir: modules, target: target)
        let new = OpenSSLProviderState(config: parsed, version: OpenSSLVersion(3, 3, 0), modulesDir: modules, target: target)
        state = old
        if old.activeNames != new.activeNames || old.fipsPropertyRequired != new.fipsPropertyRequired || old.failure != new.failure {
            ambiguity = "the target's OpenSSL version is unknown (no libcrypto.so.3, no dpkg libssl3) and OpenSSL before 3.3.0 and from 3.3.0 read this configuration's activate/soft_load differently"
        }
    }

    /// The verdict when the configuration cannot be judged (unreadable, relative includes;
    /// with `activation`, also ambiguous for an unknown version or rejected by libcrypto),
    /// else nil.
    public func obstacle(activation: Bool = true) -> NativeVerdict? {
        if let version = installation.version, version.major < 3 {
            return NativeVerdict(.notapplicable, evidence: [header], message: "OpenSSL \(version) has no providers and no FIPS provider module")
        }
        switch config {
        case .failure(let error):
            return .error("OpenSSL configuration: \(error) (libcrypto then ignores the whole file and programs run with its built-in defaults)")
        case .success(let parsed):
            if !parsed.unresolvedIncludes.isEmpty {
                return NativeVerdict(.unknown, evidence: parsed.unresolvedIncludes.map { "\($0) (relative .include)" },
                                     message: "relative .include with no includedir pragma: OpenSSL resolves it against each program's working directory")
            }
            guard activation else { return nil }
            if let ambiguity { return NativeVerdict(.unknown, message: ambiguity) }
            if let failure = state?.failure {
                return .error("libcrypto \(installation.version.map { "\($0)" } ?? "3.x") stops applying the configuration at \(failure) (programs run with what came before it)")
            }
            return nil
        }
    }

    /// A first evidence line naming the file and the version.
    public var header: String {
        let version = installation.version.map { "OpenSSL \($0) (\(installation.versionSource ?? "?"))" } ?? "OpenSSL version unknown"
        guard let path else { return "no openssl.cnf found; \(version)" }
        if case .success(let c) = config, c.files.isEmpty { return "\(path): not found, OpenSSL's built-in defaults apply; \(version)" }
        return "\(path); \(version)"
    }
}

/// Evidence lines as native checks give them: each under 200 characters, at most five,
/// then "and N more".
enum EvidenceLines {
    static func limit(_ lines: [String], keep: Int = 5) -> [String] {
        let short = lines.map { $0.count > 199 ? String($0.prefix(196)) + "..." : $0 }
        guard short.count > keep else { return short }
        return Array(short.prefix(keep)) + ["and \(short.count - keep) more"]
    }
}
