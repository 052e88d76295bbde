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
///    `ossl-modules`.
public struct OpenSSLInstallation: Sendable {
    public var version: OpenSSLVersion?
    /// What the version was read from (`/usr/lib/x86_64-linux-gnu/libcrypto.so.3`, ...).
    public var versionSource: String?
    public var opensslDir: String?
    public var modulesDir: String?

    /// The configuration file libcrypto reads by default: `OPENSSLDIR/openssl.cnf`.
    public var configPath: String? { opensslDir.map { $0 + "/openssl.cnf" } }

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
            break
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
