import VigilOVAL

/// One run of a file probe: the object with all its entity values, and the value each
/// entity has in this run.
package struct FileObjectVariant: Sendable {
    package let object: ResolvedObject
    /// The value of each entity in this run, by entity name.
    package let values: [String: String]

    /// The entity `name` as this run sees it, or nil when the object has none.
    package func entity(_ name: String) -> FileWalkEntity? {
        guard let entity = object.entity(name) else { return nil }
        return FileWalkEntity(entity, value: values[name])
    }

    /// The value of entity `name` in this run.
    package func value(_ name: String) -> String? { entity(name)?.value }
}

/// How the file probes treat entities with several values (a variable reference) and
/// the items they collect, as OpenSCAP 1.3.7 does.
enum FileWalkVariants {
    /// The most runs one object is expanded to.
    static let maxCombinations = 4096

    /// One run per combination of entity values: OpenSCAP runs a probe once for each
    /// combination of the values of an object's variables (`probe_varref_iterate_ctx`).
    /// Entities with `xsi:nil` take no part. Empty when an entity has no value (nothing
    /// can be collected) or there are too many combinations.
    static func expand(_ object: ResolvedObject) -> [FileObjectVariant] {
        var combos: [[String: String]] = [[:]]
        var seen: Set<String> = []
        for entity in object.entities where !entity.isNil && seen.insert(entity.name).inserted {
            guard !entity.values.isEmpty, combos.count * entity.values.count <= maxCombinations else { return [] }
            var next: [[String: String]] = []
            for combo in combos {
                for value in entity.values {
                    var c = combo
                    c[entity.name] = value
                    next.append(c)
                }
            }
            combos = next
        }
        return combos.map { FileObjectVariant(object: object, values: $0) }
    }
}

/// Collects what a file probe gathers over the variants of one object, within its
/// `ItemBudget`: past the budget, further items are dropped and the object is an error.
struct FileProbeCollection {
    /// The items kept; add them with `add(_:)`, which keeps to the budget.
    var items: [OVALItem] = []
    var messages: [String] = []
    var errorFlag = false
    /// Set when the object lacks an entity every walk needs: the object is an error.
    var missingEntity: String?
    let budget: ItemBudget
    /// `estimatedBytes` of the items kept.
    private(set) var itemBytes = 0
    /// Set once the budget is spent: the object is an error and probes may stop looking.
    private(set) var isFull = false

    init(budget: ItemBudget = .standard) {
        self.budget = budget
    }

    /// Keeps an item, unless the budget is spent (which fails the object).
    mutating func add(_ item: OVALItem) {
        guard !isFull else { return }
        let cost = item.estimatedBytes
        guard items.count < budget.maxItems, itemBytes + cost <= budget.maxBytes else {
            isFull = true
            fail(budget.exceeded(items: items.count, bytes: itemBytes))
            return
        }
        items.append(item)
        itemBytes += cost
    }

    /// The walk request `make` builds for one variant, or nil to skip that variant. A
    /// missing required entity fails the whole object; any other problem is recorded, as
    /// a message or (with `failing`) as an error that flags the object.
    mutating func request(failing: Bool = false, _ make: () throws -> FileWalkRequest) -> FileWalkRequest? {
        do {
            return try make()
        } catch let missing as FileWalkRequest.MissingEntity {
            missingEntity = missing.description
        } catch {
            if failing { fail("\(error)") } else { messages.append("\(error)") }
        }
        return nil
    }

    /// Adds a walk's report.
    mutating func absorb(_ report: FileWalkReport) {
        if report.errorFlag { errorFlag = true }
        messages.append(contentsOf: report.messages)
    }

    /// Records an error that flags the object `error`.
    mutating func fail(_ message: String) {
        errorFlag = true
        messages.append(message)
    }

    /// The collected object: its items deduplicated, flagged `error` when anything failed,
    /// else as the items' statuses give.
    var result: CollectedObject {
        if let missingEntity { return .error(missingEntity) }
        let unique = OVALItem.unique(items)
        let flag: CollectedFlag = errorFlag ? .error : CollectedObject.flag(for: unique)
        return CollectedObject(flag: flag, items: unique, messages: messages)
    }
}
