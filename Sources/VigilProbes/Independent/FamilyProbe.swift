import VigilOVAL

/// `family_object` (independent): one item whose `family` is "unix", as OpenSCAP 1.3.7
/// reports on every Unix-like build. Collected on live hosts and offline roots alike.
public struct FamilyProbe: Probe {
    public let objectTypes = ["family_object"]

    public init() {}

    /// Returns the single family item.
    public func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject {
        .found([OVALItem(fields: [OVALItemField("family", "unix")])])
    }
}
