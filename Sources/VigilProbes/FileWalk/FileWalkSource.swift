/// What a file walk reads: directory listings and `stat` results, by path inside the
/// target. This is the one point through which every recursive file object reads the
/// tree, so a scan can later share one traversal between objects by handing the walks a
/// memoizing source (see `FileWalk.source(for:)`).
public protocol FileWalkSource: Sendable {
    /// The entries of a directory with their `lstat` results, in file-system order.
    /// `identity` is the directory's device and inode when the walk already knows them.
    func entries(of directory: String, identity: FileIdentity?) -> Result<[DirectoryEntry], TargetFailure>
    /// `stat` (`followLinks`) or `lstat` of a path, or why it failed.
    func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure>
    /// A hint that a walk is about to descend into these directories, in this order, and
    /// `depth` levels below them (-1: all); a source may start listing them ahead of the
    /// walk. The default does nothing.
    func willEnter(_ directories: [(path: String, identity: FileIdentity)], depth: Int)
    /// The devices the walked system counts as local (`Target.localDevices`); nil: the
    /// scanning host's local mounts decide. The default is nil.
    var localDevices: Set<UInt64>? { get }
}

extension FileWalkSource {
    public func willEnter(_ directories: [(path: String, identity: FileIdentity)], depth: Int) {}
    public var localDevices: Set<UInt64>? { nil }

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
