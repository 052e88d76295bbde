import Foundation

/// Resolves a path inside an offline root, one component at a time. It holds descriptors
/// for at most `heldLimit` of the directories it has entered (the innermost ones), so a
/// path of any depth needs a bounded number of descriptors; when `..` climbs back to a
/// directory whose descriptor was let go, that directory is opened again from the root by
/// its canonical names (every component with `O_NOFOLLOW`, so it stays inside the root).
final class ConfinedWalk {
    let rootFD: Int32
    /// Descriptors of the directories entered below the root, innermost last (-1: let go).
    private var fds: [Int32] = []
    /// Their names: the canonical path inside the root.
    private(set) var names: [String] = []
    /// Descriptors held in `fds`.
    private var held = 0
    /// Links followed so far; more than 40 is a loop (`ELOOP`), as in Linux.
    private var hops = 0

    /// The most directory descriptors one resolution holds.
    static let heldLimit = 16

    init(rootFD: Int32) { self.rootFD = rootFD }

    /// A walk standing in the directory `fd` (which it takes over), whose canonical
    /// components below the root are `names` (not empty).
    init(rootFD: Int32, at fd: Int32, names: [String]) {
        self.rootFD = rootFD
        self.fds = Array(repeating: -1, count: names.count - 1) + [fd]
        self.names = names
        self.held = 1
    }

    deinit { for fd in fds where fd >= 0 { close(fd) } }

    /// The directory the walk stands in.
    var dirFD: Int32 { fds.last ?? rootFD }

    private func enter(_ fd: Int32, _ name: String) {
        fds.append(fd)
        names.append(name)
        held += 1
        if held > ConfinedWalk.heldLimit, let oldest = fds.firstIndex(where: { $0 >= 0 }) {
            close(fds[oldest])
            fds[oldest] = -1
            held -= 1
        }
    }

    private func leave() {
        if let fd = fds.popLast(), fd >= 0 { close(fd); held -= 1 }
        names.removeLast()
    }

    private func leaveAll() {
        for fd in fds where fd >= 0 { close(fd) }
        fds = []
        names = []
        held = 0
    }

    /// Opens the innermost directory again when its descriptor was let go.
    private func reopenInnermost() -> TargetFailure? {
        guard let last = fds.indices.last, fds[last] < 0 else { return nil }
        var fd = rootFD
        for name in names {
            let next = FileAccess.openat(fd, name, FileAccess.oPath | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC)
            let code = errno
            if fd != rootFD { close(fd) }
            guard next >= 0 else { return TargetFailure(code) }
            fd = next
        }
        fds[last] = fd
        held += 1
        return nil
    }

    /// Walks `path`; on success the walk stands in the directory holding the final
    /// component and the result is that component's name ("." for the directory itself).
    func resolve(_ path: String, followLast: Bool) -> Result<String, TargetFailure> {
        var pending = Array(FileAccess.components(path).reversed())
        if path.hasSuffix("/") && !pending.isEmpty { pending.insert(".", at: 0) }
        while let comp = pending.popLast() {
            if comp == "." { continue }
            if comp == ".." {
                if !names.isEmpty { leave() }
                if let failure = reopenInnermost() { return .failure(failure) }
                continue
            }
            let isLast = pending.isEmpty
            let fd = FileAccess.openat(dirFD, comp, FileAccess.oPath | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return .failure(TargetFailure(errno)) }
            var st = stat()
            guard fstat(fd, &st) == 0 else {
                let failure = TargetFailure(errno)
                close(fd)
                return .failure(failure)
            }
            let type = st.st_mode & S_IFMT
            if type == S_IFLNK {
                if isLast && !followLast { close(fd); return .success(comp) }
                hops += 1
                let dest = hops > 40 ? nil : FileAccess.readLinkAt(fd, "")
                close(fd)
                guard hops <= 40 else { return .failure(TargetFailure(ELOOP)) }
                guard let dest, !dest.isEmpty else { return .failure(TargetFailure(ENOENT)) }
                if dest.hasPrefix("/") { leaveAll() }
                var parts = FileAccess.components(dest)
                if dest.hasSuffix("/") && !parts.isEmpty { parts.append(".") }
                pending.append(contentsOf: parts.reversed())
                continue
            }
            if isLast { close(fd); return .success(comp) }
            guard type == S_IFDIR else { close(fd); return .failure(TargetFailure(ENOTDIR)) }
            enter(fd, comp)
        }
        return .success(".")
    }
}
