import VigilOVAL

/// Resolves the `filepath`, or `path` and `filename`, of a file-system object to the files
/// and directories it names, walking the target as OpenSCAP 1.3.7's `oval_fts.c` does:
///
/// - **Starting point.** `equals` starts at the path itself; `pattern match` at the
///   directory named by the regex's literal prefix; any other operation at "/".
/// - **Matching walk** (finds the `filepath` files, or the `path` directories): links are
///   followed everywhere (a link is reported under its own name with its target's type),
///   directory cycles are skipped, and with `pattern match` directories that the
///   caret-anchored regex cannot match are not entered. With `equals` only the starting
///   path can match.
/// - **Recursion** from each matched `path` directory: `recurse_direction="none"` looks at
///   the directory's own entries; `down` descends, entering directories and/or links as
///   `recurse` says, at most `max_depth` levels; `up` looks at each parent up to "/"
///   (`max_depth` parents). With a nil filename the directories themselves are selected.
/// - `recurse_file_system="local"` skips directories on devices that the scanning host
///   does not mount from a local file system; `defined` stays on the starting device.
///
/// Vigil departs from OpenSCAP on purpose in two ways: it never enters /proc, /sys or /dev
/// unless the object's path names them, and on an offline root every path is resolved
/// inside the root (OpenSCAP follows absolute links out of `OSCAP_PROBE_ROOT`).
public enum FileWalk {
    /// Walks `request` over `source`, calling `visit` for each selected entry in walk
    /// order (an entry reached twice through a followed link is reported once).
    @discardableResult
    public static func walk(_ request: FileWalkRequest, source: any FileWalkSource, isLive: Bool,
                            visit: (FileWalkEntry) -> Void) -> FileWalkReport {
        withoutActuallyEscaping(visit) { visit in
            let walker = FileWalker(request: request, source: source, isLive: isLive, visit: visit)
            walker.run()
            return walker.report
        }
    }

    /// Every entry `walk` selects, in order.
    public static func entries(_ request: FileWalkRequest, source: any FileWalkSource,
                               isLive: Bool) -> (entries: [FileWalkEntry], report: FileWalkReport) {
        var found: [FileWalkEntry] = []
        let report = walk(request, source: source, isLive: isLive) { found.append($0) }
        return (found, report)
    }
}

/// One node of a walk, as an `fts` entry: its path as the walk spells it, its name, depth
/// below the walk's root and the kind and `stat` data the walk sees.
struct FileWalkNode {
    var path: String
    var name: String
    var level: Int
    var kind: FileWalkKind
    var info: FileInfo?

    /// Device and inode, for cycle detection.
    var identity: FileIdentity? { info.map { FileIdentity(device: $0.device, inode: $0.inode) } }
}

/// A file's device and inode.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
}

/// The state of one walk (see `FileWalk`).
final class FileWalker {
    let source: any FileWalkSource
    let isLive: Bool
    let behaviors: FileWalkBehaviors
    let visit: (FileWalkEntry) -> Void
    var report = FileWalkReport()

    /// The entity that selects `filepath` files or `path` directories.
    private let pathEntity: ResolvedEntity
    private let pathValue: String
    /// The `filename` entity (nil: select directories); unused for `filepath`.
    private let filenameEntity: ResolvedEntity?
    private let filepathMode: Bool
    private var pattern: FileWalkPattern?
    /// Set when the matching walk must end (an `equals` path was decided, or an error).
    private var stopped = false
    /// OpenSCAP's walk-wide `following` flag: the last link entered was followed.
    private var following = false
    private var localDevices: Set<UInt64>?
    private var startDevice: UInt64?
    private var pseudoIdentities: Set<FileIdentity> = []
    private var pseudoDevices: Set<UInt64> = []
    private var lastEmitted: FileWalkEntry?

