import Foundation

/// A thread-safe memo: each key's value is computed once, by the first caller;
/// concurrent callers of the same key wait for that computation.
/// Callers must not form cycles (the evaluator refuses cyclic content up front, see
/// `ReferenceCheck`).
package final class OnceMap<Key: Hashable & Sendable, Value>: @unchecked Sendable {
    private let cond = NSCondition()
    private var done: [Key: Value] = [:]
    private var running: Set<Key> = []

    package init() {}

    package func value(_ key: Key, _ make: () -> Value) -> Value {
        cond.lock()
        while true {
            if let v = done[key] { cond.unlock(); return v }
            if !running.contains(key) { break }
            cond.wait()
        }
        running.insert(key)
        cond.unlock()
        let v = make()
        cond.lock()
        done[key] = v
        running.remove(key)
        cond.broadcast()
        cond.unlock()
        return v
    }

    /// The value if it has been computed.
    package func peek(_ key: Key) -> Value? {
        cond.lock()
        defer { cond.unlock() }
        return done[key]
    }
}
