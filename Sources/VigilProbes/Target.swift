import Foundation

/// The system a scan reads: the live host (`/`) or an offline root such as a mounted
/// image (`--root DIR`). Every probe reads through a `Target`, never through raw
/// absolute paths. Paths given to a target are absolute paths *inside* it.
///
/// On an offline root, every path is resolved one component at a time through directory
/// descriptors (`openat` with `O_NOFOLLOW`): symbolic links are read and followed by Vigil
/// itself, absolute link targets restart at the root, and `..` never climbs above it. The
/// final open or `stat` is made relative to the descriptor of the resolved directory, so a
/// link swapped in during the scan cannot lead out of the root either. Resolution holds a
/// bounded number of descriptors at any depth, and starts from a recently opened parent
/// directory when there is one (`ResolutionCache`). On the live host the kernel resolves
/// paths directly (there is nothing to escape), which keeps reads fast.
///
/// Paths are `String`s that stand for bytes (`PathBytes`): names that are not UTF-8 are
/// listed, opened and reported without losing a byte. Only regular files are read.
public struct Target: Sendable {
    /// The root directory on the host, without a trailing slash ("" for the live host).
    public let rootPrefix: String
    /// True for the running host, false for an offline root.
    public let isLive: Bool
    /// The open root directory of an offline root (nil on the live host).
    let root: RootDescriptor?

    /// The live host.
    public static let host = Target(rootPrefix: "", isLive: true)

    /// The most bytes `readFile` returns before it reports the file as too large.
    public static let defaultReadLimit = 512 << 20