    init(request: FileWalkRequest, source: any FileWalkSource, isLive: Bool, visit: @escaping (FileWalkEntry) -> Void) {
        self.source = source
        self.isLive = isLive
        self.behaviors = request.behaviors
        self.visit = visit
        switch request.selection {
        case .filepath(let entity):
            pathEntity = entity
            filenameEntity = nil
            filepathMode = true
        case .path(let entity, let filename):
            pathEntity = entity
            filenameEntity = filename
            filepathMode = false
        }
        pathValue = pathEntity.values.first ?? ""
    }

    private var collectDirectories: Bool { !filepathMode && filenameEntity == nil }

    // MARK: Start

    func run() {
        guard let start = startPath() else { return }
        // OpenSCAP fails unless the starting path exists (a dangling link is accepted).
        guard source.info(start, followLinks: false) != nil else { return }
        if behaviors.fileSystem == .local {
            guard let devices = FileWalker.localDeviceSet() else {
                report.messages.append("cannot read the mount table for recurse_file_system=\"local\"")
                return
            }
            localDevices = devices
        }
        preparePseudoFileSystems()
        let root = rootNode(start)
        if behaviors.fileSystem == .defined { startDevice = root.info?.device }
        matchVisit(root, ancestors: [])
    }

    /// The path the walk starts from, as OpenSCAP spells it (nil: collect nothing).
    private func startPath() -> String? {
        switch pathEntity.operation {
        case .equals:
            return spelled(pathValue)
        case .patternMatch:
            guard let prepared = FileWalkPattern(pathValue) else { return nil }
            pattern = prepared
            return prepared.startDirectory
        default:
            return "/"
        }
    }

    /// A path as OpenSCAP's walk spells it: offline, it is joined to the root prefix, which
    /// removes leading slashes and makes it absolute; live, it stays as given.
    private func spelled(_ value: String) -> String {
        if isLive { return value }
        return "/" + value.drop { $0 == "/" }
    }

    // MARK: Matching walk

    private func matchVisit(_ node: FileWalkNode, ancestors: [FileIdentity]) {
        if stopped { return }
        if node.kind == .directory, let id = node.identity, ancestors.contains(id) { return }
        let dirOrLink = node.kind == .directory || node.kind == .symlink
        if dirOrLink && !onAllowedFileSystem(node) { return }
        if node.kind == .directory && isPseudoFileSystem(node) { return }

        var candidate = true
        if let pattern, node.kind == .directory {
            guard pattern.mayMatchBelow(node.path) else { return }
            do {
                if try !pattern.anchoredMatch(node.path) { candidate = false }
            } catch {
                report.messages.append("\(error)")
                stopped = true
                return
            }
        }
        let rightKind = filepathMode ? node.kind != .directory : node.kind == .directory
        if candidate && rightKind {
            switch compare(pathEntity, node.path) {
            case .true:
                if filepathMode {
                    if behaviors.fileSystem != .local || isLocal(node.info?.device) {
                        emit(FileWalkEntry(path: FileWalker.itemPath(node), filename: node.name, kind: node.kind))
                    }
                } else {
                    recurse(from: node)
                }
                // With `equals` only the starting path can match.
                if pathEntity.operation == .equals { stopped = true; return }
            default:
                if pathEntity.operation == .equals { stopped = true; return }
            }
        }
        guard node.kind == .directory else { return }
        switch source.entries(of: node.path) {
        case .failure:
            var unreadable = node
            unreadable.kind = .unreadableDirectory
            matchVisit(unreadable, ancestors: ancestors)
        case .success(let entries):
            let inner = ancestors + (node.identity.map { [$0] } ?? [])
            for entry in entries {
                if stopped { return }
                matchVisit(childNode(of: node, entry, followLinks: true), ancestors: inner)
            }
        }
    }

    // MARK: Recursion from a matched directory

    private func recurse(from directory: FileWalkNode) {
        switch behaviors.direction {
        case .none where collectDirectories:
            emit(FileWalkEntry(path: directory.path, filename: nil, kind: .directory))
        case .none, .down:
            recurseVisit(rootNode(directory.path), ancestors: [])
        case .up:
            walkUp(from: directory.path)
        }
    }

