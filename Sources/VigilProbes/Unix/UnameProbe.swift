#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilOVAL

/// `uname_object` (unix): one item from `uname(2)` with machine_class, node_name,
/// os_name, os_release, os_version and processor_type (OpenSCAP 1.3.7 reports the
/// machine again as processor_type on Linux). Runtime-only: `not applicable` on an
/// offline root (see `OfflinePolicy`).
package struct UnameProbe: Probe {
    package let objectTypes = ["uname_object"]
    /// A running system only: an offline root answers `not applicable` (`OfflinePolicy`).
    package func needs(for objectType: String) -> TargetCapabilities { .runtimeState }

    package init() {}

    /// Returns the host's uname item.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let u = UnameProbe.hostUname() else {
            return .error("uname(2) failed")
        }
        return .found([UnameProbe.item(u)])
    }

    /// The fields of `uname(2)`, as strings.
    package struct Fields: Sendable, Equatable {
        package var sysname, nodename, release, version, machine: String
        package init(sysname: String, nodename: String, release: String, version: String, machine: String) {
            self.sysname = sysname
            self.nodename = nodename
            self.release = release
            self.version = version
            self.machine = machine
        }
    }

    /// The uname item for `u`, fields in the order of the system-characteristics schema.
    package static func item(_ u: Fields) -> OVALItem {
        OVALItem(fields: [
            OVALItemField("machine_class", u.machine),
            OVALItemField("node_name", u.nodename),
            OVALItemField("os_name", u.sysname),
            OVALItemField("os_release", u.release),
            OVALItemField("os_version", u.version),
            OVALItemField("processor_type", u.machine),
        ])
    }

    /// Calls `uname(2)` on this host, or nil when it fails.
    package static func hostUname() -> Fields? {
        var buf = utsname()
        guard uname(&buf) == 0 else { return nil }
        func text<T>(_ field: inout T) -> String {
            withUnsafeBytes(of: &field) { raw in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        return Fields(sysname: text(&buf.sysname), nodename: text(&buf.nodename),
                      release: text(&buf.release), version: text(&buf.version),
                      machine: text(&buf.machine))
    }
}
