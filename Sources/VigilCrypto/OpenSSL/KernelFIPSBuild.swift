import VigilTarget

/// A libcrypto that follows the kernel's FIPS mode (`OpenSSLInstallation.kernelFIPSBuild`:
/// Red Hat's OpenSSL 3 in RHEL 9 and 10, CentOS Stream, Fedora and their rebuilds) and the
/// mode of the target's kernel (`KernelFIPSMode`).
///
/// What such a build does (Red Hat's "force fips provider" patch to `provider_conf.c`,
/// read, not copied): when libcrypto runs the configuration's `providers` module and the
/// kernel is in FIPS mode, after the configured providers, unless a `fips` provider is
/// already active, it activates `fips` (from `OPENSSLDIR/fips_local.cnf`'s `[fips_sect]`,
/// on RHEL a link to the crypto-policies `openssl_fips.config` back-end, else by name:
/// `MODULESDIR/fips.so`) and `base`, and requires `fips=yes` of every fetch. That is why
/// RHEL's openssl.cnf names no fips section: its absence is never held against such a
/// build. A module that is missing leaves the provider off (and `fips=yes` unset).
/// A later `alg_section` can still change the properties, as in libcrypto.
public struct KernelFIPSBuild: Sendable, Equatable {
    /// The libcrypto read (`/usr/lib64/libcrypto.so.3`).
    public var library: String
    public var mode: KernelFIPSMode
    /// `OPENSSLDIR/fips_local.cnf`, whose `[fips_sect]` configures the forced provider.
    public var localConfig: String?

    /// The evidence line naming the build.
    var buildLine: String { "Red Hat build: \(library) loads the fips provider and sets fips=yes when the kernel is in FIPS mode" }

    /// The evidence line naming the kernel's mode.
    var modeLine: String {
        switch mode {
        case .on(let why): return "kernel in FIPS mode: \(why)"
        case .off(let why): return "kernel not in FIPS mode: \(why)"
        case .undetermined(let why): return "kernel FIPS mode unknown: \(why)"
        }
    }
}

extension OpenSSLProviderState {
    /// What the build does after the `providers` module ran (see `KernelFIPSBuild`).
    mutating func applyKernelFIPS(_ build: KernelFIPSBuild, version: OpenSSLVersion, modulesDir: String?, target: any Target) {
        guard case .on = build.mode, !providers.contains(where: { $0.name == "fips" && $0.active }) else { return }
        var module = (modulesDir ?? OpenSSLInstallation.fallbackModulesDir) + "/fips.so"
        if let local = build.localConfig, target.fileInfo(local) != nil {
            switch Self.localFIPSSection(local, version: version, modulesDir: modulesDir, target: target) {
            case .success(let path): module = path
            case .failure(let why):
                forcingNote = "\(why): the build forces nothing"
                return
            }
        }
        guard target.fileInfo(module)?.isRegular == true else {
            forcingNote = "the forced fips provider's module \(module) not found in the target"
            return
        }
        defaultImplicit = false
        forcedProviders = ["fips"] + (providers.contains { $0.name == "base" && $0.active } ? [] : ["base"])
        fipsPropertyRequired = true
        propertiesEntry = nil
        propertiesForced = true
    }

    /// `[fips_sect]` of `fips_local.cnf` read as a provider section named `fips`: the module
    /// path it activates, or why it activates nothing.
    static func localFIPSSection(_ local: String, version: OpenSSLVersion, modulesDir: String?,
                                 target: any Target) -> Result<String, OpenSSLConfigError> {
        let parsed: OpenSSLConfig
        do { parsed = try OpenSSLConfigParser(target: target).parse(local) } catch { return .failure(error) }
        var scratch = OpenSSLProviderState(config: OpenSSLConfig(), version: version, modulesDir: modulesDir, target: target)
        let declaration = OpenSSLConfigEntry(name: "fips", value: "fips_sect", location: OpenSSLConfigLocation(file: local, line: 0))
        let reader = OpenSSLProviderReader(config: parsed, version: version, modulesDir: modulesDir, target: target)
        if let failed = reader.readProviders([declaration], into: &scratch) { return .failure(failed) }
        guard let fips = scratch.providers.first, fips.activateRequested, let path = fips.modulePath else {
            return .failure(OpenSSLConfigError(nil, "\(local): [fips_sect] does not activate fips"))
        }
        return .success(path)
    }
}
