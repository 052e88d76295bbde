import VigilCore
import VigilTarget

/// Native check `fips_module`: the integrity of the FIPS provider's module as the FIPS
/// module itself checks it when loaded, done offline and without loading it: HMAC-SHA256
/// of the module file (read through the target) with OpenSSL's fixed default key against
/// `module-mac` of the fips provider's section, and, when `install-status` is written,
/// that it is `INSTALL_SELF_TEST_KATS_RUN` and `install-mac` is its HMAC.
///
/// The module: `module_path` if given, else the section's `module` (absolute, or under
/// MODULESDIR), else MODULESDIR/fips.so. No fips provider section and no module:
/// `notapplicable`. No `module-mac` to compare: the MAC a RHEL build embeds in the module
/// (`FIPSEmbeddedMAC`), else `notchecked`.
public struct FIPSModuleCheck: NativeCheckKind {
    public static let name = "fips_module"
    public static let parameterNames = ["path", "module_path"]

    /// OpenSSL's default FIPS integrity key (`FIPSKEY`, what `openssl fipsinstall` uses).
    static let defaultKeyHex = "f4556650ac31d35461610bac4ed81b1a181b2d8a43ea2854cbae22ca74560813"
    static let installStatus = "INSTALL_SELF_TEST_KATS_RUN"
    static let maxModuleBytes = 64 << 20

    let path: String?
    let modulePath: String?

    public init(_ parameters: NativeParameters) throws {
        path = try parameters.string("path")
        modulePath = try parameters.string("module_path")
        for (name, value) in [("path", path), ("module_path", modulePath)] {
            if let value, !value.hasPrefix("/") { throw NativeCheckError(parameter: name, "'\(name)' must be absolute, not '\(value)'") }
        }
    }

    public var needs: TargetCapabilities { [] }

    public func evaluate(_ context: NativeContext) -> NativeVerdict {
        let config = OpenSSLTargetConfig.load(context, path: path)
        if let obstacle = config.obstacle(activation: false) { return obstacle }
        let modulesDir = config.installation.modulesDir ?? OpenSSLInstallation.fallbackModulesDir
        guard let fips = config.state?.provider("fips") else {
            let module = modulePath ?? modulesDir + "/fips.so"
            guard context.target.fileInfo(module) != nil else {
                return NativeVerdict(.notapplicable, evidence: [config.header], message: "no fips provider is configured and there is no module at \(module)")
            }
            let why = config.state?.kernelFIPS.map { "loaded by \($0.library) itself when the kernel is in FIPS mode" } ?? "no fips provider section names it"
            return embedded(module, evidence: [config.header, "\(module): present, \(why)"], target: context.target)
        }
        let module = modulePath ?? fips.modulePath ?? modulesDir + "/fips.so"
        return judge(fips, module: module, config: config, target: context.target)
    }

    func judge(_ fips: OpenSSLProviderState.Provider, module: String, config: OpenSSLTargetConfig, target: any Target) -> NativeVerdict {
        let decl = "\(fips.declaration.location): \(fips.declaration.name) = \(fips.declaration.value)"
        guard target.fileInfo(module)?.isRegular == true else {
            return NativeVerdict(.fail, evidence: [config.header, decl, "\(module): not found in the target (\(target.label))"])
        }
        guard let macEntry = fips.setting("module-mac") else {
            return embedded(module, evidence: [config.header, "\(decl): no module-mac"], target: target)
        }
        let bytes: [UInt8]
        do { bytes = try target.readFile(module, limit: Self.maxModuleBytes) } catch { return .error("\(module): \(error)") }
        guard let key = Self.bytes(hex: Self.defaultKeyHex), let mac = CryptoLibraryContext.shared.hmac(digest: "SHA256", key: key, data: bytes),
              let installMac = CryptoLibraryContext.shared.hmac(digest: "SHA256", key: key, data: Array(Self.installStatus.utf8)) else {
            return .error("HMAC-SHA256 is not available from libcrypto")
        }
        var evidence = [config.header]
        var failed = false
        let computed = Self.hex(mac)
        if Self.normalized(macEntry.value) == computed {
            evidence.append("\(module): HMAC-SHA256 matches \(macEntry.location): module-mac")
        } else {
            failed = true
            evidence.append("\(module): HMAC-SHA256 \(computed.prefix(16))... differs from \(macEntry.location): module-mac = \(macEntry.value.prefix(23))...")
        }
        if let status = fips.setting("install-status") {
            let statusMac = fips.setting("install-mac")
            if status.value != Self.installStatus {
                failed = true
                evidence.append("\(status.location): install-status = \(status.value) (expected \(Self.installStatus))")
            } else if let statusMac, Self.normalized(statusMac.value) == Self.hex(installMac) {
                evidence.append("\(statusMac.location): install-mac matches install-status")
            } else {
                failed = true
                evidence.append("\(statusMac.map { "\($0.location): install-mac" } ?? "no install-mac") does not match install-status \(status.location)")
            }
        } else {
            evidence.append("no install-status: the module runs its self-tests each time it is loaded")
        }
        return NativeVerdict(failed ? .fail : .pass, evidence: EvidenceLines.limit(evidence))
    }

    /// A module whose MAC is not in the configuration: the MAC a RHEL build embeds
    /// (`FIPSEmbeddedMAC`) when there is one. A match passes; a mismatch is `unknown`, as the
    /// embedded form is read from Red Hat's build scripts, not from a RHEL module.
    func embedded(_ module: String, evidence: [String], target: any Target) -> NativeVerdict {
        let bytes: [UInt8]
        do { bytes = try target.readFile(module, limit: Self.maxModuleBytes) } catch { return .error("\(module): \(error)") }
        guard let found = FIPSEmbeddedMAC(bytes) else {
            return NativeVerdict(.notchecked, evidence: evidence,
                                 message: "no module-mac in the configuration and no MAC embedded in \(module) (.rodata1): upstream OpenSSL refuses to load such a module")
        }
        guard let key = Self.bytes(hex: Self.defaultKeyHex),
              let mac = CryptoLibraryContext.shared.hmac(digest: "SHA256", key: key, data: found.zeroed(bytes)) else {
            return .error("HMAC-SHA256 is not available from libcrypto")
        }
        if mac == found.mac(bytes) {
            return NativeVerdict(.pass, evidence: evidence + ["\(module): HMAC-SHA256 matches the MAC embedded in its .rodata1 section (RHEL form)"])
        }
        return NativeVerdict(.unknown, evidence: evidence + ["\(module): HMAC-SHA256 \(Self.hex(mac).prefix(16))... differs from its .rodata1 \(Self.hex(found.mac(bytes)).prefix(16))..."],
                             message: "the module's embedded MAC does not match Vigil's reading of the RHEL form (tampered, or a form Vigil does not know)")
    }

    /// A MAC as written in fipsmodule.cnf (`41:9C:...`) in lower-case hex without colons.
    static func normalized(_ mac: String) -> String {
        String(mac.lowercased().filter { $0.isHexDigit })
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        return stride(from: 0, to: chars.count, by: 2).compactMap { UInt8(String(decoding: chars[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }
}
