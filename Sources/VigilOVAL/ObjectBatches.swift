import VigilCore
import Foundation

/// Objects a scan collects together, in one pass: for example every file object that
/// walks the same tree with the same behaviors is answered by a single traversal. The
/// collector says which objects go together (`ObjectCollector.batchKey`); the plan is
/// made once, before evaluation, for the definitions a scan will evaluate.
final class ObjectBatches: @unchecked Sendable {
    /// One batch: its index and the ids of its objects.
    struct Batch {
        let index: Int
        let members: [String]
    }

    private let lock = NSLock()
    private var batchOf: [String: Batch] = [:]
    private var all: [Batch] = []
    /// Each batch's collected objects by object id, computed once by the first object
    /// of the batch that is needed.
    let results = OnceMap<Int, [String: CollectedObject]>()

    /// The batch object `id` belongs to, if any.
    func batch(of id: String) -> Batch? {
        lock.lock()
        defer { lock.unlock() }
        return batchOf[id]
    }

    /// Records batches (groups of two or more object ids), replacing earlier ones.
    func set(_ groups: [[String]]) {
        lock.lock()
        defer { lock.unlock() }
        batchOf = [:]
        all = []
        for members in groups where members.count > 1 {
            let batch = Batch(index: all.count, members: members)
            all.append(batch)
            for id in members { batchOf[id] = batch }
        }
    }

    /// Every planned batch.
    var planned: [Batch] {
        lock.lock()
        defer { lock.unlock() }
        return all
    }
}

extension OVALEvaluator {
    /// Plans which objects of `definitions` (through their criteria, extended definitions,
    /// tests and sets) are collected together. Call it once, before evaluating; variables
    /// the objects use are resolved now. Without a plan every object is collected alone.
    package func planBatches(definitions: [String]) {
        var objects: [String] = []
        var seenObjects: Set<String> = []
        var seenDefinitions: Set<String> = []
        func addObject(_ id: String) {
            guard seenObjects.insert(id).inserted, let object = document.objects[id] else { return }
            if let set = object.set { addSet(set) } else { objects.append(id) }
        }
        func addSet(_ set: OVALSet) {
            set.objectRefs.forEach(addObject)
            set.subsets.forEach(addSet)
        }
        func addCriteria(_ criteria: OVALCriteria) {
            for child in criteria.children {
                switch child {
                case .criteria(let c): addCriteria(c)
                case .criterion(let test, _, _): if let ref = document.tests[test]?.objectRef { addObject(ref) }
                case .extendDefinition(let d, _, _): addDefinition(d)
                }
            }
        }
        func addDefinition(_ id: String) {
            guard seenDefinitions.insert(id).inserted, refused["d:" + id] == nil,
                  let criteria = document.definitions[id]?.criteria else { return }
            addCriteria(criteria)
        }
        definitions.forEach(addDefinition)

        var groups: [String: [String]] = [:]
        var members: [String: [ResolvedObject]] = [:]
        var order: [String] = []
        for id in objects where refused["o:" + id] == nil {
            guard let object = document.objects[id], object.type != "variable_object",
                  case .success(let resolved) = resolve(object), let key = collector.batchKey(resolved) else { continue }
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(id)
            members[key, default: []].append(resolved)
        }
        batches.set(order.map { groups[$0]! })
        for key in order where groups[key]!.count > 1 { collector.planned(batch: members[key]!) }
    }

    /// How many batches `planBatches` made.
    package var plannedBatchCount: Int { batches.planned.count }

    /// Collects planned batch `index` now (once), so that a scan can start its longest
    /// work first; its objects are then ready when their tests need them.
    package func collectPlannedBatch(_ index: Int) {
        let all = batches.planned
        guard all.indices.contains(index) else { return }
        _ = traced("b", String(index)) { batches.results.value(index) { collectBatch(all[index].members) } }
    }

    /// Collects the objects of one batch in one pass, by id.
    func collectBatch(_ ids: [String]) -> [String: CollectedObject] {
        var resolved: [ResolvedObject] = []
        for id in ids {
            guard let object = document.objects[id], case .success(let r) = resolve(object) else { continue }
            resolved.append(r)
        }
        let results = collector.collect(batch: resolved)
        var out: [String: CollectedObject] = [:]
        for (object, result) in zip(resolved, results) {
            // A pattern match of its entities or filters that hit a regex limit: error, not fewer items.
            out[object.object.id] = object.failures?.first.map { CollectedObject.error($0) } ?? result
        }
        return out
    }
}
