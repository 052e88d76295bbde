import Foundation
import VigilCore

/// Who and what a scan looked at, as assessors ask for it: the scanned system's names,
/// operating system, kernel, architecture and network addresses, the user who ran the
/// scan, and the titles of the benchmark and profile. Stored with the scan as one JSON
/// value (`ScanMetadata.system`) so reports of a stored scan carry it too. A field the
/// target cannot tell (the kernel or the addresses of an offline root) is empty.
public struct SystemIdentity: Sendable, Equatable, Codable {
    public var hostName: String
    /// The fully qualified name, from the system's /etc/hosts or a dotted host name; empty
    /// when neither gives one (no DNS query is made: a scan never waits on the network).
    public var fqdn: String
    /// os-release NAME, VERSION_ID and PRETTY_NAME of the target.
    public var osName: String
    public var osVersion: String
    public var osPrettyName: String
    /// `uname` release and version (live host only).
    public var kernelRelease: String
    public var kernelVersion: String
    /// `uname` machine (live host only), e.g. x86_64.
    public var architecture: String
    /// IPv4 and IPv6 addresses of the non-loopback interfaces (live host only).
    public var ipAddresses: [String]
    /// MAC addresses of the network interfaces, lower case (live host only).
    public var macAddresses: [String]
    /// The login name of the user who ran the scan.
    public var user: String
    public var benchmarkTitle: String
    public var profileTitle: String
    public var profileDescription: String
    /// The image scanned (`vigil scan --image`); nil for a host or a root directory.
    public var image: ImageIdentity?

    public init(hostName: String = "", fqdn: String = "", osName: String = "", osVersion: String = "",
                osPrettyName: String = "", kernelRelease: String = "", kernelVersion: String = "",
                architecture: String = "", ipAddresses: [String] = [], macAddresses: [String] = [], user: String = "",
                benchmarkTitle: String = "", profileTitle: String = "", profileDescription: String = "",
                image: ImageIdentity? = nil) {
        self.hostName = hostName
        self.fqdn = fqdn
        self.osName = osName
        self.osVersion = osVersion
        self.osPrettyName = osPrettyName
        self.kernelRelease = kernelRelease
        self.kernelVersion = kernelVersion
        self.architecture = architecture
        self.ipAddresses = ipAddresses
        self.macAddresses = macAddresses
        self.user = user
        self.benchmarkTitle = benchmarkTitle
        self.profileTitle = profileTitle
        self.profileDescription = profileDescription
        self.image = image
    }

    /// The IPv4 addresses only.
    public var ipv4Addresses: [String] { ipAddresses.filter { !$0.contains(":") } }
    /// The IPv6 addresses only.
    public var ipv6Addresses: [String] { ipAddresses.filter { $0.contains(":") } }

    /// As JSON text, the way the store keeps it.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// From the store's JSON text; nil for nil or unreadable text (a scan stored before
    /// Vigil kept the identity).
    public init?(jsonText: String?) {
        guard let jsonText, let value = try? JSONDecoder().decode(SystemIdentity.self, from: Data(jsonText.utf8)) else { return nil }
        self = value
    }
}
