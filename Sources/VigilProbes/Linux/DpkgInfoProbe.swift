import VigilCore
import VigilOVAL

/// `dpkginfo_object` (linux): installed Debian packages from the target's
/// `/var/lib/dpkg/status`, parsed once per scan (`DpkgDatabase`).
///
/// Matches OpenSCAP 1.3.7, which looks each name up in apt's cache:
/// - every value of `name` is looked up as a literal package name, *whatever the
///   operation*: `pattern match` with `^bash$` finds nothing and with `bash` finds bash,
///   exactly as oscap does; `name:arch` selects another architecture;
/// - items: name, arch ("all" for architecture-independent packages), epoch ("0" when
///   the version has none), release, version and evr (`epoch:version-release`, datatype
///   `evr_string`: oscap uses `debian_evr_string` only for content declaring schema
///   5.11.1 or later, and the item datatype does not change comparisons, which use the
///   state's datatype);
/// - the version is split at the first '-' (not the last, as dpkg would);
/// - a missing or unreadable status file gives no items (apt fails to open; the test
///   then sees `does not exist`).
package struct DpkgInfoProbe: Probe {
    package let objectTypes = ["dpkginfo_object"]

    package init() {}

    /// Looks up each name of the object's `name` entity.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        guard let nameEntity = object.entity("name") else {
            return .error("dpkginfo_object has no name entity")
        }
        guard let db = DpkgInfoProbe.database(context) else {
            return CollectedObject(flag: .doesNotExist,
                                   messages: ["cannot read /var/lib/dpkg/status on \(context.target.label)"])
        }
        var items: [OVALItem] = []
        for value in nameEntity.values {
            guard let p = db.installed(value) else { continue }
            items.append(DpkgInfoProbe.item(p))
        }
        return .found(items)
    }

    /// The scan's dpkg database, or nil when the status file cannot be read.
    static func database(_ context: ProbeContext) -> DpkgDatabase? {
        // Not an Optional in the cache: `ScanCache` would take a missing entry for a cached nil.
        let loaded = context.cache.value("dpkg.status") { () -> [DpkgDatabase] in
            guard let text = context.target.readText("/var/lib/dpkg/status") else { return [] }
            return [DpkgDatabase(statusText: text)]
        }
        return loaded.first
    }

    /// The dpkginfo item of a package, fields in schema order.
    package static func item(_ p: DpkgDatabase.Package) -> OVALItem {
        let v = DpkgDatabase.splitVersion(p.version)
        return OVALItem(fields: [
            OVALItemField("name", p.name),
            OVALItemField("arch", p.architecture),
            OVALItemField("epoch", v.epoch),
            OVALItemField("release", v.release),
            OVALItemField("version", v.version),
            OVALItemField("evr", v.evr, datatype: .evrString),
        ])
    }
}
