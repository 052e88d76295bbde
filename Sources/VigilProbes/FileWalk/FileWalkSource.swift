/// What a file walk reads: directory listings and `stat` results, by path inside the
/// target. This is the one point through which every recursive file object reads the
/// tree, so a scan can later share one traversal between objects by handing the walks a
/// memoizing source (see `FileWalk.source(for:)`).
public protocol FileWalkSource: Sendable {
    /// The entries of a directory with their `lstat` results, in file-system order.
    /// `identity` is the directory's device and inode when the walk already knows them.
    func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure>
    /// The same, read by a walk (see `FileWalkReader`). The default ignores `reader`.
    func entries(of directory: String, identity: FileIdentity?, reader: FileWalkReader?) -> Result<[DirectoryEntry], TargetFailure>
    /// `stat` (`followLinks`) or `lstat` of a path, or why it failed.
    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure>
    /// A hint that `reader`'s walk is about to descend into these directories, in this
    /// order, and `depth` levels below them (-1: all); a source may start listing them
    /// ahead of the walk. The default does nothing.
    func willEnter(_ directories: [(path: String, identity: FileIdentity)], depth: Int, reader: FileWalkReader?)
    /// The devices the walked system counts as local (`Target.localDevices`); nil: the
    /// scanning host's local mounts decide. The default is nil.
    var localDevices: Set<UInt64>? { get }

    /// A walk with `key` that recurses down from `root` will start later (a planned
    /// batch): a source may keep listings under `root` for it. The default does nothing.
    func announceWalk(key: String, root: FileIdentity)
    /// A walk recursing down from `root` starts; its id names it as a `FileWalkReader`
    /// (nil: the source does not track walks). The default returns nil.
    func startWalk(key: String?, root: FileIdentity) -> Int?
    /// The walk `walk` has ended (every `startWalk` is matched by one call).
    func finishWalk(_ walk: Int)
    /// The unfinished walks by the directory they recurse down from, as they stand now.
    func walkRoots() -> [FileIdentity: [Int]]
    /// The identities of "/" and each directory down to the canonical `path`; the
    /// default is none.
    func ancestorIdentities(of path: String) -> [FileIdentity]
}

extension FileWalkSource {
    public func entries(of directory: String, identity: FileIdentity?, reader: FileWalkReader?) -> Result<[DirectoryEntry], TargetFailure> {
        entries(of: directory, identity: identity)
    }
    public func willEnter(_ directories: [(path: String, identity: FileIdentity)], depth: Int, reader: FileWalkReader?) {}
    public var localDevices: Set<UInt64>? { nil }
    public func announceWalk(key: String, root: FileIdentity) {}
    public func startWalk(key: String?, root: FileIdentity) -> Int? { nil }
    public func finishWalk(_ walk: Int) {}
    public func walkRoots() -> [FileIdentity: [Int]] { [:] }
    public func ancestorIdentities(of path: String) -> [FileIdentity] { [] }

    /// `stat` (`followLinks`) or `lstat` of a path; nil when it fails.
    public func info(_ path: String, followLinks: Bool) -> FileInfo? {
        try? statResult(path, followLinks: followLinks).get()
    }

    /// The entries of a directory whose identity the caller does not know.
    public func entries(of directory: String) -> Result<[DirectoryEntry], TargetFailure> {
        entries(of: directory, identity: nil)
    }
}

// A file-system target is itself a source that lists every directory afresh (the walks of
// a scan share `FileWalkSharedSource` instead, which reads any `Target`).
extension HostTarget: FileWalkSource {
    /// The scanning host's local mounts decide.
    public var localDevices: Set<UInt64>? { nil }

    /// `directoryEntries(_:)`.
    public func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure> {
        directoryEntries(directory)
    }
}

extension RootTarget: FileWalkSource {
    /// The scanning host's local mounts decide.
    public var localDevices: Set<UInt64>? { nil }

    /// `directoryEntries(_:)`.
    public func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure> {
        directoryEntries(directory)
    }
}

extension FileWalk {
    /// The source the file probes of a scan read through: one per scan, shared by every
    /// object, so that each directory is listed once (see `FileWalkSharedSource`).
    public static func source(for context: ProbeContext) -> any FileWalkSource {
        context.cache.value("file-walk-source") { FileWalkSharedSource(target: context.target) as any FileWalkSource }
    }
}
