import Foundation
import VigilOVAL
#if canImport(Glibc)
import Glibc
#endif

/// `interface_object` (unix): one item per IPv4 or IPv6 address of each network
/// interface whose name matches, read from the live host with `getifaddrs(3)` and
/// `SIOCGIFHWADDR`, as OpenSCAP's interface probe does. Interfaces without an IP
/// address give no item. OpenSCAP's flag spelling is kept, including "NOAPP" for
/// `IFF_NOARP`. On an offline root the object is "not applicable" (OpenSCAP has no
/// offline mode for it; see `OfflinePolicy`).
package struct InterfaceProbe: Probe {
    package init() {}

    package var objectTypes: [String] { ["interface_object"] }
    /// A running system only: an offline root answers `not applicable` (`OfflinePolicy`).
    package func needs(for objectType: String) -> TargetCapabilities { .runtimeState }

    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let name = object.entity("name") else {
            return .error("interface_object has no name entity")
        }
        switch InterfaceProbe.addresses() {
        case .failure(let error):
            return .error(error.message)
        case .success(let all):
            return .found(all.filter { name.matches($0.name) }.map(\.item))
        }
    }

    /// One address of one interface, with what the item reports about it.
    struct Address: Sendable, Equatable {
        var name: String
        var type: String
        var hardwareAddress: String
        var isIPv6: Bool
        var inetAddress: String
        var broadcastAddress: String
        var netmask: String
        var flags: [String]

        var item: OVALItem {
            let addressType: OVALDatatype = isIPv6 ? .ipv6Address : .ipv4Address
            var fields = [
                OVALItemField("name", name),
                OVALItemField("type", type),
                OVALItemField("hardware_addr", hardwareAddress),
                OVALItemField("inet_addr", inetAddress, datatype: addressType),
                OVALItemField("broadcast_addr", broadcastAddress, datatype: addressType),
                OVALItemField("netmask", netmask, datatype: addressType),
            ]
            fields += flags.map { OVALItemField("flag", $0) }
            return OVALItem(fields: fields)
        }
    }

    /// Every IPv4 and IPv6 address of the live host's interfaces.
    static func addresses() -> Result<[Address], InterfaceError> {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return .failure(InterfaceError("getifaddrs() failed")) }
        defer { freeifaddrs(list) }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return .failure(InterfaceError("socket() failed")) }
        defer { close(fd) }
        var out: [Address] = []
        var cursor = list
        while let entry = cursor?.pointee {
            cursor = entry.ifa_next
            guard let addr = entry.ifa_addr, let cname = entry.ifa_name else { continue }
            let family = Int32(addr.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            let name = String(cString: cname)
            let (mac, type) = linkInfo(name: name, socket: fd)
            let flags = flagNames(entry.ifa_flags)
            if family == AF_INET {
                let broadcast = entry.ifa_flags & 0x2 != 0 // IFF_BROADCAST
                    ? ipv4(entry.ifa_ifu.ifu_broadaddr) : ""
                out.append(Address(name: name, type: type, hardwareAddress: mac, isIPv6: false,
                                   inetAddress: ipv4(addr), broadcastAddress: broadcast,
                                   netmask: ipv4(entry.ifa_netmask), flags: flags))
            } else {
                let prefix = entry.ifa_netmask.map(ipv6PrefixLength) ?? 0
                out.append(Address(name: name, type: type, hardwareAddress: mac, isIPv6: true,
                                   inetAddress: "\(ipv6(addr))/\(prefix)", broadcastAddress: "",
                                   netmask: "", flags: flags))
            }
        }
        return .success(out)
    }

    /// The dotted form of an IPv4 socket address ("" when absent).
    static func ipv4(_ sa: UnsafeMutablePointer<sockaddr>?) -> String {
        guard let sa, Int32(sa.pointee.sa_family) == AF_INET else { return "" }
        return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
            var a = sin.pointee.sin_addr
            return ntop(AF_INET, &a, Int(INET_ADDRSTRLEN))
        }
    }

    /// The text form of an IPv6 socket address, without scope.
    static func ipv6(_ sa: UnsafeMutablePointer<sockaddr>) -> String {
        sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
            var a = sin6.pointee.sin6_addr
            return ntop(AF_INET6, &a, Int(INET6_ADDRSTRLEN))
        }
    }

    private static func ntop(_ family: Int32, _ addr: UnsafeRawPointer, _ size: Int) -> String {
        var buf = [CChar](repeating: 0, count: size + 1)
        guard inet_ntop(family, addr, &buf, socklen_t(size)) != nil else { return "" }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The number of leading one bits of an IPv6 netmask.
    static func ipv6PrefixLength(_ sa: UnsafeMutablePointer<sockaddr>) -> Int {
        sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
            let bytes = withUnsafeBytes(of: sin6.pointee.sin6_addr) { Array($0) }
            return prefixLength(bytes)
        }
    }

    /// Leading one bits of a mask given as bytes.
    static func prefixLength(_ mask: [UInt8]) -> Int {
        var n = 0
        for byte in mask {
            if byte == 0xff { n += 8; continue }
            n += (~byte).leadingZeroBitCount
            break
        }
        return n
    }

    /// Hardware address (`XX:XX:...`, "" when unknown) and `ARPHRD_*` type name ("" when
    /// OpenSCAP does not name it) from `SIOCGIFHWADDR`.
    static func linkInfo(name: String, socket fd: Int32) -> (String, String) {
        var req = ifreq()
        let nameBytes = Array(name.utf8.prefix(Int(IFNAMSIZ) - 1))
        withUnsafeMutableBytes(of: &req.ifr_ifrn.ifrn_name) { buf in
            for (i, b) in nameBytes.enumerated() { buf[i] = b }
        }
        let siocgifhwaddr: UInt = 0x8927
        guard ioctl(fd, siocgifhwaddr, &req) >= 0 else { return ("", "") }
        let hw = req.ifr_ifru.ifru_hwaddr
        let mac = withUnsafeBytes(of: hw.sa_data) { Array($0.prefix(6)) }
            .map { String(format: "%02X", $0) }.joined(separator: ":")
        return (mac, typeNames[hw.sa_family] ?? "")
    }

    /// The `ARPHRD_*` values OpenSCAP names.
    static let typeNames: [sa_family_t: String] = [
        1: "ARPHRD_ETHER", 774: "ARPHRD_FDDI", 772: "ARPHRD_LOOPBACK", 512: "ARPHRD_PPP",
        4: "ARPHRD_PRONET", 256: "ARPHRD_SLIP", 0xffff: "ARPHRD_VOID",
    ]

    /// `IFF_*` flags in OpenSCAP's order and spelling.
    static let flagTable: [(UInt32, String)] = [
        (0x1, "UP"), (0x2, "BROADCAST"), (0x4, "DEBUG"), (0x8, "LOOPBACK"), (0x10, "POINTOPOINT"),
        (0x20, "NOTRAILERS"), (0x40, "RUNNING"), (0x80, "NOAPP"), (0x100, "PROMISC"),
        (0x200, "ALLMULTI"), (0x400, "MASTER"), (0x800, "SLAVE"), (0x1000, "MULTICAST"),
        (0x2000, "PORTSEL"), (0x4000, "AUTOMEDIA"), (0x8000, "DYNAMIC"),
    ]

    static func flagNames(_ flags: UInt32) -> [String] {
        flagTable.filter { flags & $0.0 != 0 }.map(\.1)
    }
}

/// Why the interface list could not be read.
struct InterfaceError: Error, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
