import Foundation

/// An inotify instance (Linux): directories watched for the changes a rule's verdict can
/// follow, and the events read back as host paths.
final class Inotify {
    let fd: Int32
    /// Host directory by watch descriptor, and back.
    private(set) var directoryOf: [Int32: String] = [:]
    private var descriptorOf: [String: Int32] = [:]

    /// What is watched: a file written and closed, created, removed, renamed in or out,
    /// its attributes (mode, owner, links) changed; the directory itself removed or moved.
    static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MOVED_FROM
                             | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)

    init() throws {
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw ChangeMonitorError.inotify("inotify_init1: " + String(cString: strerror(errno))) }
    }

    deinit { close(fd) }

    /// Watches exactly `directories` (adding new ones, removing the others); returns the
    /// directories that could not be watched, with the reason.
    func watch(_ directories: [String]) -> [(String, String)] {
        let keep = Set(directories)
        for (dir, wd) in descriptorOf where !keep.contains(dir) {
            inotify_rm_watch(fd, wd)
            forget(wd)
        }
        var failed: [(String, String)] = []
        for dir in directories where descriptorOf[dir] == nil {
            let wd = inotify_add_watch(fd, dir, Self.mask)
            if wd < 0 { failed.append((dir, String(cString: strerror(errno)))); continue }
            if let old = directoryOf[wd] { descriptorOf[old] = nil }
            directoryOf[wd] = dir
            descriptorOf[dir] = wd
        }
        return failed
    }

    var count: Int { descriptorOf.count }

    private func forget(_ wd: Int32) {
        if let dir = directoryOf.removeValue(forKey: wd), descriptorOf[dir] == wd { descriptorOf[dir] = nil }
    }

    /// What one read returned.
    struct Batch {
        /// Host paths changed (a directory's own path for events on itself).
        var paths: Set<String> = []
        /// The kernel's queue overflowed: events were lost.
        var overflow = false
    }

    /// Reads the events waiting (without blocking).
    func read() -> Batch {
        var batch = Batch()
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = Glibc.read(fd, buffer, size)
            if n <= 0 { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = buffer + offset + MemoryLayout<inotify_event>.size
                let nameLength = Int(event.len)
                offset += MemoryLayout<inotify_event>.size + nameLength
                if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { batch.overflow = true; continue }
                guard let dir = directoryOf[event.wd] else { continue }
                let name = nameLength > 0 ? String(cString: nameStart.assumingMemoryBound(to: CChar.self)) : ""
                batch.paths.insert(name.isEmpty ? dir : (dir == "/" ? "/" : dir + "/") + name)
                if event.mask & UInt32(IN_IGNORED) != 0 { forget(event.wd) }
            }
        }
        return batch
    }
}
