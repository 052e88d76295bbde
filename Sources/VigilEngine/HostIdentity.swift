import Foundation
import VigilContent
import VigilImage
import VigilProbes
import VigilStore

/// The name and a stable identifier of a scanned system, with what else reports say of
/// it (`SystemIdentity`).
public struct HostIdentity: Sendable, Equatable {
    public var name: String
    public var id: String
    /// The OS, kernel, addresses and user, as `SystemFacts.collect` found them.
    public var system: SystemIdentity

    public init(name: String, id: String, system: SystemIdentity? = nil) {
        self.name = name
        self.id = id
        self.system = system ?? SystemIdentity(hostName: name)
    }

    /// The identity of a target: the host name from the kernel (a target with the running
    /// kernel's state: the live host) or else the target's /etc/hostname, and the id from
    /// /etc/machine-id (or D-Bus's copy); a system without a machine id is identified by
    /// its name on the live host, else by its kind and reference (an offline root's path).
    public static func of(_ target: any Target) -> HostIdentity {
        if let image = target as? ImageTarget { return of(image) }
        func firstLine(_ path: String) -> String? {
            guard let bytes = try? target.readFile(path) else { return nil }
            let line = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line == "uninitialized" ? nil : line
        }
        let name = target.can(.runtimeState) ? scanningHostName() : firstLine("/etc/hostname") ?? target.label
        let system = SystemFacts.collect(target, hostName: name)
        if let machine = firstLine("/etc/machine-id") ?? firstLine("/var/lib/dbus/machine-id") {
            return HostIdentity(name: name, id: machine, system: system)
        }
        return HostIdentity(name: name, id: target.kind == .host ? "host:" + name : "\(target.kind):" + target.reference,
                            system: system)
    }

    /// The identity of an image: its name (what its scans are kept under as one series),
    /// id `image:NAME`, and the system facts of its files with the image's own identity and
    /// the architecture its config records.
    static func of(_ image: ImageTarget) -> HostIdentity {
        let name = image.identity.name
        var system = SystemFacts.collect(image, hostName: name)
        system.image = image.identity
        system.architecture = image.identity.architecture
        return HostIdentity(name: name, id: "image:" + name, system: system)
    }

    /// The kernel's name for the machine Vigil runs on (`gethostname`).
    public static func scanningHostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, 255)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The system identity with the policy's titles from `content` for `profileID`.
    public func system(content: SCAPContent, profileID: String?) -> SystemIdentity {
        var s = system
        s.benchmarkTitle = content.benchmark.title
        if let p = content.benchmark.profiles.first(where: { $0.id == profileID }) {
            s.profileTitle = p.title
            s.profileDescription = p.description
        }
        return s
    }
}
