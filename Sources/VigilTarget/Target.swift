import Foundation

/// The system a scan reads: the live host (`HostTarget`), an offline root directory such
/// as a mounted image (`RootTarget`, `--root DIR`), or any other kind a library user adds.
/// Every probe reads through a `Target`, never through raw absolute paths. Paths given to
/// a target are absolute paths *inside* it, `String`s that stand for bytes (`PathBytes`):
/// names that are not UTF-8 are listed, opened and reported without losing a byte.
///
/// A target implements what probes read (files, metadata, listings, links, extended ACLs)
/// and says, as `capabilities`, what else it can answer (the state of a running kernel, a
/// system bus, ...). A probe declares what it needs; when the target lacks it, the
/// collector answers with the offline policy instead of running the probe.
///
/// Security properties every implementation keeps: only regular files are read (devices,
/// FIFOs and sockets are refused: opening them has effects of their own), and a target
/// confined to a directory never lets a path or a link lead out of it.
public protocol Target: Sendable {
    /// What kind of system this is ("host", "root", ...).
    var kind: TargetKind { get }
    /// A stable name for the system within its kind: "/" for the host, the root's real path.
    var reference: String { get }
    /// A label for messages and reports: "/" or the root directory.
    var label: String { get }
    /// What the target can answer beyond its files.
    var capabilities: TargetCapabilities { get }
    /// How a file walk spells the paths it reports (OpenSCAP's rules differ live and offline).
    var pathSpelling: TargetPathSpelling { get }

    /// Reads a whole regular file (following links inside the target). Throws when it cannot
    /// be opened or read, is a directory or not a regular file, or holds more than `limit` bytes.
    func readFile(_ path: String, limit: Int) throws -> [UInt8]
    /// Opens a regular file for reading (as `readFile`) and passes it to `body`, for readers
    /// that stream or read parts (hash functions, binary formats). Closed after.
    func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T
    /// `stat` (following links inside the target) or `lstat` (`followLinks: false`), with
    /// the reason when it fails.
    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure>
    /// The entries of a directory with what `lstat` says of each (nil where it failed), in
    /// the order the file system returns them; fails when it is not a readable directory.
    func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure>
    /// Names in a directory (without "." and ".."), or nil when it is not a readable directory.
    func listDirectory(_ path: String) -> [String]?
    /// The target of a symbolic link as stored (not resolved), or nil.
    func readLink(_ path: String) -> String?
    /// The canonical path of `path` inside the target (every link resolved, as `realpath`),
    /// or the reason it has none (`ENOENT`, `ELOOP`, `ENOTDIR`, ...).
    func canonicalPath(_ path: String) -> Result<String, TargetFailure>
    /// Whether the file (links followed) has a POSIX ACL beyond its mode bits, as libacl's
    /// `acl_extended_file` decides. Nil when that cannot be read.
    func hasExtendedACL(_ path: String) -> Bool?
    /// What `statvfs` says of the file system holding `path` (links followed), or why it failed.
    func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure>
    /// The devices (`FileInfo.device`) a walk with `recurse_file_system="local"` counts as
    /// local; nil (the default): the scanning host's local mounts decide.
    var localDevices: Set<UInt64>? { get }
}

extension Target {
    /// `readFile(_:limit:)` with `Targets.defaultReadLimit`.
    public func readFile(_ path: String) throws -> [UInt8] {
        try readFile(path, limit: Targets.defaultReadLimit)
    }

    /// Reads a file as UTF-8 text (invalid bytes replaced), or nil when it cannot be read.
    public func readText(_ path: String) -> String? {
        guard let bytes = try? readFile(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `stat` (following links) or `lstat` (`followLinks: false`); nil when it fails.
    public func fileInfo(_ path: String, followLinks: Bool = true) -> FileInfo? {
        try? statResult(path, followLinks: followLinks).get()
    }

    /// `statResult(_:followLinks:)` following links.
    public func statResult(_ path: String) -> Result<FileInfo, TargetFailure> {
        statResult(path, followLinks: true)
    }

    public var localDevices: Set<UInt64>? { nil }

    /// Whether the target has every capability of `needs`.
    public func can(_ needs: TargetCapabilities) -> Bool {
        capabilities.isSuperset(of: needs)
    }
}

/// The kind of a target, as records and messages name it. Open to new kinds ("image",
/// "api-dump", ...) defined outside this module.
public struct TargetKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The live host Vigil runs on.
    public static let host = TargetKind(rawValue: "host")
    /// An offline root directory (`--root DIR`).
    public static let root = TargetKind(rawValue: "root")
    /// A container or OS image read from its layers (`--image REF`).
    public static let image = TargetKind(rawValue: "image")

    public var description: String { rawValue }
}

/// What a target can answer beyond reading its files.
public struct TargetCapabilities: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// A running kernel, the one Vigil runs on: a live `/proc`, `uname`, `sysctl`, the
    /// scheduler (`sched_getscheduler`), the network interfaces, the host name.
    public static let runtimeState = TargetCapabilities(rawValue: 1 << 0)
    /// A D-Bus system bus on which systemd can be asked about its units.
    public static let systemBus = TargetCapabilities(rawValue: 1 << 1)
}

/// How a file walk spells the paths it reports, as OpenSCAP spells them.
public enum TargetPathSpelling: Sendable, Equatable {
    /// As the content gives them (the live host).
    case asGiven
    /// Joined to a root prefix, as OpenSCAP does under `OSCAP_PROBE_ROOT`: leading slashes
    /// collapse to one.
    case underRoot
}

/// Constructors of the targets Vigil itself provides.
public enum Targets {
    /// The live host.
    public static let host: any Target = HostTarget()

    /// The system rooted at `directory`: the live host when it is "/" (after resolving
    /// links), else an offline root (`RootTarget`). Throws when it is not a directory or
    /// cannot be opened.
    public static func root(_ directory: String) throws -> any Target {
        let root = try RootTarget(directory)
        return root.reference == "/" ? HostTarget() : root
    }

    /// The most bytes `readFile(_:)` returns before it reports the file as too large.
    public static let defaultReadLimit = 512 << 20
}

/// What `statvfs(3)` says of a file system, in the terms probes need.
public struct FileSystemStatistics: Sendable, Equatable {
    /// The mount flags (`f_flag`: `ST_RDONLY`, `ST_NOSUID`, ...).
    public var flags: UInt64
    /// Size in fragments (`f_blocks`) and free fragments (`f_bfree`).
    public var blocks: UInt64
    public var freeBlocks: UInt64

    package init(_ st: statvfs) {
        flags = UInt64(st.f_flag)
        blocks = UInt64(st.f_blocks)
        freeBlocks = UInt64(st.f_bfree)
    }
}
