import Foundation
import VigilProbes
import VigilStore

/// Collects a `SystemIdentity` from a target at scan time. The OS comes from the target's
/// os-release and the FQDN from its /etc/hosts, for any target; the kernel, architecture
/// and network addresses only from a live host (a target with the running kernel's state):
/// an offline root leaves them empty rather than guess (it may hold several kernels).
package enum SystemFacts {
    package static func collect(_ target: any Target, hostName: String) -> SystemIdentity {
        let os = osRelease(target)
        var s = SystemIdentity(hostName: hostName, fqdn: fqdn(hostName, hosts: target.readText("/etc/hosts") ?? ""),
                               osName: os["NAME"] ?? os["ID"] ?? "", osVersion: os["VERSION_ID"] ?? "",
                               osPrettyName: os["PRETTY_NAME"] ?? "", user: userName())
        if target.can(.runtimeState) {
            var u = utsname()
            if uname(&u) == 0 {
                s.kernelRelease = field(&u.release)
                s.kernelVersion = field(&u.version)
                s.architecture = field(&u.machine)
            }
            s.ipAddresses = ipAddresses()
            s.macAddresses = macAddresses(sysClassNet: "/sys/class/net")
        }
        return s
    }

    /// os-release's fields (/etc/os-release, else /usr/lib/os-release), quotes removed.
    package static func osRelease(_ target: any Target) -> [String: String] {
        guard let text = target.readText("/etc/os-release") ?? target.readText("/usr/lib/os-release") else { return [:] }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q { value = String(value.dropFirst().dropLast()) }
            fields[String(line[..<eq]).trimmingCharacters(in: .whitespaces)] = value
        }
        return fields
    }

    /// The host's fully qualified name: a dotted name on an /etc/hosts line that names the
    /// host, else the host name itself when dotted, else "".
    package static func fqdn(_ hostName: String, hosts: String) -> String {
        let short = hostName.split(separator: ".").first.map(String.init) ?? hostName
        for line in hosts.split(separator: "\n") {
            let names = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init)
            guard names.contains(where: { $0 == hostName || $0 == short || $0.hasPrefix(short + ".") }) else { continue }
            if let dotted = names.first(where: { $0.hasPrefix(short + ".") }) { return dotted }
        }
        return hostName.contains(".") ? hostName : ""
    }

    /// The login name of the user running Vigil (numeric uid when it has none).
    static func userName() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return String(getuid())
    }

    /// The IPv4 and IPv6 addresses of the interfaces that are not loopback, in
    /// `getifaddrs` order, without duplicates.
    static func ipAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var out: [String] = []
        for ifa in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let addr = ifa.pointee.ifa_addr, (Int32(ifa.pointee.ifa_flags) & Int32(IFF_LOOPBACK)) == 0 else { continue }
            let family = Int32(addr.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(addr, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            // Without the zone of a link-local address ("fe80::1%eth0"), as oscap writes it.
            let text = String(decoding: host.prefix { $0 != 0 && $0 != 0x25 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !out.contains(text) { out.append(text) }
        }
        return out
    }

    /// The MAC addresses in `<folder>/*/address`, interfaces sorted by name; loopback's
    /// all-zero address is left out.
    package static func macAddresses(sysClassNet folder: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        var out: [String] = []
        for name in names {
            guard let text = try? String(contentsOfFile: folder + "/" + name + "/address", encoding: .utf8) else { continue }
            let mac = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            guard mac.count == 17, mac != "00:00:00:00:00:00", !out.contains(mac) else { continue }
            out.append(mac)
        }
        return out
    }

    /// A NUL-terminated `utsname` field as a string.
    private static func field<T>(_ value: inout T) -> String {
        withUnsafeBytes(of: &value) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
