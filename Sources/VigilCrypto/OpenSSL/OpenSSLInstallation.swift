import Foundation
import VigilTarget

/// An OpenSSL release number, `3.0.22`.
public struct OpenSSLVersion: Sendable, Comparable, CustomStringConvertible {
    public var major: Int, minor: Int, patch: Int
    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `3.0.22` (what follows the third number is ignored), nil otherwise.
    public init?(_ text: String) {
        let numbers = text.split(separator: ".", maxSplits: 2).map { $0.prefix { $0.isNumber } }
        guard numbers.count == 3, let a = Int(numbers[0]), let b = Int(numbers[1]), let c = Int(numbers[2]) else { return nil }
        self.init(a, b, c)
    }

    public static func < (a: OpenSSLVersion, b: OpenSSLVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }
    public var description: String { "\(major).\(minor).\(patch)" }

    /// From 3.3.0 (openssl/openssl#22906, #23111) a provider section's `activate` and
    /// `soft_load` are booleans (1/yes/true/on, 0/no/false/off, upper case too; anything
    /// else fails the configuration); before, their presence alone switched them on.
    public var providerSwitchesAreBooleans: Bool { self >= OpenSSLVersion(3, 3, 0) }
}

/// The OpenSSL installed in a target, found without running anything: the version and
/// the directories libcrypto was built with. The order, first answer wins:
/// 1. `libcrypto.so.3` (else `libcrypto.so.1.1`) in the usual library directories
///    (Debian's multiarch ones, then `/usr/lib64`, `/lib64`, `/usr/lib`, `/lib`,
///    `/usr/local/lib64`, `/usr/local/lib`):
///    its embedded `OpenSSL X.Y.Z`, `OPENSSLDIR: "..."` and `MODULESDIR: "..."` strings
///    (what `openssl version -a` prints; present in every OpenSSL 3 build);
/// 2. the version of dpkg's installed `libssl3` or `libssl3t64`;
/// 3. directories: the first of `/usr/lib/ssl`, `/etc/pki/tls`, `/etc/ssl`,
///    `/usr/local/ssl` holding an `openssl.cnf`; modules in libcrypto's directory's
///    `ossl-modules`, and without a libcrypto the first `ossl-modules` directory holding
///    a file, else the first that exists, of: Debian's multiarch
///    `/usr/lib/<triplet>-linux-gnu`, then `/usr/lib64` (RHEL, SUSE), `/usr/lib`,
///    `/usr/local/lib64`, `/usr/local/lib` (`openssl_fips_module_integrity` on a root whose
///    libcrypto cannot be read).
///
/// A libcrypto that embeds `/proc/sys/crypto/fips_enabled` is a build that follows the
/// kernel's FIPS mode (Red Hat's, Fedora's and their rebuilds': the "kernel FIPS mode flag"
/// and "force fips provider" patches of their openssl.spec), `kernelFIPSBuild`, unless it
/// also names `symcrypt_prov.cnf` (Azure Linux's variant loads SymCrypt instead).
public struct OpenSSLInstallation: Sendable {
    public var version: OpenSSLVersion?
    /// What the version was read from (`/usr/lib/x86_64-linux-gnu/libcrypto.so.3`, ...).
    public var versionSource: String?
    public var opensslDir: String?
    public var modulesDir: String?
    /// The libcrypto that loads the FIPS provider and requires `fips=yes` by itself when the
    /// kernel is in FIPS mode (`OpenSSLProviderState`), nil for other builds.
    public var kernelFIPSBuild: String?

    static let kernelFIPSMarker = Array("/proc/sys/crypto/fips_enabled".utf8)
    static let symcryptMarker = Array("symcrypt_prov.cnf".utf8)

    /// The configuration file libcrypto reads by default: `OPENSSLDIR/openssl.cnf`.
    public var configPath: String? { opensslDir.map { $0 + "/openssl.cnf" } }

