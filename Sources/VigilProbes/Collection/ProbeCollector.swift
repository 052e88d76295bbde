import VigilOVAL

/// The `ObjectCollector` for a target: dispatches each object to the probe registered for
/// its type. When the probe needs what the target cannot answer (`Probe.needs(for:)`), the
/// object gets the offline policy's answer (`OfflinePolicy`) and the probe is not run; an
/// unknown type is an error item for its tests.
public struct ProbeCollector: ObjectCollector {
    public let context: ProbeContext
    private let probes: [String: any Probe]

    public init(target: any Target, fieldsInUse: Set<String>? = nil, probes: [any Probe] = ProbeRegistry.all) {
        self.context = ProbeContext(target: target, fieldsInUse: fieldsInUse)
        var map: [String: any Probe] = [:]
        for p in probes { for t in p.objectTypes { map[t] = p } }
        self.probes = map
    }

    public func collect(_ object: ResolvedObject) -> CollectedObject {
        guard let probe = probes[object.type] else {
            return .error("unsupported object type \(object.type)")
        }
        if let answer = policyAnswer(object, probe) { return answer }
        return probe.collect(object, context: context)
    }

    public func batchKey(_ object: ResolvedObject) -> String? {
        guard let probe = probes[object.type] as? any BatchingProbe, policyAnswer(object, probe) == nil,
              let key = probe.batchKey(object, context: context) else { return nil }
        return object.type + "\n" + key
    }

    public func collect(batch objects: [ResolvedObject]) -> [CollectedObject] {
        guard let first = objects.first, let probe = probes[first.type] as? any BatchingProbe,
              objects.allSatisfy({ $0.type == first.type }), policyAnswer(first, probe) == nil else {
            return objects.map(collect)
        }
        return probe.collect(batch: objects, context: context)
    }

    public func planned(batch objects: [ResolvedObject]) {
        guard let first = objects.first, let probe = probes[first.type] as? any BatchingProbe,
              policyAnswer(first, probe) == nil else { return }
        probe.planned(batch: objects, context: context)
    }

    /// What the offline policy reports instead of collecting `object` on this target, or
    /// nil when its probe is run (also nil for a type no probe answers).
    package func policyAnswer(for object: ResolvedObject) -> CollectedObject? {
        probes[object.type].flatMap { policyAnswer(object, $0) }
    }

    private func policyAnswer(_ object: ResolvedObject, _ probe: any Probe) -> CollectedObject? {
        let needs = probe.needs(for: object.type)
        guard !needs.isEmpty, !context.target.can(needs) else { return nil }
        return OfflinePolicy.answer(for: object, needs: needs, on: context.target)
    }
}
