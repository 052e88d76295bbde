import Foundation

/// One name in an image's file system, holding what the file is: type, mode, owner, size,
/// modification time and, for a regular file, where its bytes lie, for a link, its target,
/// for a directory, its entries by name (each name is its parent's key). A hard link is a
/// name whose payload is the file it names (`inode`). Kept small, one per file of the
/// image: access and change times that differ from the modification time, and extended
/// attributes, are side tables of the `ImageTree`, keyed by `number`. Built while layers
/// are applied (one thread), read-only once the image is open.
final class ImageNode: @unchecked Sendable {
    /// What a file holds besides its metadata.
    enum Payload {
        case none
        /// A regular file's bytes: `size` bytes at `offset` in `file`.
        case content(ImageFile, offset: Int64)
        /// A symbolic link's target as stored.
        case link(String)
        /// Another name of the file `node` is (a hard link).
        case hardLink(ImageNode)
    }

    /// The file type and permission bits together, as `st_mode`.
    var mode: UInt32
    var uid: UInt32 = 0
    var gid: UInt32 = 0
    /// The device a device node stands for, in the kernel's 32-bit encoding (as `FileInfo`).
    var device: UInt32 = 0
    var size: Int64 = 0
    var modifyTime: Int64
    var payload: Payload = .none
    /// The inode number the target reports (unique within the image; 0 for a hard link,
    /// whose `inode` has the number).
    let number: UInt32
    /// The last layer that wrote this path or a path below it (`LayerApplier`: a whiteout
    /// removes only what lower layers wrote).
    var touchedBy: Int32 = -1
    /// A directory's entries by name (empty for other files).
    var children: [String: ImageNode] = [:]

    init(type: UInt32, permissions: UInt32, time: Int64, number: UInt32) {
        self.mode = type | (permissions & 0o7777)
        self.modifyTime = time
        self.number = number
    }

    /// A hard link to `file`.
    init(linkingTo file: ImageNode) {
        mode = 0
        modifyTime = 0
        number = 0
        payload = .hardLink(file)
    }

    /// The file this name is: itself, or for a hard link the file it names.
    var inode: ImageNode {
        if case .hardLink(let file) = payload { return file }
        return self
    }

    var type: UInt32 { mode & UInt32(S_IFMT) }
    var permissions: UInt32 {
        get { mode & 0o7777 }
        set { mode = type | (newValue & 0o7777) }
    }
    var isDirectory: Bool { type == UInt32(S_IFDIR) }
    var isSymlink: Bool { type == UInt32(S_IFLNK) }
    var isRegular: Bool { type == UInt32(S_IFREG) }

    /// A symbolic link's target ("" for other files).
    var linkTarget: String {
        if case .link(let target) = payload { return target }
        return ""
    }
}
