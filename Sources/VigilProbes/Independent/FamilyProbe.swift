import VigilOVAL

/// `family_object` (independent): one item whose `family` is "unix", as OpenSCAP 1.3.7
/// reports on every Unix-like build. Collected on live hosts and offline roots alike.
package struct FamilyProbe: Probe {
    package let objectTypes = ["family_object"]

    package init() {}

    /// Returns the single family item.
    package func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        .found([OVALItem(fields: [OVALItemField("family", "unix")])])
    }
}
