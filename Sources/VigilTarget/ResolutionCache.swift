import Foundation

/// The directories of an offline root that were opened most recently, by the path they
/// were reached by (as the caller spelled it, with "//" collapsed), each with an open
/// descriptor and its canonical components. Resolving a path whose parent is here takes
/// one step from that descriptor instead of one step per component from the root: a walk
/// lists a directory and then looks at its entries, so its calls cost the same at any
/// depth. Holds at most `capacity` descriptors; the least recently used goes first.
///
/// A directory is found again through the descriptor, not the path: if a component of the
/// path is swapped for a link later, the cached directory (inside the root) is still the
/// one used, and `..` is resolved from the canonical components, never through the
/// file system's `..`, so nothing leads out of the root. The cache assumes the root does
/// not change during the scan (an image or a quiet file system): a directory renamed or
/// replaced after it was cached is still found under its old path.
final class ResolutionCache: @unchecked Sendable {
    private struct Entry {
        let fd: Int32
        let names: [String]
        var lastUse: UInt64
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    /// The most directories kept open.
    static let capacity = 64

    deinit { for entry in entries.values { close(entry.fd) } }

    /// Where to start resolving `path`: a duplicate descriptor of its parent directory
    /// (the caller closes it), the parent's canonical components, and the last component
    /// to resolve from there; nil when the parent is not cached or the path is not plain
    /// (".", ".." or a trailing slash).
    func start(for path: String) -> (fd: Int32, names: [String], rest: String)? {
        guard !path.hasSuffix("/"), let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let last = String(path[path.index(after: slash)...])
        guard !last.isEmpty, last != ".", last != "..", let key = ResolutionCache.key(String(path[..<slash])) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard var entry = entries[key] else { return nil }
        let fd = fcntl(entry.fd, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[key] = entry
        return (fd, entry.names, last)
    }

    /// Keeps a duplicate of directory descriptor `fd`, reached by `path`, whose canonical
    /// components are `names`.
    func insert(_ path: String, fd: Int32, names: [String]) {
        guard !names.isEmpty, let key = ResolutionCache.key(path) else { return }
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        if var known = entries[key] {
            known.lastUse = clock
            entries[key] = known
            return
        }
        if entries.count >= ResolutionCache.capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            close(oldest.value.fd)
            entries[oldest.key] = nil
        }
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { return }
        entries[key] = Entry(fd: copy, names: names, lastUse: clock)
    }

    /// The key of a plain absolute path ("//" collapsed), nil for one with "." or ".."
    /// components or a trailing slash, and for the root itself.
    static func key(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasSuffix("/") else { return nil }
        let parts = FileAccess.components(path)
        guard !parts.isEmpty, !parts.contains("."), !parts.contains("..") else { return nil }
        return "/" + parts.joined(separator: "/")
    }
}
