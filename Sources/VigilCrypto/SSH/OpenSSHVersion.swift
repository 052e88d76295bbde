import Foundation
import VigilTarget

/// An OpenSSH release as the target's binaries name it (`OpenSSH_9.2p1 Debian-2+deb12u6`):
/// major and minor number, and the whole banner for vendor-specific defaults.
public struct OpenSSHVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    /// The banner as found ("OpenSSH_9.2p1 Debian-2+deb12u6"), or "OpenSSH_X.Y" when given.
    public var banner: String
    /// Where it was found ("/usr/sbin/sshd", "/var/lib/dpkg/status", "parameter").
    public var source: String

    public init(major: Int, minor: Int, banner: String, source: String) {
        self.major = major
        self.minor = minor
        self.banner = banner
        self.source = source
    }

    /// Parses "9.2", "9.2p1", "OpenSSH_9.2p1 ...", "1:9.2p1-2+deb12u6" (a dpkg version).
    public init?(parsing text: String, source: String) {
        var s = Substring(text)
        if let r = s.range(of: "OpenSSH_") { s = s[r.upperBound...] }
        if let colon = s.firstIndex(of: ":"), s[..<colon].allSatisfy(\.isNumber) { s = s[s.index(after: colon)...] }
        let digits = s.prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".")
        guard parts.count >= 2, let a = Int(parts[0]), let b = Int(parts[1]), a < 100, b < 100 else { return nil }
        major = a
        minor = b
        banner = text.hasPrefix("OpenSSH_") ? text : "OpenSSH_\(a).\(b)"
        self.source = source
    }

    public var description: String { "OpenSSH \(major).\(minor)" }

    public static func < (a: OpenSSHVersion, b: OpenSSHVersion) -> Bool { (a.major, a.minor) < (b.major, b.minor) }
    public static func == (a: OpenSSHVersion, b: OpenSSHVersion) -> Bool { (a.major, a.minor, a.banner) == (b.major, b.minor, b.banner) }

    /// Whether this release is at least `major.minor`.
    func atLeast(_ v: (Int, Int)) -> Bool { (major, minor) >= v }
}

/// Finds the target's OpenSSH release without running anything: the `OpenSSH_X.Yp1 ...`
/// banner inside the program's binary (sshd for the server, ssh for the client; the
/// usual locations in order), else the dpkg status of openssh-server/openssh-client.
enum OpenSSHVersionFinder {
    /// Largest binary searched for the banner.
    static let binaryLimit = 32 << 20
    static let serverBinaries = ["/usr/sbin/sshd", "/usr/local/sbin/sshd", "/usr/libexec/sshd", "/usr/lib/openssh/sshd"]
    static let clientBinaries = ["/usr/bin/ssh", "/usr/local/bin/ssh"]

    /// The release of the server (`server: true`) or client on `target`, or nil.
    static func find(on target: any Target, server: Bool) -> OpenSSHVersion? {
        for path in server ? serverBinaries : clientBinaries {
            guard let bytes = try? target.readFile(path, limit: binaryLimit) else { continue }
            if let v = banner(in: bytes, source: path) { return v }
        }
        return fromDpkg(target, package: server ? "openssh-server" : "openssh-client")
    }

    /// The `OpenSSH_<digit>...` strings in `bytes` (up to their NUL): the first that
    /// carries a vendor suffix ("OpenSSH_9.2p1 Debian-2+deb12u6"), else the first one.
    static func banner(in bytes: [UInt8], source: String) -> OpenSSHVersion? {
        let needle = Array("OpenSSH_".utf8)
        var i = 0
        var found: [OpenSSHVersion] = []
        while found.count < 16, let start = ByteSearch.find(needle, in: bytes, from: i) {
            var end = start + needle.count
            while end < bytes.count, bytes[end] >= 0x20, bytes[end] < 0x7f, end - start < 80 { end += 1 }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            if end - start > needle.count, bytes[start + needle.count].isDigit, let v = OpenSSHVersion(parsing: text, source: source) {
                found.append(v)
            }
            i = start + 1
        }
        return found.first { $0.banner.contains(" ") && $0.major == found[0].major && $0.minor == found[0].minor } ?? found.first
    }

    /// The installed version of `package` in /var/lib/dpkg/status.
    static func fromDpkg(_ target: any Target, package: String) -> OpenSSHVersion? {
        guard let (_, version) = DpkgStatus.installed([package], on: target),
              var found = OpenSSHVersion(parsing: version, source: DpkgStatus.path) else { return nil }
        found.banner = "OpenSSH_" + DpkgStatus.withoutEpoch(version)
        if let dash = found.banner.firstIndex(of: "-") {
            found.banner = found.banner[..<dash] + " Debian" + found.banner[dash...]
        }
        return found
    }
}

private extension UInt8 {
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }
}
