import VigilTarget

/// What libcrypto of a given version makes of a configuration when a program starts,
/// worked out without libcrypto (`conf_mod.c`, `provider_conf.c`, `evp_cnf.c`):
/// the modules of the `openssl_conf` section run in order and the first that fails stops
/// the rest (`failure`); a provider section activates its provider per the version's
/// `activate` semantics (`OpenSSLVersion.providerSwitchesAreBooleans`); a provider other
/// than the built-in `default`, `base` and `null` is activated only when its module file
/// exists in the target (its `module`, absolute or under MODULESDIR, else
/// MODULESDIR/NAME.so); a module that fails to load leaves its provider inactive and the
/// next providers are still configured (OpenSSL 3.0.22 measured: `soft_load` does not
/// change that); the `default` provider is loaded implicitly exactly when no section asks
/// to activate any provider, even when that activation fails; `alg_section`'s `default_properties` and
/// `fips_mode` decide whether algorithm fetches require `fips=yes`.
public struct OpenSSLProviderState: Sendable {
    /// One provider named in the providers section.
    public struct Provider: Sendable {
        /// The provider's name (`identity` if set, else the entry's name after any `.`).
        public var name: String
        /// The `name = section` entry in the providers section.
        public var declaration: OpenSSLConfigEntry
        /// The provider's own section's entries.
        public var settings: [OpenSSLConfigEntry]
        /// Whether the section asks for activation, and the `activate` line.
        public var activateRequested: Bool
        public var activateEntry: OpenSSLConfigEntry?
        /// Whether the provider ends up active (requested and its module present).
        public var active: Bool
        /// The module file the provider loads from (nil for built-in providers).
        public var modulePath: String?
        /// Why a requested activation does not happen, when it does not.
        public var note: String?

        public func setting(_ name: String) -> OpenSSLConfigEntry? {
            settings.last { OpenSSLProviderState.skipDot($0.name) == name }
        }
    }

    public var providers: [Provider] = []
    /// Whether the `default` provider is loaded implicitly (no activation was requested).
    public var defaultImplicit = true
    /// Whether algorithm fetches require `fips=yes`, and the line that decided it.
    public var fipsPropertyRequired = false
    public var propertiesEntry: OpenSSLConfigEntry?
    /// The `openssl_conf` line, when there is one.
    public var initEntry: OpenSSLConfigEntry?
    /// Where and why libcrypto stops applying the configuration, when it does.
    public var failure: OpenSSLConfigError?
    /// A build that follows the kernel's FIPS mode (`KernelFIPSBuild`), nil for others.
    public var kernelFIPS: KernelFIPSBuild?
    /// The providers such a build activated by itself, whether `fips=yes` comes from it
    /// (no later `alg_section` line changed it), and why it forced nothing though the
    /// kernel is in FIPS mode.
    public var forcedProviders: [String] = []
    public var propertiesForced = false
    public var forcingNote: String?

    static let builtinProviders: Set<String> = ["default", "base", "null"]
    static let builtinModules: Set<String> = ["providers", "alg_section", "ssl_conf", "engines", "oid_section", "stbl_section", "random"]

    public init(config: OpenSSLConfig, version: OpenSSLVersion, modulesDir: String?, target: any Target, kernelFIPS: KernelFIPSBuild? = nil) {
        self.kernelFIPS = kernelFIPS
        guard let initEntry = config.entry(nil, "openssl_conf") else { return }
        self.initEntry = initEntry
        guard let modules = config.section(initEntry.value) else {
            failure = OpenSSLConfigError(initEntry.location, "openssl_conf names section [\(initEntry.value)], which does not exist")
            return
        }
        for module in modules {
            let name = module.name.lastIndex(of: ".").map { String(module.name[..<$0]) } ?? module.name
            guard Self.builtinModules.contains(name) else {
                failure = OpenSSLConfigError(module.location, "unknown configuration module '\(name)'")
                return
            }
            guard name == "providers" || name == "alg_section" else { continue }
            guard let section = config.section(module.value) else {
                failure = OpenSSLConfigError(module.location, "\(name) names section [\(module.value)], which does not exist")
                return
            }
            let reader = OpenSSLProviderReader(config: config, version: version, modulesDir: modulesDir, target: target)
            let failed = name == "providers"
                ? reader.readProviders(section, into: &self)
                : reader.readAlgorithmSection(section, into: &self)
            if let failed { failure = failed; return }
            if name == "providers", let kernelFIPS { applyKernelFIPS(kernelFIPS, version: version, modulesDir: modulesDir, target: target) }
        }
    }

    /// The providers that end up active, the implicit `default` included.
    public var activeNames: [String] {
        var names = providers.filter(\.active).map(\.name) + forcedProviders
        if defaultImplicit { names.append("default") }
        return names
    }

    /// The provider called `name`: the one that is active, else the first declared.
    public func provider(_ name: String) -> Provider? {
        providers.first { $0.name == name && $0.active } ?? providers.first { $0.name == name }
    }

    static func skipDot(_ name: String) -> String {
        name.firstIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? name
    }
}
