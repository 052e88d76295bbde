/// One node of a walk, as an `fts` entry: its path as the walk spells it, its name, depth
/// below the walk's root and the kind and `stat` data the walk sees.
struct FileWalkNode {
    var name: String
    var level: Int
    var kind: FileWalkKind
    var info: FileInfo?
    /// The `lstat` of the path itself when the walk already has it (a listed entry, even
    /// once its link is followed); nil for walk roots.
    var lstatInfo: FileInfo?
    /// For a listed entry: its directory's path without a trailing slash ("" under "/").
    /// The entry's own path is made from it only when needed: most files never need it.
    var base: String?
    private var fullPath: String?

    /// The node's path as the walk spells it.
    var path: String { fullPath ?? (base ?? "") + "/" + name }

    /// A node whose path is known (a walk's root or a looked-up entry).
    init(path: String, name: String, level: Int, kind: FileWalkKind, info: FileInfo?, lstatInfo: FileInfo? = nil) {
        self.fullPath = path
        self.name = name
        self.level = level
        self.kind = kind
        self.info = info
        self.lstatInfo = lstatInfo
    }

    /// A listed entry of the directory whose path without a trailing slash is `base`.
    init(base: String, name: String, level: Int, kind: FileWalkKind, info: FileInfo?, lstatInfo: FileInfo?) {
        self.base = base
        self.name = name
        self.level = level
        self.kind = kind
        self.info = info
        self.lstatInfo = lstatInfo
    }

    /// Makes the path once, for nodes whose path is read several times (directories, links).
    mutating func keepPath() {
        if fullPath == nil { fullPath = path }
    }

    /// Device and inode, for cycle detection.
    var identity: FileIdentity? { info.map { FileIdentity(device: $0.device, inode: $0.inode) } }
}

/// A file's device and inode.
public struct FileIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64
    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// How a walk makes its nodes and spells their paths, as `fts` does.
extension FileWalker {
    /// The `filename` value when it is compared with `equals` as a string and can name a
    /// directory entry, so that a directory's entries need not be listed to find it.
    var exactFilename: String? {
        guard let entity = filenameEntity, !entity.isNil, entity.operation == .equals,
              entity.entity.datatype == .string, entity.entity.values.count == 1, let value = entity.entity.values.first,
              !value.isEmpty, value != ".", value != "..", !value.contains("/"), !value.contains("\0") else { return nil }
        return value
    }

    /// The entry `name` of a directory node, as a listing would give it (`lstat`), or nil.
    func namedChild(of parent: FileWalkNode, _ name: String) -> FileWalkNode? {
        let base = parent.path.hasSuffix("/") ? String(parent.path.dropLast()) : parent.path
        let path = base + "/" + name
        guard let info = statInfo(path, followLinks: false) else { return nil }
        return FileWalkNode(path: path, name: name, level: parent.level + 1, kind: FileWalker.kind(of: info), info: info,
                            lstatInfo: info)
    }

    /// The root of an `fts` walk: links followed, named as `fts_load` names it.
    func rootNode(_ path: String) -> FileWalkNode {
        var node = FileWalkNode(path: path, name: FileWalker.rootName(path), level: 0, kind: .noStat, info: nil)
        if let info = statInfo(path, followLinks: true) {
            node.info = info
            node.kind = FileWalker.kind(of: info)
        } else if let linfo = statInfo(path, followLinks: false) {
            node.info = linfo
            node.kind = linfo.isSymlink ? .danglingSymlink : .noStat
        }
        return node
    }

    /// A directory entry as a node; a link is followed when `followLinks` is set. `base`
    /// is `FileWalker.base(of: parent)`, computed once per listing.
    func childNode(of parent: FileWalkNode, _ entry: DirectoryEntry, followLinks: Bool, base: String) -> FileWalkNode {
        childNode(level: parent.level + 1, entry, followLinks: followLinks, base: base)
    }

    /// A directory entry `level` levels below the walk's root as a node (see `childNode(of:)`).
    func childNode(level: Int, _ entry: DirectoryEntry, followLinks: Bool, base: String) -> FileWalkNode {
        var node = FileWalkNode(base: base, name: entry.name, level: level,
                                kind: .noStat, info: entry.info, lstatInfo: entry.info)
        if let info = entry.info {
            node.kind = FileWalker.kind(of: info)
            if node.kind == .directory || node.kind == .symlink { node.keepPath() }
            if node.kind == .symlink && followLinks { node = followed(node) }
        }
        return node
    }

    /// A directory's path without a trailing slash, as its entries' paths start.
    static func base(of directory: FileWalkNode) -> String {
        let path = directory.path
        return path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// The same entry seen through its link (`FTS_FOLLOW`).
    func followed(_ node: FileWalkNode) -> FileWalkNode {
        var out = node
        if let info = statInfo(node.path, followLinks: true) {
            out.info = info
            out.kind = FileWalker.kind(of: info)
        } else {
            out.kind = .danglingSymlink
        }
        return out
    }

    static func kind(of info: FileInfo) -> FileWalkKind {
        if info.isDirectory { return .directory }
        if info.isRegular { return .regular }
        if info.isSymlink { return .symlink }
        return .other
    }

    // MARK: Path spelling

    /// The `fts_name` of a walk's root (`fts_load`): the part after the last "/", unless
    /// the path is "/" itself; "" for a path ending in "/".
    static func rootName(_ path: String) -> String {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: slashByte) else { return path }
        if slash == 0 && slash == bytes.count - 1 { return path }
        return String(decoding: bytes[(slash + 1)...], as: UTF8.self)
    }

    /// The item `path` of a file entry (`pathlen_from_ftse`): the walk path without the
    /// name and the slash before it; "/" when nothing is left.
    static func itemPath(_ node: FileWalkNode) -> String {
        // A listed entry's path is its directory's path and "/" and its name.
        if let base = node.base { return base.isEmpty ? "/" : base }
        let full = Array(node.path.utf8)
        let nameLength = node.name.utf8.count
        var length = full.count
        if full.count > nameLength {
            length = full.count - nameLength
            if length > 1 { length -= 1 }
        }
        guard length > 0 else { return "/" }
        return String(decoding: full[0..<length], as: UTF8.self)
    }

    /// POSIX `dirname`.
    static func dirname(_ path: String) -> String {
        var bytes = Array(path.utf8)[...]
        while bytes.count > 1 && bytes.last == slashByte { bytes = bytes.dropLast() }
        guard let slash = bytes.lastIndex(of: slashByte) else { return "." }
        var head = bytes[..<slash]
        while head.count > 1 && head.last == slashByte { head = head.dropLast() }
        return head.isEmpty ? "/" : String(decoding: head, as: UTF8.self)
    }

    static let slashByte = UInt8(ascii: "/")
}