    /// An offline root file system at `directory`.
    public init(root directory: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw TargetError(path: directory, message: "not a directory")
        }
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        self.init(rootPrefix: real == "/" ? "" : real, isLive: real == "/")
        if !isLive && root == nil {
            throw TargetError(path: directory, message: "cannot open: \(TargetFailure(errno))")
        }
    }

    init(rootPrefix: String, isLive: Bool) {
        self.rootPrefix = rootPrefix
        self.isLive = isLive
        self.root = rootPrefix.isEmpty ? nil : RootDescriptor(path: rootPrefix)
    }

    /// A label for messages and reports: "/" or the root directory.
    public var label: String { rootPrefix.isEmpty ? "/" : rootPrefix }

    // MARK: Reading

    /// The host path of `path` (inside the target) with every symbolic link resolved
    /// inside the root, including the last component unless `followLast` is false.
    /// Returns nil when a component does not exist or links loop. Prefer the reading
    /// functions of `Target`: a host path can be re-resolved differently later.
    public func resolve(_ path: String, followLast: Bool = true) -> String? {
        if rootPrefix.isEmpty {
            // The live host: the kernel resolves links and there is nothing to escape.
            return Target.normalize(path)
        }
        guard case .success(let hostPath) = withLocation(path, followLast: followLast, { loc in
            rootPrefix + loc.insidePath
        }) else { return nil }
        return hostPath
    }

    /// The canonical path of `path` inside the target (every link resolved, as `realpath`),
    /// or the reason it has none (`ENOENT`, `ELOOP`, `ENOTDIR`, ...).
    public func canonicalPath(_ path: String) -> Result<String, TargetFailure> {
        if rootPrefix.isEmpty {
            guard let real = PathBytes.withCString(Target.absolute(path), { realpath($0, nil) }) else {
                return .failure(TargetFailure(errno))
            }
            defer { free(real) }
            return .success(PathBytes.string(UnsafeBufferPointer(start: real, count: strlen(real)).map { UInt8(bitPattern: $0) }))
        }
        return withLocation(path, followLast: true) { $0.insidePath }
    }

    /// Reads a whole regular file (following links inside the root). Throws when it cannot
    /// be opened or read, is a directory, or holds more than `limit` bytes.
    public func readFile(_ path: String, limit: Int = Target.defaultReadLimit) throws -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        return try Target.readAll(fd, path: path, limit: limit)
    }

    /// Reads a file as UTF-8 text (invalid bytes replaced), or nil when it cannot be read.
    public func readText(_ path: String) -> String? {
        guard let bytes = try? readFile(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Opens `path` for reading (following links inside the root) and passes the descriptor
    /// to `body`, for streaming readers such as hash functions. The descriptor is closed after.
    public func withOpenFile<T>(_ path: String, _ body: (Int32) throws -> T) throws -> T {
        let fd = try openForReading(path)
        defer { close(fd) }
        return try body(fd)
    }

    /// `stat` (following links inside the root) or `lstat` (`followLinks: false`).
    public func fileInfo(_ path: String, followLinks: Bool = true) -> FileInfo? {
        try? statResult(path, followLinks: followLinks).get()
    }

    /// `stat` or `lstat` as `fileInfo`, with the reason when it fails.
    public func statResult(_ path: String, followLinks: Bool = true) -> Result<FileInfo, TargetFailure> {
        let outcome = withLocation(path, followLast: followLinks) { loc -> Result<FileInfo, TargetFailure> in
            var st = stat()
            let flags = loc.kernelFollows ? 0 : AT_SYMLINK_NOFOLLOW
            guard PathBytes.withCString(loc.name, { fstatat(loc.dirFD, $0, &st, flags) }) == 0 else {
                return .failure(TargetFailure(errno))
            }
            return .success(FileInfo(st))
        }
        switch outcome {
        case .success(let inner): return inner
        case .failure(let failure): return .failure(failure)
        }
    }

    /// Names in a directory (without "." and ".."), or nil when it is not a readable directory.
    public func listDirectory(_ path: String) -> [String]? {
        try? readDirectory(path, withInfo: false).get().map(\.name)
    }

    /// The entries of a directory with what `lstat` says of each (nil where it failed), in
    /// the order the file system returns them; fails when it is not a readable directory.
    public func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        readDirectory(path, withInfo: true)
    }

    /// The target of a symbolic link as stored (not resolved), or nil.
    public func readLink(_ path: String) -> String? {
        let outcome = withLocation(path, followLast: false) { loc in
            Target.readLinkAt(loc.dirFD, loc.name)
        }
        return (try? outcome.get()) ?? nil
    }

    /// Whether the file (links followed) has a POSIX ACL beyond its mode bits, as libacl's
    /// `acl_extended_file` decides: an access ACL larger than the three base entries, or a
    /// default ACL. Nil when that cannot be read (no such file, no xattr support, ...).
    public func hasExtendedACL(_ path: String) -> Bool? {
        if rootPrefix.isEmpty {
            return Target.extendedACL(at: Target.absolute(path))
        }
        let outcome = withLocation(path, followLast: true) { loc -> Bool? in
            guard Target.procSelfFDAvailable else {
                // Without /proc the descriptor cannot be named; use the resolved host path.
                return Target.extendedACL(at: rootPrefix + loc.insidePath)
            }
            let fd = Target.openat(loc.dirFD, loc.name, Target.oPath | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return Target.extendedACL(at: "/proc/self/fd/\(fd)")
        }
        return (try? outcome.get()) ?? nil
    }

    // MARK: Host facts

    /// The mount table of the machine running the scan (`/proc/self/mounts`): OpenSCAP reads
    /// the host's table for `recurse_file_system="local"` even with an offline root, since
    /// the files it walks live on the host's devices. Nil when it cannot be read.
    public static func scannerMountTable() -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/self/mounts") else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The device number of a mount point on the machine running the scan.
    static func scannerDevice(ofMountPoint path: String) -> UInt64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt64(st.st_dev)
    }

    // MARK: Resolution

    /// Where a path inside the target lives: a directory descriptor and a name in it.
    struct Location {
        /// The directory holding the file (`AT_FDCWD` on the live host).
        let dirFD: Int32
        /// The final component ("." for the directory itself; a whole path on the live host).
        let name: String
        /// The canonical components inside the root (offline roots), or the absolute path
        /// (live host).
        fileprivate let canonical: Either
        /// True on the live host when the kernel should follow a final link.
        let kernelFollows: Bool

        fileprivate enum Either {
            case names([String])
            case path(String)
        }

        /// The canonical path inside the root (offline roots only; on the live host the
        /// path as given, made absolute).
        var insidePath: String {
            switch canonical {
            case .names(let names): return "/" + names.joined(separator: "/")
            case .path(let path): return path
            }
        }
    }

    /// Resolves `path` and runs `body` with its location while the descriptors are open.
    /// On an offline root, resolution starts from a directory resolved recently when one
    /// holds the path (see `ResolutionCache`), so that a walk's calls cost one step each.
    func withLocation<T>(_ path: String, followLast: Bool, _ body: (Location) -> T) -> Result<T, TargetFailure> {
        if rootPrefix.isEmpty {
            let abs = Target.absolute(path)
            return .success(body(Location(dirFD: AT_FDCWD, name: abs, canonical: .path(abs), kernelFollows: followLast)))
        }
        guard let root else { return .failure(TargetFailure(EBADF)) }
        let walk: ConfinedWalk
        var rest = path
        if let start = root.cache.start(for: path) {
            walk = ConfinedWalk(rootFD: root.fd, at: start.fd, names: start.names)
            rest = start.rest
        } else {
            walk = ConfinedWalk(rootFD: root.fd)
        }
        switch walk.resolve(rest, followLast: followLast) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let name):
            let names = walk.names + (name == "." ? [] : [name])
            return .success(body(Location(dirFD: walk.dirFD, name: name, canonical: .names(names), kernelFollows: false)))
        }
    }

    /// Remembers an open directory of an offline root under the path it was reached by.
    private func remember(_ path: String, directory fd: Int32, location: Location) {
        guard let root, case .names(let names) = location.canonical else { return }
        root.cache.insert(path, fd: fd, names: names)
    }

    /// Opens a regular file for reading. The file is looked at (`O_PATH`) before it is
    /// opened: opening a device, fifo or socket has effects of its own (and on an offline
    /// root a device node names a device of the scanning host), so those are refused.
    private func openForReading(_ path: String) throws -> Int32 {
        let outcome = withLocation(path, followLast: true) { loc -> Result<Int32, TargetError> in
            var flags = Target.oPath | O_CLOEXEC
            if !loc.kernelFollows { flags |= O_NOFOLLOW }
            let handle = Target.openat(loc.dirFD, loc.name, flags)
            guard handle >= 0 else { return .failure(Target.openError(path, TargetFailure(errno))) }
            defer { close(handle) }
            var st = stat()
            guard fstat(handle, &st) == 0 else { return .failure(Target.openError(path, TargetFailure(errno))) }
            let info = FileInfo(st)
            if info.isDirectory { return .failure(TargetError(path: path, message: "is a directory", kind: .directory)) }
            guard info.isRegular else {
                return .failure(TargetError(path: path, message: "not a regular file (\(info.typeName)): not read",
                                            kind: .notRegular))
            }
            // Open the very file looked at: through its descriptor, or by name again and
            // checked to be the same file.
            let readFlags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY
            let fd = Target.procSelfFDAvailable
                ? open("/proc/self/fd/\(handle)", readFlags)
                : Target.openat(loc.dirFD, loc.name, readFlags | (loc.kernelFollows ? 0 : O_NOFOLLOW))
            guard fd >= 0 else { return .failure(Target.openError(path, TargetFailure(errno))) }
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
        switch outcome {
        case .failure(let f): throw Target.openError(path, f)
        case .success(.failure(let error)): throw error
        case .success(.success(let fd)): return fd
        }
    }

    private static func openError(_ path: String, _ f: TargetFailure) -> TargetError {
        f.code == ENOENT ? TargetError(path: path, message: "no such file", kind: .notFound)
            : TargetError(path: path, message: "cannot open: \(f)")
    }

    private func readDirectory(_ path: String, withInfo: Bool) -> Result<[DirectoryEntry], TargetFailure> {
        let outcome = withLocation(path, followLast: true) { loc -> Result<[DirectoryEntry], TargetFailure> in
            var flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC
            if !loc.kernelFollows { flags |= O_NOFOLLOW }
            let fd = Target.openat(loc.dirFD, loc.name, flags)
            guard fd >= 0 else { return .failure(TargetFailure(errno)) }
            remember(path, directory: fd, location: loc)
            guard let dir = fdopendir(fd) else {
                let failure = TargetFailure(errno)
                close(fd)
                return .failure(failure)
            }
            defer { closedir(dir) }
            var entries: [DirectoryEntry] = []
            while true {
                errno = 0
                guard let ent = readdir(dir) else {
                    // End of the listing, or a failure part-way (which must not pass as the end).
                    if errno != 0 { return .failure(TargetFailure(errno)) }
                    break
                }
                var statFailure: Int32 = 0
                let entry: DirectoryEntry? = withUnsafePointer(to: ent.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { cname -> DirectoryEntry? in
                        let length = strlen(cname)
                        if length == 1 && cname[0] == 0x2E { return nil }
                        if length == 2 && cname[0] == 0x2E && cname[1] == 0x2E { return nil }
                        let name = PathBytes.string(UnsafeRawBufferPointer(start: cname, count: length))
                        var info: FileInfo?
                        if withInfo {
                            var st = stat()
                            if fstatat(fd, cname, &st, AT_SYMLINK_NOFOLLOW) == 0 {
                                info = FileInfo(st)
                            } else if errno != ENOENT {
                                statFailure = errno   // not an entry removed meanwhile
                            }
                        }
                        return DirectoryEntry(name: name, info: info)
                    }
                }
                // An entry that cannot be looked at fails the listing: it could be a
                // directory whose whole subtree would otherwise go unseen.
                if statFailure != 0 { return .failure(TargetFailure(statFailure)) }
                if let entry { entries.append(entry) }
            }
            return .success(entries)
        }
        switch outcome {
        case .success(let inner): return inner
        case .failure(let failure): return .failure(failure)
        }
    }

    // MARK: Low-level helpers

    /// `O_PATH` (not exported by Swift's Glibc module).
    static let oPath: Int32 = 0o10000000

    /// Whether open descriptors can be named as /proc/self/fd/N on the scanning host.
    static let procSelfFDAvailable: Bool = {
        var st = stat()
        return stat("/proc/self/fd", &st) == 0
    }()

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

    static func readLinkRaw(_ hostPath: String) -> String? {
        readLinkAt(AT_FDCWD, hostPath)
    }

    private typealias GetXattrFunction = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                                                         UnsafeMutableRawPointer?, Int) -> Int
    /// `getxattr(2)` from the C library (its header is not in Swift's Glibc module).
    private static let getxattrFunction: GetXattrFunction? = {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "getxattr") else { return nil }
        return unsafeBitCast(sym, to: GetXattrFunction.self)
    }()

    /// libacl's `acl_extended_file` on a host path (links followed).
    static func extendedACL(at hostPath: String) -> Bool? {
        guard let getxattr = getxattrFunction else { return nil }
        let baseSize = 4 + 3 * 8  // ACL xattr header + the three base entries
        let access = PathBytes.withCString(hostPath) { getxattr($0, "system.posix_acl_access", nil, 0) }
        if access < 0 && errno != ENODATA { return nil }
        if access > baseSize { return true }
        let dflt = PathBytes.withCString(hostPath) { getxattr($0, "system.posix_acl_default", nil, 0) }
        if dflt < 0 && errno != ENODATA { return nil }
        return dflt >= baseSize
    }

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

