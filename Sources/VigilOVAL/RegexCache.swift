import Foundation

extension OVALRegex {
    /// A compiled regex for `pattern`, shared by every caller that asks for the same pattern,
    /// options and limits. A pattern that fails to compile throws the same error each time
    /// without being compiled again. Safe to call from several threads at once.
    package static func cached(_ pattern: String, _ options: Options = [],
                              limits: Limits = .default) throws -> OVALRegex {
        try RegexCache.shared.regex(pattern, options, limits).get()
    }
}

/// The process-wide store behind `OVALRegex.cached`.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()

    /// When this many entries are stored the cache is emptied, bounding its memory.
    static let capacity = 4096

    private struct Key: Hashable {
        let pattern: String
        let options: OVALRegex.Options
        let limits: OVALRegex.Limits
    }

    private let lock = NSLock()
    private var entries: [Key: Result<OVALRegex, RegexError>] = [:]

    func regex(_ pattern: String, _ options: OVALRegex.Options,
               _ limits: OVALRegex.Limits) -> Result<OVALRegex, RegexError> {
        let key = Key(pattern: pattern, options: options, limits: limits)
        if let hit = lock.withLock({ entries[key] }) { return hit }
        // Compile outside the lock; a race only compiles the same pattern twice.
        let compiled: Result<OVALRegex, RegexError>
        do {
            compiled = .success(try OVALRegex(pattern, options: options, limits: limits))
        } catch let error as RegexError {
            compiled = .failure(error)
        } catch {
            compiled = .failure(RegexError(pattern: pattern, message: "\(error)"))
        }
        return lock.withLock {
            if let winner = entries[key] { return winner }
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = compiled
            return compiled
        }
    }
}
