import VigilOVAL

/// How the file probes treat entities with several values (a variable reference) and
/// the items they collect, as OpenSCAP 1.3.7 does.
enum FileWalkVariants {
    /// The most combinations one object is expanded to.
    static let maxCombinations = 4096

    /// One object per combination of entity values: OpenSCAP runs a probe once for each
    /// combination of the values of an object's variables (`probe_varref_iterate_ctx`).
    /// Entities with `xsi:nil` are kept as they are. Empty when an entity has no value
    /// (nothing can be collected) or there are too many combinations.
    static func expand(_ object: ResolvedObject) -> [ResolvedObject] {
        var variants: [[ResolvedEntity]] = [[]]
        for entity in object.entities {
            if entity.isNil || entity.values.count == 1 {
                variants = variants.map { $0 + [entity] }
                continue
            }
            guard !entity.values.isEmpty, variants.count * entity.values.count <= maxCombinations else { return [] }
            var next: [[ResolvedEntity]] = []
            for prefix in variants {
                for value in entity.values {
                    next.append(prefix + [ResolvedEntity(entity: entity.entity, values: [value])])
                }
            }
            variants = next
        }
        return variants.map { ResolvedObject(object: object.object, entities: $0) }
    }

    /// `items` without repeats, first occurrence kept: OpenSCAP gives identical items
    /// one id and lists each id once in a collected object.
    static func unique(_ items: [OVALItem]) -> [OVALItem] {
        var seen: Set<String> = []
        var out: [OVALItem] = []
        for item in items where seen.insert(key(item)).inserted {
            out.append(item)
        }
        return out
    }

    private static func key(_ item: OVALItem) -> String {
        var parts = [item.status.rawValue]
        for f in item.fields {
            parts.append("\(f.name)\u{1}\(f.value)\u{1}\(f.datatype.rawValue)\u{1}\(f.status.rawValue)")
        }
        return parts.joined(separator: "\u{0}")
    }
}

/// Collects what a file probe gathers over the variants of one object.
struct FileProbeCollection {
    var items: [OVALItem] = []
    var messages: [String] = []
    var errorFlag = false

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
        let unique = FileWalkVariants.unique(items)
        let flag: CollectedFlag = errorFlag ? .error : CollectedObject.flag(for: unique)
        return CollectedObject(flag: flag, items: unique, messages: messages)
    }
}
