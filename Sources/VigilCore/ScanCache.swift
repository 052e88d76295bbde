/// A thread-safe memo of values computed once per scan (a parsed package database,
/// systemd unit data, a small file's content, an SSH configuration, the OpenSSL probe's
/// report, ...), keyed by name. The probes and the native checks (`NativeCache`) share it. Concurrent callers of
/// the same key wait for one computation (see `OnceMap`). Optional values are cached like
/// any other (nil included).
public final class ScanCache: @unchecked Sendable {
    private let values = OnceMap<String, Any>()

    public init() {}

    /// Returns the cached value for `key`, computing it with `make` the first time.
    /// A key must always be used with the same type.
    public func value<T>(_ key: String, _ make: () -> T) -> T {
        // Whoever asks for the key depends on what computing it read (`FootprintScope`).
        let stored = FootprintScope.track("c:\(ObjectIdentifier(self).hashValue):" + key) { values.value(key) { make() as Any } }
        guard let v = stored as? T else { preconditionFailure("ScanCache key \(key) used with two types") }
        return v
    }
}
