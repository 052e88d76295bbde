import Foundation

/// A thread-safe memo of values computed once per scan (a parsed package database,
/// systemd unit data, ...). Concurrent callers of the same key wait for one
/// computation. Optional values are cached like any other (nil included).
public final class ScanCache: @unchecked Sendable {
    private let cond = NSCondition()
    private var values: [String: Any] = [:]
    private var running: Set<String> = []

    public init() {}

    /// Returns the cached value for `key`, computing it with `make` the first time.
    /// A key must always be used with the same type.
    public func value<T>(_ key: String, _ make: () -> T) -> T {
        cond.lock()
        while true {
            if let stored = values[key] {
                cond.unlock()
                guard let v = stored as? T else { preconditionFailure("ScanCache key \(key) used with two types") }
                return v
            }
            if !running.contains(key) { break }
            cond.wait()
        }
        running.insert(key)
        cond.unlock()
        let v = make()
        cond.lock()
        values[key] = v as Any
        running.remove(key)
        cond.broadcast()
        cond.unlock()
        return v
    }
}
