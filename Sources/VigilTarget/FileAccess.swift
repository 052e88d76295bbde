import CVigilSystem
import Foundation

/// The system calls both file-system targets make once a path is located: a directory
/// descriptor (`AT_FDCWD` on the live host) and a name in it, followed by the kernel when
/// `follow` is true (on an offline root links are followed by `ConfinedWalk`, never by the
/// kernel). Also the lexical path helpers they share.
enum FileAccess {
    /// `O_PATH` (from the C shim: Swift's Glibc module does not export it).
    static let oPath: Int32 = vigil_o_path()

    /// Whether open descriptors can be named as /proc/self/fd/N on the scanning host.
    static let procSelfFDAvailable: Bool = {
        var st = stat()
        return stat("/proc/self/fd", &st) == 0
    }()

    /// `stat` or `lstat` of `name` in `dirFD`.
    static func statAt(_ dirFD: Int32, _ name: String, follow: Bool) -> Result<FileInfo, TargetFailure> {
        var st = stat()
        let flags = follow ? 0 : AT_SYMLINK_NOFOLLOW
        guard PathBytes.withCString(name, { fstatat(dirFD, $0, &st, flags) }) == 0 else {
            return .failure(TargetFailure(errno))
        }
        return .success(FileInfo(st))
    }

    /// Opens a regular file for reading. The file is looked at (`O_PATH`) before it is
    /// opened: opening a device, fifo or socket has effects of its own (and on an offline
    /// root a device node names a device of the scanning host), so those are refused.
    /// `path` is the path inside the target, for messages.
    static func openRegular(_ dirFD: Int32, _ name: String, follow: Bool, path: String) -> Result<Int32, TargetError> {
        let nofollow = follow ? 0 : O_NOFOLLOW
        let handle = openat(dirFD, name, oPath | O_CLOEXEC | nofollow)
        guard handle >= 0 else { return .failure(TargetError.cannotOpen(path, TargetFailure(errno))) }
        defer { close(handle) }
        var st = stat()
        guard fstat(handle, &st) == 0 else { return .failure(TargetError.cannotOpen(path, TargetFailure(errno))) }
        let info = FileInfo(st)
        if info.isDirectory { return .failure(TargetError(path: path, message: "is a directory", kind: .directory)) }
        guard info.isRegular else {
            return .failure(TargetError(path: path, message: "not a regular file (\(info.typeName)): not read",
                                        kind: .notRegular))
        }
        // Open the very file looked at: through its descriptor, or by name again and
        // checked to be the same file.
        let readFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY
        let fd = procSelfFDAvailable ? open("/proc/self/fd/\(handle)", readFlags) : openat(dirFD, name, readFlags | nofollow)
        guard fd >= 0 else { return .failure(TargetError.cannotOpen(path, TargetFailure(errno))) }
        var again = stat()
        guard fstat(fd, &again) == 0, again.st_ino == st.st_ino, again.st_dev == st.st_dev else {
            close(fd)
            return .failure(TargetError(path: path, message: "changed while it was opened"))
        }
        // Back to blocking reads: a regular file never blocks, and a read that answered
        // EAGAIN would otherwise end the file early.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return .success(fd)
    }


    /// Reads everything from `fd`, failing past `limit` bytes.
    static func readAll(_ fd: Int32, path: String, limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                // Anything else (EAGAIN included) is an error, never an early end of file.
                throw TargetError(path: path, message: "cannot read: \(TargetFailure(errno))")
            }
            if n == 0 { break }
            if out.count + n > limit {
                throw TargetError(path: path, message: "file too large (over \(limit) bytes)", kind: .tooLarge)
            }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Opens and reads a regular file whole (see `openRegular`).
    static func readFile(_ dirFD: Int32, _ name: String, follow: Bool, path: String, limit: Int) throws -> [UInt8] {
        let fd = try openRegular(dirFD, name, follow: follow, path: path).get()
        defer { close(fd) }
        return try readAll(fd, path: path, limit: limit)
    }

    /// The target of the symbolic link `name` in `dirFD`, as stored.
    static func readLinkAt(_ dirFD: Int32, _ name: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = PathBytes.withCString(name) { readlinkat(dirFD, $0, &buf, 4096) }
        guard n >= 0 else { return nil }
        return PathBytes.string(buf[0..<n].map { UInt8(bitPattern: $0) })
    }

    /// `openat(2)` with a path string made by `PathBytes`.
    static func openat(_ dirFD: Int32, _ name: String, _ flags: Int32) -> Int32 {
        PathBytes.withCString(name) { Glibc.openat(dirFD, $0, flags) }
    }

    /// libacl's `acl_extended_file` on a host path (links followed): an access ACL larger
    /// than the three base entries, or a default ACL.
    static func extendedACL(at hostPath: String) -> Bool? {
        let baseSize = 4 + 3 * 8  // ACL xattr header + the three base entries
        let access = PathBytes.withCString(hostPath) { getxattr($0, "system.posix_acl_access", nil, 0) }
        if access < 0 && errno != ENODATA { return nil }
        if access > baseSize { return true }
        let dflt = PathBytes.withCString(hostPath) { getxattr($0, "system.posix_acl_default", nil, 0) }
        if dflt < 0 && errno != ENODATA { return nil }
        return dflt >= baseSize
    }

    // MARK: Paths

    /// The components of a path ("//" and a trailing slash give no empty component).
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// `path` made absolute ("/" prepended to a relative path).
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "/" + path
    }

    /// Collapses "//", "." and ".." lexically; always absolute.
    static func normalize(_ path: String) -> String {
        var out: [String] = []
        for c in components(path) {
            if c == "." { continue }
            if c == ".." { _ = out.popLast(); continue }
            out.append(c)
        }
        return "/" + out.joined(separator: "/")
    }
}
