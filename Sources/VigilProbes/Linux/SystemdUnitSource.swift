#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilOVAL

/// What the systemd probes ask about units, answered by systemd over D-Bus on a live
/// host (`SystemdBusUnits`) or by the unit files of an offline root (`SystemdUnitFiles`).
protocol SystemdUnitQuery: Sendable {
    /// The units to consider (systemd's `ListUnits`: the loaded units).
    func loadedUnits() throws -> [String]
    /// The unit's `org.freedesktop.systemd1.Unit` properties as OpenSCAP reports them:
    /// one value per array element, empty arrays left out.
    func properties(of unit: String) throws -> [(name: String, values: [String])]
    /// The elements of one list property (`Requires`, `Wants`).
    func listProperty(_ property: String, of unit: String) throws -> [String]
}

extension SystemdUnitFiles: SystemdUnitQuery {
    func loadedUnits() throws -> [String] { unitNames }

    func properties(of unit: String) throws -> [(name: String, values: [String])] { properties(unit) }

    func listProperty(_ property: String, of unit: String) throws -> [String] {
        switch property {
        case "Requires": return requires(unit)
        case "Wants": return wants(unit)
        default: return properties(unit).first { $0.name == property }?.values ?? []
        }
    }
}

/// How the systemd probes reach unit data on a target.
enum SystemdUnitSource {
    /// OpenSCAP's message when it cannot reach systemd.
    static let busFailureMessage = "DBus connection failed, could not identify systemd units."

    /// The query to use for `context`, or the collected object to report instead:
    /// - live host: systemd's D-Bus API on the system bus (`DBUS_SYSTEM_BUS_ADDRESS` or
    ///   `/run/dbus/system_bus_socket`); when that cannot be reached the flag is `error`
    ///   with OpenSCAP's message (what oscap reports where systemd is not running);
    /// - a target without a system bus (an offline root): its unit files (`SystemdUnitFiles`,
    ///   read once per scan). A probe registered with `offlineUnitFiles: false` needs the
    ///   bus instead, and `OfflinePolicy` answers for it (flag `not collected`).
    static func query(_ context: ProbeContext, busAddress: String?) -> Result<any SystemdUnitQuery, CollectedObjectBox> {
        let target = context.target
        if !target.can(.systemBus) {
            let files = context.cache.value("systemd.unitfiles") { SystemdUnitFiles(target: target) }
            return .success(files)
        }
        let address = busAddress ?? defaultBusAddress()
        do {
            let connection = try SystemdBusConnection(address: address)
            return .success(SystemdBusUnits(connection: connection))
        } catch {
            return .failure(CollectedObjectBox(CollectedObject(flag: .error, messages: [busFailureMessage, "\(error)"])))
        }
    }

    /// The system bus address from the environment, else systemd's standard socket.
    static func defaultBusAddress() -> String {
        if let env = getenv("DBUS_SYSTEM_BUS_ADDRESS"), let s = String(validatingCString: env), !s.isEmpty {
            return s
        }
        return "unix:path=/run/dbus/system_bus_socket"
    }
}

/// A `CollectedObject` usable as the failure of a `Result`.
struct CollectedObjectBox: Error {
    let object: CollectedObject
    init(_ object: CollectedObject) { self.object = object }
}
