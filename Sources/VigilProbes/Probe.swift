import VigilOVAL

/// Collects items for one or more OVAL object types.
public protocol Probe: Sendable {
    /// Object element names this probe answers, e.g. `["textfilecontent54_object"]`.
    var objectTypes: [String] { get }
    /// Collects the items of `object` from `context.target`.
    func collect(_ object: ResolvedObject, context: ProbeContext) -> CollectedObject
}

/// What every probe shares during one scan: the target and per-scan caches.
public final class ProbeContext: @unchecked Sendable {
    public let target: Target
    /// Per-scan caches (package databases, unit data, file contents, ...), keyed by name.
    public let cache = ScanCache()

    public init(target: Target) {
        self.target = target
    }
}
