import VigilOVAL

/// `systemdunitdependency_object` (linux): the units a unit depends on, as OpenSCAP
/// 1.3.7 (and `systemctl list-dependencies`) compute them.
///
/// - Each unit the `unit` entity selects (among loaded units on a live host) gives one
///   item: the unit, then one `dependency` per unit reached through `Requires` and then
///   `Wants`, recursively, depth first, without repeats. Like OpenSCAP, only `.target`
///   units are expanded: the item of a service has no dependency at all, and the units
///   a target pulls in are listed but only targets among them are followed.
/// - Live host without a reachable system bus: flag `error` with OpenSCAP's message.
/// - Offline root: answered from unit files (`Requires=`/`Wants=` plus the `.requires/`
///   and `.wants/` directories; implicit and generator-made dependencies are not known);
///   OpenSCAP reports `not collected` there (`offlineUnitFiles: false`).
package struct SystemdUnitDependencyProbe: Probe {
    package let objectTypes = ["systemdunitdependency_object"]
    private let offlineUnitFiles: Bool
    private let busAddress: String?
    /// Without `offlineUnitFiles`, the system bus (see `OfflinePolicy`).
    package func needs(for objectType: String) -> TargetCapabilities { offlineUnitFiles ? [] : .systemBus }

    /// See `SystemdUnitPropertyProbe.init`.
    package init(offlineUnitFiles: Bool = true, busAddress: String? = nil) {
        self.offlineUnitFiles = offlineUnitFiles
        self.busAddress = busAddress
    }

    /// Collects one dependency item per selected unit.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let unitEntity = object.entity("unit") else {
            return .error("systemdunitdependency_object has no unit entity")
        }
        let query: any SystemdUnitQuery
        switch SystemdUnitSource.query(context, busAddress: busAddress) {
        case .failure(let box): return box.object
        case .success(let q): query = q
        }
        var items: [OVALItem] = []
        let units: [String]
        do {
            units = try query.loadedUnits()
        } catch {
            // OpenSCAP: a bus without systemd answers ListUnits with an error; no items.
            return CollectedObject(flag: .doesNotExist, messages: ["systemd ListUnits failed: \(error)"])
        }
        for unit in units where unitEntity.matches(unit) {
            var visited = Set<String>()
            var dependencies: [String] = []
            SystemdUnitDependencyProbe.expand(unit, query, &visited, &dependencies)
            items.append(OVALItem(fields: [OVALItemField("unit", unit)]
                                  + dependencies.map { OVALItemField("dependency", $0) }))
        }
        return .found(items)
    }

    /// Adds what `unit` requires and wants, recursing into targets only; a property
    /// that cannot be read adds nothing.
    static func expand(_ unit: String, _ query: any SystemdUnitQuery,
                       _ visited: inout Set<String>, _ out: inout [String]) {
        guard unit.hasSuffix(".target"), unit != "(null)" else { return }
        for property in ["Requires", "Wants"] {
            for dependency in (try? query.listProperty(property, of: unit)) ?? [] where !dependency.isEmpty {
                guard visited.insert(dependency).inserted else { continue }
                out.append(dependency)
                expand(dependency, query, &visited, &out)
            }
        }
    }
}
