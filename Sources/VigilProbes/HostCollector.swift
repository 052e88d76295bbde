import VigilOVAL

/// The `ObjectCollector` for a target system: dispatches each object to the probe
/// registered for its type; an unknown type is an error item for its tests.
public struct HostCollector: ObjectCollector {
    public let context: ProbeContext
    private let probes: [String: any Probe]

    public init(target: Target, fieldsInUse: Set<String>? = nil, probes: [any Probe] = ProbeRegistry.all) {
        self.context = ProbeContext(target: target, fieldsInUse: fieldsInUse)
        var map: [String: any Probe] = [:]
        for p in probes { for t in p.objectTypes { map[t] = p } }
        self.probes = map
    }

    public func collect(_ object: ResolvedObject) -> CollectedObject {
        guard let probe = probes[object.type] else {
            return .error("unsupported object type \(object.type)")
        }
        return probe.collect(object, context: context)
    }

    public func batchKey(_ object: ResolvedObject) -> String? {
        guard let probe = probes[object.type] as? any BatchingProbe,
              let key = probe.batchKey(object, context: context) else { return nil }
        return object.type + "\n" + key
    }

    public func collect(batch objects: [ResolvedObject]) -> [CollectedObject] {
        guard let first = objects.first, let probe = probes[first.type] as? any BatchingProbe,
              objects.allSatisfy({ $0.type == first.type }) else { return objects.map(collect) }
        return probe.collect(batch: objects, context: context)
    }
}
