import Foundation

/// An object entity whose variable reference has been replaced by the variable's values.
public struct ResolvedEntity: Sendable {
    public var entity: OVALEntity { didSet { index = Self.index(entity, values) } }
    /// The literal value, or every value of the referenced variable.
    public var values: [String] { didSet { index = Self.index(entity, values) } }
    /// Where `matches` reports a pattern match that could not finish (step limit or the
    /// scan's regex time budget), so that the object is `error` rather than missing items.
    let failures: MatchFailures?
    /// A variable's many values hashed for `matches` (see `ValueIndex`).
    private var index: ValueIndex?
    /// Where `matches` counts its comparisons (the evaluator's), if anywhere.
    private let comparisons: ComparisonCount?

    public init(entity: OVALEntity, values: [String]) {
        self.init(entity: entity, values: values, failures: nil)
    }

    init(entity: OVALEntity, values: [String], failures: MatchFailures?, comparisons: ComparisonCount? = nil) {
        self.entity = entity
        self.values = values
        self.failures = failures
        self.comparisons = comparisons
        self.index = Self.index(entity, values)
    }

    private static func index(_ entity: OVALEntity, _ values: [String]) -> ValueIndex? {
        entity.varRef != nil && values.count >= ValueIndex.minimumValues
            ? ValueIndex(values, entity.operation, datatype: entity.datatype) : nil
    }

    public var name: String { entity.name }
    public var operation: OVALOperation { entity.operation }
    public var datatype: OVALDatatype { entity.datatype }
    public var isNil: Bool { entity.isNil }

    /// The values to look up directly when the operation is `equals`, else nil
    /// (the probe must enumerate candidates and test them with `matches`).
    public var exactValues: [String]? {
        entity.operation == .equals ? values : nil
    }

    /// Whether a candidate value found on the system is selected by this entity.
    /// A variable's several values are combined with the entity's `var_check`
    /// (default `all`), as OpenSCAP compares object entities.
    /// A pattern match that exceeds a regex limit counts as no match here and is reported
    /// to the evaluator, which makes the object `error`.
    public func matches(_ candidate: String) -> Bool {
        if isNil { return true }
        if let index {
            comparisons?.add(1)
            return index.results(candidate, entity.operation).combined(by: entity.varCheck) == .true
        }
        comparisons?.add(values.count)
        guard entity.varRef != nil, values.count > 1 else {
            return values.contains { compare(candidate, $0) == .true }
        }
        let results = values.map { compare(candidate, $0) }
        return ResultCounts(results).combined(by: entity.varCheck) == .true
    }

    private func compare(_ candidate: String, _ value: String) -> OVALResult {
        guard entity.operation == .patternMatch, entity.datatype == .string else {
            return OVALCompare.compare(candidate, entity.operation, value, datatype: entity.datatype)
        }
        do {
            return try OVALRegex.cached(value).isMatch(candidate) ? .true : .false
        } catch let error as RegexError where error.isLimitExceeded {
            failures?.record("object entity \(name): \(error)")
            return .error
        } catch {
            return .error
        }
    }
}

/// The first pattern-match failure (a regex limit) while a probe selected candidates.
final class MatchFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var message: String?

    func record(_ text: String) { lock.withLock { if message == nil { message = text } } }
    var first: String? { lock.withLock { message } }
}

/// An object ready for a probe: its entities resolved, behaviors as given.
public struct ResolvedObject: Sendable {
    public var object: OVALObject
    public var entities: [ResolvedEntity]
    /// The object's filters, applied while items are collected so that a probe that
    /// walks a whole file system keeps only the items that pass (nil: keep every item).
    public var keep: (@Sendable (OVALItem) -> Bool)?
    /// The same filters, judged on part of an item (nil: no filters).
    package var prefilter: ItemPrefilter?
    /// Pattern matches of its entities that could not finish (see `ResolvedEntity`).
    var failures: MatchFailures?

    public init(object: OVALObject, entities: [ResolvedEntity], keep: (@Sendable (OVALItem) -> Bool)? = nil) {
        self.object = object
        self.entities = entities
        self.keep = keep
    }

    /// Whether a collected item passes the object's filters. Probes that may produce many
    /// items call this before keeping one.
    public func keeps(_ item: OVALItem) -> Bool { keep?(item) ?? true }

    public var type: String { object.type }
    public var behaviors: [String: String] { object.behaviors }

    /// The first resolved entity with that name.
    public func entity(_ name: String) -> ResolvedEntity? { entities.first { $0.name == name } }
}

/// An object's filters judged before a probe builds a whole item: for each filter in
/// turn, the probe builds an item with only the fields that filter reads (at least
/// `fields`; more do no harm) and tells the status counts of all the fields the whole
/// item would have. A state's result depends on nothing else, so each judgement is the
/// one the whole item would get, and the first filter that drops the item ends the work.
package struct ItemPrefilter: Sendable {
    /// One filter: the item fields its state compares, and its judgement.
    package struct Stage: Sendable {
        package let fields: Set<String>
        let judge: @Sendable (OVALItem, ExistenceCounts) -> Bool

        /// Whether the whole item passes this filter, judged on `partial`.
        package func keeps(_ partial: OVALItem, statusesOfWholeItem: ExistenceCounts) -> Bool {
            judge(partial, statusesOfWholeItem)
        }
    }

    /// The filters in order; an item is kept when it passes every one.
    package let stages: [Stage]
}

/// Collects the items of resolved objects from some system. Implementations must be
/// safe to call from several tasks at once.
public protocol ObjectCollector: Sendable {
    func collect(_ object: ResolvedObject) -> CollectedObject

    /// A key shared by objects that are cheaper to collect together, in one pass (file
    /// objects that walk the same tree); nil when the object is collected on its own.
    func batchKey(_ object: ResolvedObject) -> String?

    /// Collects objects that share a batch key, in one pass; one result per object, in order.
    func collect(batch objects: [ResolvedObject]) -> [CollectedObject]

    /// These objects will be collected as one batch, later in the scan (a collector may
    /// prepare for it: file walks keep listings for a walk yet to come).
    func planned(batch objects: [ResolvedObject])
}

extension ObjectCollector {
    public func batchKey(_ object: ResolvedObject) -> String? { nil }
    public func planned(batch objects: [ResolvedObject]) {}
    public func collect(batch objects: [ResolvedObject]) -> [CollectedObject] { objects.map(collect) }
}
