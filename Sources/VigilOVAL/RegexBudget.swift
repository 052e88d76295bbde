import Foundation
import Synchronization

/// The time every regular-expression match of a scan may take together. Each match is
/// already bounded in steps (`OVALRegex.Limits`); this bounds their sum, so content that
/// makes many matches each run close to the step limit (a backtracking pattern over every
/// line of many files) ends in `error` results instead of a scan that runs for hours.
/// Once the budget is spent every further match throws a `RegexError` of kind
/// `.matchLimit` whose message says so; the rules using them are `error`.
///
/// One budget serves the process (`scan`); a scan starts it afresh (`start`). Time is
/// summed over all threads, so with several jobs it runs out sooner in wall-clock time.
package final class RegexBudget: @unchecked Sendable {
    /// The budget every `OVALRegex` match draws on.
    package static let scan = RegexBudget(seconds: ContentLimits.regexSecondsPerScan)

    /// Summed without a lock: a walk matches every file name, from several threads.
    private let spentNanoseconds = Atomic<UInt64>(0)
    private let limitNanoseconds: Atomic<UInt64>

    /// A budget of `seconds`.
    package init(seconds: Double) {
        limitNanoseconds = Atomic(UInt64(max(0, seconds) * 1e9))
    }

    /// Starts the budget afresh, with `seconds` (default `ContentLimits.regexSecondsPerScan`).
    package func start(seconds: Double = ContentLimits.regexSecondsPerScan) {
        limitNanoseconds.store(UInt64(max(0, seconds) * 1e9), ordering: .relaxed)
        spentNanoseconds.store(0, ordering: .relaxed)
    }

    /// The seconds the budget allows.
    package var seconds: Double { Double(limitNanoseconds.load(ordering: .relaxed)) / 1e9 }

    /// Whether the matches so far took all of it.
    package var isSpent: Bool {
        spentNanoseconds.load(ordering: .relaxed) >= limitNanoseconds.load(ordering: .relaxed)
    }

    /// Runs one match and charges its duration.
    func charge<R>(_ body: () throws -> R) rethrows -> R {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let elapsed = DispatchTime.now().uptimeNanoseconds &- start
            spentNanoseconds.add(elapsed, ordering: .relaxed)
        }
        return try body()
    }
}