/// The open root directory of an offline target, closed when the last copy goes away.
final class RootDescriptor: Sendable {
    let fd: Int32
    /// Directories resolved recently, to resolve paths below them in one step.
    let cache = ResolutionCache()

    init?(path: String) {
        let fd = PathBytes.withCString(path) { open($0, Target.oPath | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }
}

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
            let next = Target.openat(fd, name, Target.oPath | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC)
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
        var pending = Array(Target.components(path).reversed())
        if path.hasSuffix("/") && !pending.isEmpty { pending.insert(".", at: 0) }
        while let comp = pending.popLast() {
            if comp == "." { continue }
            if comp == ".." {
                if !names.isEmpty { leave() }
                if let failure = reopenInnermost() { return .failure(failure) }
                continue
            }
            let isLast = pending.isEmpty
            let fd = Target.openat(dirFD, comp, Target.oPath | O_NOFOLLOW | O_CLOEXEC)
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
                let dest = hops > 40 ? nil : Target.readLinkAt(fd, "")
                close(fd)
                guard hops <= 40 else { return .failure(TargetFailure(ELOOP)) }
                guard let dest, !dest.isEmpty else { return .failure(TargetFailure(ENOENT)) }
                if dest.hasPrefix("/") { leaveAll() }
                var parts = Target.components(dest)
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

/// One entry of a directory listing: its name and what `lstat` says of it.
public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    /// Nil when `lstat` failed.
    public var info: FileInfo?

    public init(name: String, info: FileInfo?) {
        self.name = name
        self.info = info
    }
}

/// What `stat` says of a file, in the terms probes need.
public struct FileInfo: Sendable, Equatable {
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    public var size: Int64
    public var device: UInt64
    public var inode: UInt64
    public var accessTime: Int64
    public var modifyTime: Int64
    public var changeTime: Int64

    init(mode: UInt32, uid: UInt32, gid: UInt32, size: Int64, device: UInt64, inode: UInt64,
         accessTime: Int64, modifyTime: Int64, changeTime: Int64) {
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.device = device
        self.inode = inode
        self.accessTime = accessTime
        self.modifyTime = modifyTime
        self.changeTime = changeTime
    }

    init(_ st: stat) {
        mode = UInt32(st.st_mode)
        uid = st.st_uid
        gid = st.st_gid
        size = Int64(st.st_size)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        accessTime = Int64(st.st_atim.tv_sec)
        modifyTime = Int64(st.st_mtim.tv_sec)
        changeTime = Int64(st.st_ctim.tv_sec)
    }

    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    public var isRegular: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    public var isSymlink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }

    /// The file type as OVAL's unix file_item names it ("regular", "directory",
    /// "symbolic link", "block special", "fifo", "socket", "character special").
    public var typeName: String {
        switch mode & UInt32(S_IFMT) {
        case UInt32(S_IFREG): return "regular"
        case UInt32(S_IFDIR): return "directory"
        case UInt32(S_IFLNK): return "symbolic link"
        case UInt32(S_IFBLK): return "block special"
        case UInt32(S_IFIFO): return "fifo"
        case UInt32(S_IFSOCK): return "socket"
        case UInt32(S_IFCHR): return "character special"
        default: return "unknown"
        }
    }

    /// Whether a permission or mode bit (`S_ISUID`, `S_IRUSR`, ...) is set.
    public func has(_ bit: mode_t) -> Bool { mode & UInt32(bit) != 0 }
}

/// An `errno` value from a failed system call, with its message.
public struct TargetFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: Int32
    public init(_ code: Int32) { self.code = code }
    public var description: String { String(cString: strerror(code)) }
}

/// An error reading through a `Target`.
public struct TargetError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for callers that treat some cases apart.
    public enum Kind: Sendable, Equatable {
        case notFound, directory, notRegular, tooLarge, other
    }
    public let path: String
    public let message: String
    public let kind: Kind
    public init(path: String, message: String, kind: Kind = .other) {
        self.path = path
        self.message = message
        self.kind = kind
    }
    /// The path (non-UTF-8 bytes written `\xNN`) and the message.
    public var description: String { "\(PathBytes.display(path)): \(message)" }
}
