import VigilOVAL

/// `systemdunitproperty_object` (linux): properties of systemd units, as OpenSCAP 1.3.7
/// collects them.
///
/// - Live host: systemd is asked over D-Bus (`ListUnits`, then `LoadUnit` and
///   `Properties.GetAll` on `org.freedesktop.systemd1.Unit`), so only loaded units are
///   seen. Without a reachable system bus (no systemd, e.g. in a container) the flag is
///   `error` with OpenSCAP's message "DBus connection failed, could not identify systemd
///   units." and the test is `error`, exactly as oscap reports here. A bus on which
///   systemd does not answer gives no items (`does not exist`), as in OpenSCAP; a unit
///   that cannot be loaded ends the listing there.
/// - Each unit the `unit` entity selects gives one item per property the `property`
///   entity selects: unit, property and its values; an array property has one `value` per
///   element (nested arrays joined with ", ") and is left out when empty; booleans are
///   "true"/"false", numbers in decimal, bytes as a character; structure and variant
///   properties (e.g. `Job`) are left out (OpenSCAP has no text for them either).
/// - Offline root: answered from the unit files (`SystemdUnitFiles`, properties listed in
///   `SystemdUnitFiles.supportedProperties`); an object whose `property` entity can
///   only name runtime properties (ActiveState...) is `not collected`. OpenSCAP reports
///   every such object `not collected` (test `unknown`); pass `offlineUnitFiles: false`
///   for that behaviour.
package struct SystemdUnitPropertyProbe: Probe {
    package let objectTypes = ["systemdunitproperty_object"]
    private let offlineUnitFiles: Bool
    private let busAddress: String?
    /// Without `offlineUnitFiles`, the system bus (see `OfflinePolicy`).
    package func needs(for objectType: String) -> TargetCapabilities { offlineUnitFiles ? [] : .systemBus }

    /// `busAddress` overrides the system bus address (tests); `offlineUnitFiles: false`
    /// reports offline roots as OpenSCAP does (`not collected`).
    package init(offlineUnitFiles: Bool = true, busAddress: String? = nil) {
        self.offlineUnitFiles = offlineUnitFiles
        self.busAddress = busAddress
    }

    /// Collects the selected properties of the selected units.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let unitEntity = object.entity("unit"), let propertyEntity = object.entity("property") else {
            return .error("systemdunitproperty_object needs unit and property entities")
        }
        let query: any SystemdUnitQuery
        switch SystemdUnitSource.query(context, busAddress: busAddress) {
        case .failure(let box): return box.object
        case .success(let q): query = q
        }
        if !context.target.can(.systemBus),
           !SystemdUnitFiles.supportedProperties.contains(where: { propertyEntity.matches($0) }) {
            return .notCollected("property \(propertyEntity.values.joined(separator: ", ")) is not known from unit files of an offline root")
        }
        var items: [OVALItem] = []
        var messages: [String] = []
        let units: [String]
        do {
            units = try query.loadedUnits()
        } catch {
            // OpenSCAP: a bus without systemd answers ListUnits with an error; no items.
            units = []
            messages.append("systemd ListUnits failed: \(error)")
        }
        for unit in units where unitEntity.matches(unit) {
            let properties: [(name: String, values: [String])]
            do {
                properties = try query.properties(of: unit)
            } catch {
                // OpenSCAP stops at the first unit it cannot load.
                messages.append("cannot load unit \(unit): \(error)")
                break
            }
            for p in properties where propertyEntity.matches(p.name) {
                var fields = [OVALItemField("unit", unit), OVALItemField("property", p.name)]
                fields += p.values.map { OVALItemField("value", $0) }
                items.append(OVALItem(fields: fields))
            }
        }
        var result = CollectedObject.found(items)
        result.messages += messages
        if !context.target.can(.systemBus) { result.messages.append("collected from the unit files of \(context.target.label)") }
        return result
    }
}
