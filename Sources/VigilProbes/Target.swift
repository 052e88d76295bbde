import Foundation

/// The system a scan reads: the live host (`/`) or an offline root such as a mounted
/// image (`--root DIR`). Every probe reads through a `Target`, never through raw
/// absolute paths. Paths given to a target are absolute paths *inside* it; symbolic
/// links are resolved inside the root and can never lead out of it.
public struct Target: Sendable {
    /// The root directory on the host, without a trailing slash ("" for the live host).
    public let rootPrefix: String
    /// True for the running host, false for an offline root.
    public let isLive: Bool

    /// The live host.
    public static let host = Target(rootPrefix: "", isLive: true)

    /// An offline root file system at `directory`.
    public init(root directory: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw TargetError(path: directory, message: "not a directory")
        }
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        self.init(rootPrefix: real == "/" ? "" : real, isLive: real == "/")
    }

    init(rootPrefix: String, isLive: Bool) {
        self.rootPrefix = rootPrefix
        self.isLive = isLive
    }

    /// A label for messages and reports: "/" or the root directory.
    public var label: String { rootPrefix.isEmpty ? "/" : rootPrefix }

    /// The host path of `path` (inside the target) with every symbolic link resolved
    /// inside the root, including the last component unless `followLast` is false.
    /// Returns nil when a component does not exist or links loop.
    public func resolve(_ path: String, followLast: Bool = true) -> String? {
        if rootPrefix.isEmpty {
            // The live host: the kernel resolves links and there is nothing to escape.
            return Target.normalize(path)
        }
        var done: [String] = []          // resolved components inside the root
        var pending = Target.components(path).reversed() as [String]
        var hops = 0
        while let comp = pending.popLast() {
            if comp == "." || comp.isEmpty { continue }
            if comp == ".." { _ = done.popLast(); continue }
            let candidate = rootPrefix + "/" + (done + [comp]).joined(separator: "/")
            let isLast = pending.isEmpty
            var st = stat()
            guard lstat(candidate, &st) == 0 else { return nil }
            if (st.st_mode & S_IFMT) == S_IFLNK && (followLast || !isLast) {
                hops += 1
                if hops > 40 { return nil }
                guard let dest = Target.readLinkRaw(candidate) else { return nil }
                if dest.hasPrefix("/") { done = [] }
                pending.append(contentsOf: Target.components(dest).reversed())
                continue
            }
            done.append(comp)
        }
        return rootPrefix + "/" + done.joined(separator: "/")
    }

    /// Reads a whole regular file (following links inside the root).
    public func readFile(_ path: String) throws -> [UInt8] {
        guard let real = resolve(path) else { throw TargetError(path: path, message: "no such file") }
        guard let fh = FileHandle(forReadingAtPath: real) else { throw TargetError(path: path, message: "cannot open") }
        defer { try? fh.close() }
        return Array((try? fh.readToEnd()) ?? Data())
    }

    /// Reads a file as UTF-8 text (invalid bytes replaced), or nil when it cannot be read.
    public func readText(_ path: String) -> String? {
        guard let bytes = try? readFile(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `stat` (following links inside the root) or `lstat` (`followLinks: false`).
    public func fileInfo(_ path: String, followLinks: Bool = true) -> FileInfo? {
        guard let real = resolve(path, followLast: followLinks) else { return nil }
        var st = stat()
        let rc = followLinks ? stat(real, &st) : lstat(real, &st)
        guard rc == 0 else { return nil }
        return FileInfo(st)
    }

    /// Names in a directory (without "." and ".."), or nil when it is not a readable directory.
    public func listDirectory(_ path: String) -> [String]? {
        guard let real = resolve(path), let dir = opendir(real) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The target of a symbolic link as stored (not resolved), or nil.
    public func readLink(_ path: String) -> String? {
        guard let real = resolve(path, followLast: false) else { return nil }
        return Target.readLinkRaw(real)
    }

    static func readLinkRaw(_ hostPath: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink(hostPath, &buf, 4096)
        guard n >= 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
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
}

/// An error reading through a `Target`.
public struct TargetError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}
