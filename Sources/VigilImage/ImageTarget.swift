import Foundation
import VigilCore
import VigilTarget

/// A container or OS image as a scan target (`vigil scan --image REF`): the file system its
/// layers make, read where the layers lie (see `ImageOpener`). Like an offline root it has
/// files but no running kernel or system bus; like `RootTarget` it resolves every path
/// inside itself (links are followed by Vigil, never out of the image). Owners, modes,
/// times, extended attributes and device numbers are the layers' headers', not whatever
/// the scanning user could have made on disk; nothing of the image is ever opened on the
/// host except the layers and spools its bytes are read from.
///
/// Every file reports `device` `ImageTarget.device` (a walk counts it as local) and an
/// inode number unique in the image, shared by hard links; a directory's size is 4096, a
/// link's the length of its target (as `lstat` says of both on ext4).
public struct ImageTarget: Target {
    /// What names the image.
    public let identity: ImageIdentity
    let tree: ImageTree
    /// Where statistics of "the file system" come from: the private temporary area, where
    /// an unpacking tool would have put the files.
    let statisticsDirectory: String

    /// The device number every file of an image reports.
    public static let device: UInt64 = 0x7669_6d67

    init(identity: ImageIdentity, tree: ImageTree, statisticsDirectory: String) {
        self.identity = identity
        self.tree = tree
        self.statisticsDirectory = statisticsDirectory
    }

    public var kind: TargetKind { .image }
    public var reference: String { identity.reference }
    public var label: String { identity.reference }
    public var capabilities: TargetCapabilities { [] }
    public var pathSpelling: TargetPathSpelling { .underRoot }
    public var localDevices: Set<UInt64>? { [Self.device] }

    public func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        try withOpenFile(path) { file in
            guard file.length ?? 0 <= Int64(limit) else {
                throw TargetError(path: path, message: "file too large (over \(limit) bytes)", kind: .tooLarge)
            }
            var out = [UInt8](repeating: 0, count: Int(file.length ?? 0))
            guard try out.withUnsafeMutableBytes({ try file.fill($0, at: 0) }) == out.count else {
                throw TargetError(path: path, message: "cannot read: the image's layer ended early")
            }
            return out
        }
    }

    public func withOpenFile<T>(_ path: String, _ body: (TargetFile) throws -> T) throws -> T {
        let node: ImageNode
        switch tree.node(path, followLast: true) {
        case .failure(let f): throw TargetError.cannotOpen(path, f)
        case .success(let n): node = n
        }
        let inode = node.inode
        if inode.isDirectory { throw TargetError(path: path, message: "is a directory", kind: .directory) }
        guard inode.isRegular else {
            throw TargetError(path: path, message: "not a regular file (\(info(inode).typeName)): not read", kind: .notRegular)
        }
        guard case .content(let file, let offset) = inode.payload else {
            throw TargetError(path: path, message: "the image holds no bytes for it")
        }
        return try body(TargetFile(fd: file.fd, start: offset, length: inode.size, path: path))
    }

    public func statResult(_ path: String, followLinks: Bool) -> Result<FileInfo, TargetFailure> {
        tree.node(path, followLast: followLinks).map { info($0.inode) }
    }

    public func directoryEntries(_ path: String) -> Result<[DirectoryEntry], TargetFailure> {
        tree.node(path, followLast: true).flatMap { node in
            guard node.inode.isDirectory else { return .failure(TargetFailure(ENOTDIR)) }
            // Built and sorted in place: a directory can hold a million names.
            var entries = [DirectoryEntry]()
            entries.reserveCapacity(node.children.count)
            for (name, child) in node.children { entries.append(DirectoryEntry(name: name, info: info(child.inode))) }
            entries.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            return .success(entries)
        }
    }

    public func listDirectory(_ path: String) -> [String]? {
        try? directoryEntries(path).get().map(\.name)
    }

    public func readLink(_ path: String) -> String? {
        guard case .success(let node) = tree.node(path, followLast: false), node.inode.isSymlink else { return nil }
        return node.inode.linkTarget
    }

    public func canonicalPath(_ path: String) -> Result<String, TargetFailure> {
        tree.locate(path, followLast: true).flatMap { loc in
            loc.node == nil ? .failure(TargetFailure(ENOENT)) : .success(loc.path)
        }
    }

    /// As libacl's `acl_extended_file` decides from the layers' `system.posix_acl_*` attributes.
    public func hasExtendedACL(_ path: String) -> Bool? {
        guard case .success(let node) = tree.node(path, followLast: true) else { return nil }
        let baseSize = 4 + 3 * 8  // ACL xattr header + the three base entries
        let xattrs = tree.xattrs[node.inode.number] ?? [:]
        if (xattrs["system.posix_acl_access"]?.count ?? 0) > baseSize { return true }
        return (xattrs["system.posix_acl_default"]?.count ?? 0) >= baseSize
    }

    public func fileSystemStatistics(_ path: String) -> Result<FileSystemStatistics, TargetFailure> {
        tree.node(path, followLast: true).flatMap { _ in
            var st = statvfs()
            guard PathBytes.withCString(statisticsDirectory, { statvfs($0, &st) }) == 0 else {
                return .failure(TargetFailure(errno))
            }
            return .success(FileSystemStatistics(st))
        }
    }

    /// The extended attributes the layers gave the file at `path` (links followed).
    public func extendedAttributes(_ path: String) -> [String: [UInt8]]? {
        (try? tree.node(path, followLast: true).get()).map { tree.xattrs[$0.inode.number] ?? [:] }
    }

    private func info(_ inode: ImageNode) -> FileInfo {
        let size: Int64 = inode.isDirectory ? 4096 : inode.isRegular || inode.isSymlink ? inode.size : 0
        let times = tree.times(inode)
        return FileInfo(mode: inode.mode, uid: inode.uid, gid: inode.gid, size: size,
                        device: Self.device, inode: UInt64(inode.number), accessTime: times.access,
                        modifyTime: inode.modifyTime, changeTime: times.change, specialDevice: inode.device)
    }
}
