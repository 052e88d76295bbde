import Foundation

/// An offline root file system, such as a mounted image (`--root DIR`), read as OpenSCAP
/// reads one under `OSCAP_PROBE_ROOT`: it has files but no running kernel or system bus.
///
/// Every path is resolved one component at a time through directory descriptors (`openat`
/// with `O_NOFOLLOW`, see `ConfinedWalk`): symbolic links are read and followed by Vigil
/// itself, absolute link targets restart at the root, and `..` never climbs above it. The
/// final open or `stat` is made relative to the descriptor of the resolved directory, so a
/// link swapped in during the scan cannot lead out of the root either. Resolution starts
/// from a recently opened parent directory when there is one (`ResolutionCache`).
public struct RootTarget: Target {
    /// The root directory on the host, every link resolved ("/" for the host's root).
    public let directory: String
    public let capabilities: TargetCapabilities
    /// The open root directory.
    let root: RootDescriptor
    /// `directory` as a prefix of host paths ("" for "/").
    private var prefix: String { directory == "/" ? "" : directory }

    /// The offline root at `directory`. Throws when it is not a directory or cannot be opened.
    public init(_ directory: String) throws {
        try self.init(directory, capabilities: [])
    }

    /// The root at `directory` answering as if it had `capabilities` (tests read a
    /// fixture's `/proc` as a running system's).
    package init(_ directory: String, capabilities: TargetCapabilities) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw TargetError(path: directory, message: "not a directory")
        }
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard let root = RootDescriptor(path: real) else {
            throw TargetError(path: directory, message: "cannot open: \(TargetFailure(errno))")
        }
        self.directory = real
        self.root = root
        self.capabilities = capabilities
    }

    public var kind: TargetKind { .root }
    public var reference: String { directory }
    public var label: String { directory }
    public var pathSpelling: TargetPathSpelling { .underRoot }

    public func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        try withLocation(path, followLast: true) { loc in
            Result { try FileAccess.readFile(loc.dirFD, loc.name, follow: false, path: path, limit: limit) }
        }.mapError { TargetError.cannotOpen(path, $0) }.get().get()
    }

    public func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T {
        let fd = try withLocation(path, followLast: true) { loc in
            FileAccess.openRegular(loc.dirFD, loc.name, follow: false, path: path)
        }.mapError { TargetError.cannotOpen(path, $0) }.get().get()
        defer { close(fd) }
        return try body(TargetFile(fd: fd, path: path))
    }

    public func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        withLocation(path, followLast: followLinks) { FileAccess.statAt($0.dirFD, $0.name, follow: false) }.flatMap { $0 }
    }

    public func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        readDirectory(path, withInfo: true)
    }

    public func listDirectory(_ path: String) -> [String]? {
        try? readDirectory(path, withInfo: false).get().map(\.name)
    }

    public func readLink(_ path: String) -> String? {
        (try? withLocation(path, followLast: false) { FileAccess.readLinkAt($0.dirFD, $0.name) }.get()) ?? nil
    }

    public func canonicalPath(_ path: String) -> Result<String, TargetFailure> {
        withLocation(path, followLast: true) { $0.insidePath }
    }

    public func hasExtendedACL(_ path: String) -> Bool? {
        let outcome = withLocation(path, followLast: true) { loc -> Bool? in
            guard FileAccess.procSelfFDAvailable else {
                // Without /proc the descriptor cannot be named; use the resolved host path.
                return FileAccess.extendedACL(at: prefix + loc.insidePath)
            }
            let fd = FileAccess.openat(loc.dirFD, loc.name, FileAccess.oPath | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            return FileAccess.extendedACL(at: "/proc/self/fd/\(fd)")
        }
        return (try? outcome.get()) ?? nil
    }

    /// `fstatvfs` of the resolved file, opened with `O_PATH` (nothing is read from it).
    public func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> {
        withLocation(path, followLast: true) { loc -> Result<FileSystemStatistics, TargetFailure> in
            let fd = FileAccess.openat(loc.dirFD, loc.name, FileAccess.oPath | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { return .failure(TargetFailure(errno)) }
            defer { close(fd) }
            var st = statvfs()
            guard fstatvfs(fd, &st) == 0 else { return .failure(TargetFailure(errno)) }
            return .success(FileSystemStatistics(st))
        }.flatMap { $0 }
    }

    /// The path on the scanning host of `path`, every link resolved inside the root (the
    /// last one unless `followLast` is false); nil when a component does not exist or links
    /// loop. Only for tests and messages: readers go through the target's functions.
    package func resolve(_ path: String, followLast: Bool = true) -> String? {
        try? withLocation(path, followLast: followLast) { prefix + $0.insidePath }.get()
    }

    // MARK: Resolution

    /// Where a path inside the root lives: a directory descriptor and a name in it.
    struct Location {
        /// The directory holding the file.
        let dirFD: Int32
        /// The final component ("." for the directory itself).
        let name: String
        /// The canonical components inside the root.
        let names: [String]

        /// The canonical path inside the root.
        var insidePath: String { "/" + names.joined(separator: "/") }
    }

    /// Resolves `path` and runs `body` with its location while the descriptors are open.
    /// Resolution starts from a directory resolved recently when one holds the path (see
    /// `ResolutionCache`), so that a walk's calls cost one step each.
    func withLocation<T>(_ path: String, followLast: Bool, _ body: (Location) -> T) -> Result<T, TargetFailure> {
        let walk: ConfinedWalk
        var rest = path
        if let start = root.cache.start(for: path) {
            walk = ConfinedWalk(rootFD: root.fd, at: start.fd, names: start.names)
            rest = start.rest
        } else {
            walk = ConfinedWalk(rootFD: root.fd)
        }
        return walk.resolve(rest, followLast: followLast).map { name in
            body(Location(dirFD: walk.dirFD, name: name, names: walk.names + (name == "." ? [] : [name])))
        }
    }

    private func readDirectory(_ path: String, withInfo: Bool) -> Result<[DirectoryEntry], TargetFailure> {
        withLocation(path, followLast: true) { loc in
            FileAccess.readDirectory(loc.dirFD, loc.name, follow: false, withInfo: withInfo) { fd in
                // Remember the directory under the path it was reached by.
                root.cache.insert(path, fd: fd, names: loc.names)
            }
        }.flatMap { $0 }
    }
}

/// The open root directory of an offline target, closed when the last copy goes away.
final class RootDescriptor: Sendable {
    let fd: Int32
    /// Directories resolved recently, to resolve paths below them in one step.
    let cache = ResolutionCache()

    init?(path: String) {
        let fd = PathBytes.withCString(path) { open($0, FileAccess.oPath | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }
}
