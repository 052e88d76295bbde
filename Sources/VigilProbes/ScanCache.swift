import Foundation

/// A thread-safe memo of values computed once per scan (a parsed package database,
/// systemd unit data, ...). Concurrent callers of the same key wait for one computation.
public final class ScanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Any] = [:]
    private var inFlight: [String: NSCondition] = [:]

    public init() {}

    /// Returns the cached value for `key`, computing it with `make` the first time.
    public func value<T>(_ key: String, _ make: () -> T) -> T {
        lock.lock()
        if let v = values[key] as? T { lock.unlock(); return v }
        if let cond = inFlight[key] {
            lock.unlock()
            cond.lock()
            while true {
                lock.lock()
                if let v = values[key] as? T { lock.unlock(); cond.unlock(); return v }
                lock.unlock()
                cond.wait()
            }
        }
        let cond = NSCondition()
        inFlight[key] = cond
        lock.unlock()
        let v = make()
        lock.lock()
        values[key] = v
        inFlight[key] = nil
        lock.unlock()
        cond.lock()
        cond.broadcast()
        cond.unlock()
        return v
    }
}
