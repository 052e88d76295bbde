import Foundation
import VigilTarget

/// Reads the `providers` and `alg_section` modules' sections into an
/// `OpenSSLProviderState`; each returns the error that stops libcrypto, if any.
struct OpenSSLProviderReader {
    let config: OpenSSLConfig
    let version: OpenSSLVersion
    let modulesDir: String?
    let target: any Target

    func readProviders(_ section: [OpenSSLConfigEntry], into state: inout OpenSSLProviderState) -> OpenSSLConfigError? {
        for declaration in section {
            guard let settings = config.section(declaration.value) else {
                return OpenSSLConfigError(declaration.location, "provider section [\(declaration.value)] does not exist")
            }
            var p = OpenSSLProviderState.Provider(name: OpenSSLProviderState.skipDot(declaration.name), declaration: declaration,
                                                  settings: settings, activateRequested: false, activateEntry: nil, active: false)
            var module: String?
            for e in settings {
                switch OpenSSLProviderState.skipDot(e.name) {
                case "identity": p.name = e.value
                case "module": module = e.value
                case "soft_load":
                    // Only decides whether failing to create the provider object is fatal.
                    guard switchValue(e) != nil else { return invalid(e) }
                case "activate":
                    guard let on = switchValue(e) else { return invalid(e) }
                    p.activateRequested = on
                    p.activateEntry = e
                default: break
                }
            }
            if !OpenSSLProviderState.builtinProviders.contains(p.name) {  // a built-in ignores `module`
                p.modulePath = modulePath(module ?? p.name + ".so")
            }
            if p.activateRequested, !state.providers.contains(where: { $0.name == p.name && $0.active }) {
                state.defaultImplicit = false
                if let path = p.modulePath, target.fileInfo(path)?.isRegular != true {
                    p.note = "module \(path) not found in the target"
                } else {
                    p.active = true
                }
            }
            state.providers.append(p)
        }
        return nil
    }

    func readAlgorithmSection(_ section: [OpenSSLConfigEntry], into state: inout OpenSSLProviderState) -> OpenSSLConfigError? {
        for e in section {
            switch OpenSSLProviderState.skipDot(e.name) {
            case "fips_mode":
                switch e.value {
                case "TRUE", "true", "Y", "y", "YES", "yes", "FALSE", "false", "N", "n", "NO", "no":
                    // EVP_default_properties_enable_fips: "fips=yes" or "-fips" merged in.
                    state.fipsPropertyRequired = "TtYy".contains(e.value.first!)
                    state.propertiesEntry = e
                    state.propertiesForced = false
                default: return OpenSSLConfigError(e.location, "fips_mode must be yes or no, not '\(e.value)'")
                }
            case "default_properties":
                state.fipsPropertyRequired = Self.requiresFIPS(e.value)
                state.propertiesEntry = e
                state.propertiesForced = false
            default:
                return OpenSSLConfigError(e.location, "unknown option '\(e.name)' in the algorithm section")
            }
        }
        return nil
    }

    /// Whether a property query makes `fips=yes` mandatory: its last clause about `fips`
    /// is `fips=yes` or a bare `fips` (names and unquoted values are case-insensitive; an
    /// optional `?fips=yes` or a removal `-fips` does not require it).
    static func requiresFIPS(_ query: String) -> Bool {
        var required = false
        for raw in query.split(separator: ",") {
            let clause = raw.trimmingCharacters(in: .whitespaces).lowercased()
            let optional = clause.hasPrefix("?")
            let body = optional ? String(clause.dropFirst()).trimmingCharacters(in: .whitespaces) : clause
            if body.hasPrefix("-") {
                if body.dropFirst().trimmingCharacters(in: .whitespaces) == "fips" { required = false }
                continue
            }
            let parts = body.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let name = parts.first, name == "fips" || name == "fips!" else { continue }
            let value = parts.count > 1 ? parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) : "yes"
            required = !optional && name == "fips" && value == "yes"
        }
        return required
    }

    /// `activate` / `soft_load`: on when present before 3.3.0; a boolean from 3.3.0 (nil
    /// when not one).
    private func switchValue(_ e: OpenSSLConfigEntry) -> Bool? {
        guard version.providerSwitchesAreBooleans else { return true }
        switch e.value {
        case "1", "yes", "YES", "true", "TRUE", "on", "ON": return true
        case "0", "no", "NO", "false", "FALSE", "off", "OFF": return false
        default: return nil
        }
    }

    private func invalid(_ e: OpenSSLConfigEntry) -> OpenSSLConfigError {
        OpenSSLConfigError(e.location, "\(e.name) = '\(e.value)' is not a boolean (OpenSSL \(version) refuses it)")
    }

    /// A module path as libcrypto merges it: absolute as written, else under MODULESDIR.
    private func modulePath(_ module: String) -> String {
        if module.hasPrefix("/") { return module }
        return (modulesDir ?? OpenSSLInstallation.fallbackModulesDir) + "/" + module
    }
}
