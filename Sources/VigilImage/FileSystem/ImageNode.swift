import Foundation

/// What an image's file is, shared by all its names (hard links share one inode): type,
/// owner, mode, times, extended attributes and, for a regular file, where its bytes lie.
/// Built while layers are applied (one thread), read-only once the image is open.
final class ImageInode: @unchecked Sendable {
    /// The file type bits (`S_IFREG`, `S_IFDIR`, ...).
    var type: UInt32
    /// The permission, set-id and sticky bits.
    var permissions: UInt32
    var uid: UInt32
    var gid: UInt32
    var size: Int64
    var modifyTime: Int64
    var accessTime: Int64
    var changeTime: Int64
    /// A symbolic link's target as stored.
    var linkTarget: String = ""
    /// The device a device node stands for, in the kernel's 32-bit encoding (as `FileInfo`).
    var device: UInt32 = 0
    /// A regular file's bytes.
    var content: BlobLocation?
    var xattrs: [String: [UInt8]] = [:]
    /// The inode number the target reports (unique within the image).
    let number: UInt64

    init(type: UInt32, permissions: UInt32, uid: UInt32 = 0, gid: UInt32 = 0, size: Int64 = 0, time: Int64,
         number: UInt64) {
        self.type = type
        self.permissions = permissions
        self.uid = uid
        self.gid = gid
        self.size = size
        self.modifyTime = time
        self.accessTime = time
        self.changeTime = time
        self.number = number
    }

    var isDirectory: Bool { type == UInt32(S_IFDIR) }
    var isSymlink: Bool { type == UInt32(S_IFLNK) }
    var isRegular: Bool { type == UInt32(S_IFREG) }
}

/// One name in an image's file system: a directory entry pointing at an inode, with the
/// entries below it when it is a directory.
final class ImageNode: @unchecked Sendable {
    let name: String
    var inode: ImageInode
    /// A directory's entries by name (empty for other files).
    var children: [String: ImageNode] = [:]
    /// The last layer that wrote this path or a path below it (`LayerApplier`: a whiteout
    /// removes only what lower layers wrote).
    var touchedBy: Int = -1

    init(name: String, inode: ImageInode) {
        self.name = name
        self.inode = inode
    }

    /// The node's entries sorted by name (bytewise), the order an image's listings come in.
    var sortedChildren: [ImageNode] {
        children.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }
}