    private func recurseVisit(_ node: FileWalkNode, ancestors: [FileIdentity]) {
        if node.kind == .directory, let id = node.identity, ancestors.contains(id) { return }
        collect(node)
        var followLink = false
        if node.level > 0 {
            if behaviors.direction == .none || (behaviors.maxDepth != -1 && node.level > behaviors.maxDepth) {
                return
            }
            switch node.kind {
            case .directory:
                if !behaviors.recurse.contains(.directories)
                    && !(behaviors.recurse.contains(.symlinks) && following) { return }
                following = false
            case .symlink:
                if !behaviors.recurse.contains(.symlinks) { return }
                followLink = true
                following = true
            default:
                return
            }
        }
        if (node.kind == .directory || node.kind == .symlink) && !onAllowedFileSystem(node) { return }
        if followLink {
            recurseVisit(followed(node), ancestors: ancestors)
            return
        }
        guard node.kind == .directory, !isPseudoFileSystem(node) else { return }
        switch source.entries(of: node.path) {
        case .failure:
            var unreadable = node
            unreadable.kind = .unreadableDirectory
            collect(unreadable)
        case .success(let entries):
            let inner = ancestors + (node.identity.map { [$0] } ?? [])
            for entry in entries {
                recurseVisit(childNode(of: node, entry, followLinks: false), ancestors: inner)
            }
        }
    }

    /// Selects `node` if it is what the object asks for: a directory within `max_depth`
    /// (nil filename), or a non-directory whose name matches `filename`.
    private func collect(_ node: FileWalkNode) {
        if collectDirectories {
            if node.kind == .directory && (behaviors.maxDepth == -1 || node.level <= behaviors.maxDepth) {
                emit(FileWalkEntry(path: node.path, filename: nil, kind: .directory))
            }
        } else if node.kind != .directory {
            matchFilename(node)
        }
    }

    private func matchFilename(_ node: FileWalkNode) {
        guard let filenameEntity else { return }
        switch compare(filenameEntity, node.name) {
        case .true:
            emit(FileWalkEntry(path: FileWalker.itemPath(node), filename: node.name, kind: node.kind))
        case .error:
            report.errorFlag = true
        default:
            break
        }
    }

    /// `recurse_direction="up"`: the directory and each parent up to "/", at most
    /// `max_depth` levels up; in each, the directory itself (nil filename) or its entries.
    private func walkUp(from start: String) {
        var current = start
        var depth = 0
        while behaviors.maxDepth == -1 || depth <= behaviors.maxDepth {
            walkUpOne(current)
            if current == "/" { break }
            let parent = FileWalker.dirname(current)
            if parent == current { break }
            current = parent
            depth += 1
        }
    }

    private func walkUpOne(_ directory: String) {
        let root = rootNode(directory)
        guard onAllowedFileSystem(root) else { return }
        if collectDirectories {
            if root.kind == .directory { emit(FileWalkEntry(path: directory, filename: nil, kind: .directory)) }
            return
        }
        guard root.kind == .directory else {
            matchFilename(root)
            return
        }
        guard case .success(let entries) = source.entries(of: directory) else {
            var unreadable = root
            unreadable.kind = .unreadableDirectory
            matchFilename(unreadable)
            return
        }
        for entry in entries {
            let child = childNode(of: root, entry, followLinks: false)
            guard onAllowedFileSystem(child) else { return }
            if child.kind != .directory { matchFilename(child) }
            if child.kind == .symlink {
                let target = followed(child)
                guard onAllowedFileSystem(target) else { return }
                if target.kind != .directory { matchFilename(target) }
            }
        }
    }

    // MARK: Nodes

    /// The root of an `fts` walk: links followed, named as `fts_load` names it.
    private func rootNode(_ path: String) -> FileWalkNode {
        var node = FileWalkNode(path: path, name: FileWalker.rootName(path), level: 0, kind: .noStat, info: nil)
        if let info = source.info(path, followLinks: true) {
            node.info = info
            node.kind = FileWalker.kind(of: info)
        } else if let linfo = source.info(path, followLinks: false) {
            node.info = linfo
            node.kind = linfo.isSymlink ? .danglingSymlink : .noStat
        }
        return node
    }

