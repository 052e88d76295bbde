import Synchronization

/// How much work an evaluator spent comparing values found on the system with the values
/// of variables (state entities, filters and object entities with `var_ref`): one per
/// value compared one by one, one per lookup in a `ValueIndex`. Tests read it to show
/// that this work grows linearly with the number of items and values.
package final class ComparisonCount: Sendable {
    private let count = Atomic<Int>(0)

    package init() {}

    func add(_ n: Int) { count.wrappingAdd(n, ordering: .relaxed) }

    /// The comparisons counted so far.
    package var value: Int { count.load(ordering: .relaxed) }
}
