import Foundation

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
    /// The device a block or character special file stands for (`st_rdev`), in the kernel's
    /// 32-bit encoding (minor bits 0-7 and 20-31, major bits 8-19: the form of `tty_nr` in
    /// `/proc/PID/stat`); 0 for other files. Kept in 32 bits so that `FileInfo` stays 64
    /// bytes: walks keep one per directory entry.
    public var specialDevice: UInt32
    public var size: Int64
    public var device: UInt64
    public var inode: UInt64
    public var accessTime: Int64
    public var modifyTime: Int64
    public var changeTime: Int64

    package init(mode: UInt32, uid: UInt32, gid: UInt32, size: Int64, device: UInt64, inode: UInt64,
         accessTime: Int64, modifyTime: Int64, changeTime: Int64, specialDevice: UInt32 = 0) {
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.device = device
        self.inode = inode
        self.accessTime = accessTime
        self.modifyTime = modifyTime
        self.changeTime = changeTime
        self.specialDevice = specialDevice
    }

    package init(_ st: stat) {
        mode = UInt32(st.st_mode)
        uid = st.st_uid
        gid = st.st_gid
        size = Int64(st.st_size)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        accessTime = Int64(st.st_atim.tv_sec)
        modifyTime = Int64(st.st_mtim.tv_sec)
        changeTime = Int64(st.st_ctim.tv_sec)
        // glibc's dev_t keeps the kernel's 32-bit encoding in its low 32 bits.
        specialDevice = UInt32(truncatingIfNeeded: st.st_rdev)
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
    /// The error of a file that could not be opened: not found, or why.
    package static func cannotOpen(_ path: String, _ f: TargetFailure) -> TargetError {
        f.code == ENOENT ? TargetError(path: path, message: "no such file", kind: .notFound)
            : TargetError(path: path, message: "cannot open: \(f)")
    }

    /// The path (non-UTF-8 bytes written `\xNN`) and the message.
    public var description: String { "\(PathBytes.display(path)): \(message)" }
}