    /// A directory entry as a node; a link is followed when `followLinks` is set.
    private func childNode(of parent: FileWalkNode, _ entry: DirectoryEntry, followLinks: Bool) -> FileWalkNode {
        let base = parent.path.hasSuffix("/") ? String(parent.path.dropLast()) : parent.path
        var node = FileWalkNode(path: base + "/" + entry.name, name: entry.name, level: parent.level + 1,
                                kind: .noStat, info: entry.info)
        if let info = entry.info {
            node.kind = FileWalker.kind(of: info)
            if node.kind == .symlink && followLinks { node = followed(node) }
        }
        return node
    }

    /// The same entry seen through its link (`FTS_FOLLOW`).
    private func followed(_ node: FileWalkNode) -> FileWalkNode {
        var out = node
        if let info = source.info(node.path, followLinks: true) {
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

    // MARK: Selection output

    private func emit(_ entry: FileWalkEntry) {
        // A followed link is reported by fts a second time; report it once.
        if let last = lastEmitted, last.path == entry.path, last.filename == entry.filename { return }
        lastEmitted = entry
        visit(entry)
    }

    private func compare(_ entity: ResolvedEntity, _ candidate: String) -> OVALResult {
        if entity.isNil { return .true }
        guard let value = entity.values.first else { return .false }
        return OVALCompare.compare(candidate, entity.operation, value, datatype: entity.datatype)
    }

    // MARK: File systems

    private func isLocal(_ device: UInt64?) -> Bool {
        guard let device, let localDevices else { return false }
        return localDevices.contains(device)
    }

    /// The `recurse_file_system` checks OpenSCAP applies to directories and links.
    private func onAllowedFileSystem(_ node: FileWalkNode) -> Bool {
        switch behaviors.fileSystem {
        case .all: return true
        case .local: return isLocal(node.info?.device)
        case .defined: return node.info?.device == startDevice
        }
    }

    /// Remembers /proc, /sys and /dev (and their devices when they are separate mounts)
    /// unless the object's path names them.
    private func preparePseudoFileSystems() {
        let rootDevice = source.info("/", followLinks: true)?.device
        for dir in ["/proc", "/sys", "/dev"] where !pathValue.contains(dir.dropFirst()) {
            guard let info = source.info(dir, followLinks: true), info.isDirectory else { continue }
            pseudoIdentities.insert(FileIdentity(device: info.device, inode: info.inode))
            if let rootDevice, info.device != rootDevice { pseudoDevices.insert(info.device) }
        }
    }

    private func isPseudoFileSystem(_ node: FileWalkNode) -> Bool {
        guard let info = node.info else { return false }
        return pseudoDevices.contains(info.device)
            || pseudoIdentities.contains(FileIdentity(device: info.device, inode: info.inode))
    }

    /// Devices of the local file systems the scanning host mounts (`fsdev_init`).
    static func localDeviceSet() -> Set<UInt64>? {
        guard let table = Target.scannerMountTable() else { return nil }
        var devices: Set<UInt64> = []
        for mount in FileWalkMounts.parse(table) where FileWalkMounts.isLocal(type: mount.type) {
            if let device = Target.scannerDevice(ofMountPoint: mount.directory) { devices.insert(device) }
        }
        return devices
    }

    // MARK: Path spelling

    /// The `fts_name` of a walk's root (`fts_load`): the part after the last "/", unless
    /// the path is "/" itself; "" for a path ending in "/".
    static func rootName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        let after = path[path.index(after: slash)...]
        if slash == path.startIndex && after.isEmpty { return path }
        return String(after)
    }

    /// The item `path` of a file entry (`pathlen_from_ftse`): the walk path without the
    /// name and the slash before it; "/" when nothing is left.
    static func itemPath(_ node: FileWalkNode) -> String {
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
        var chars = Substring(path)
        while chars.count > 1 && chars.hasSuffix("/") { chars = chars.dropLast() }
        guard let slash = chars.lastIndex(of: "/") else { return "." }
        var head = chars[..<slash]
        while head.count > 1 && head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }
}