    /// OpenSSL's own default MODULESDIR (`/usr/lib/ossl-modules`), used when nothing in
    /// the target names or holds one.
    static let fallbackModulesDir = "/usr/lib/ossl-modules"

    static let libraryDirectories = ["/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib64", "/usr/local/lib"]

    /// Finds the installation in `target`.
    public static func find(in target: any Target) -> OpenSSLInstallation {
        var found = OpenSSLInstallation()
        let multiarch = (target.listDirectory("/usr/lib") ?? []).filter { $0.hasSuffix("-linux-gnu") }.sorted().map { "/usr/lib/" + $0 }
        let candidates = ["libcrypto.so.3", "libcrypto.so.1.1"].flatMap { name in (multiarch + libraryDirectories).map { ($0, $0 + "/" + name) } }
        for (dir, path) in candidates {
            guard target.fileInfo(path)?.isRegular == true, let bytes = try? target.readFile(path, limit: 64 << 20) else { continue }
            found.version = embedded(bytes, after: "OpenSSL ", until: 0x20).flatMap(OpenSSLVersion.init)
            found.versionSource = found.version == nil ? nil : path
            found.opensslDir = embedded(bytes, after: "OPENSSLDIR: \"", until: 0x22)
            found.modulesDir = embedded(bytes, after: "MODULESDIR: \"", until: 0x22) ?? dir + "/ossl-modules"
            if ByteSearch.find(kernelFIPSMarker, in: bytes, from: 0) != nil, ByteSearch.find(symcryptMarker, in: bytes, from: 0) == nil {
                found.kernelFIPSBuild = path
            }
            break
        }
        if found.modulesDir == nil {
            found.modulesDir = modulesDirectory(in: target, multiarch: multiarch)
        }
        if found.version == nil, let (version, source) = dpkgVersion(target) {
            found.version = version
            found.versionSource = source
        }
        if found.opensslDir == nil {
            found.opensslDir = ["/usr/lib/ssl", "/etc/pki/tls", "/etc/ssl", "/usr/local/ssl"].first { target.fileInfo($0 + "/openssl.cnf") != nil }
        }
        return found
    }

    /// The distribution's modules directory when no libcrypto names it: the first
    /// `ossl-modules` holding a file, else the first that exists, else nil.
    static func modulesDirectory(in target: any Target, multiarch: [String]) -> String? {
        let dirs = (multiarch + ["/usr/lib64", "/usr/lib", "/usr/local/lib64", "/usr/local/lib"]).map { $0 + "/ossl-modules" }
        let existing = dirs.filter { target.fileInfo($0)?.isDirectory == true }
        return existing.first { !(target.listDirectory($0) ?? []).isEmpty } ?? existing.first
    }

    /// The first string in `bytes` after `marker` up to `terminator`, when it starts with a
    /// digit or a slash (the version and the directories).
    static func embedded(_ bytes: [UInt8], after marker: String, until terminator: UInt8) -> String? {
        let needle = Array(marker.utf8)
        var from = 0
        while let hit = ByteSearch.find(needle, in: bytes, from: from) {
            let start = hit + needle.count
            var end = start
            while end < bytes.count, end - start < 4096, bytes[end] != terminator, bytes[end] != 0 { end += 1 }
            if end > start, let first = bytes.dropFirst(start).first, first == 0x2F || (first >= 0x30 && first <= 0x39) {
                return String(decoding: bytes[start..<end], as: UTF8.self)
            }
            from = start
        }
        return nil
    }

    /// The upstream version of dpkg's installed libssl3 (`3.0.17-1~deb12u2` → 3.0.17).
    static func dpkgVersion(_ target: any Target) -> (OpenSSLVersion, String)? {
        guard let (package, version) = DpkgStatus.installed(["libssl3", "libssl3t64"], on: target),
              let parsed = OpenSSLVersion(DpkgStatus.withoutEpoch(version)) else { return nil }
        return (parsed, "\(DpkgStatus.path) (\(package) \(version))")
    }
}
