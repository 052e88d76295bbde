import Foundation
import VigilTarget

/// Applies layers' entries to an `ImageTree` in order, as a container runtime assembles an
/// image's file system (the semantics are umoci's and containerd's, the OCI image spec's
/// "Applying Changesets"):
/// - a path's parent is resolved inside the image, symbolic links followed and confined;
///   missing parents are made (mode 0755, root);
/// - an entry replaces what is at its path, except a directory over a directory, which
///   keeps its entries and takes the new owner, mode, times and extended attributes;
/// - `.wh.NAME` removes NAME and `.wh..wh..opq` empties its directory, of what lower layers
///   wrote only: what this layer wrote (and the directories above it) stays;
/// - a hard link names the inode of an earlier entry (its own header's metadata is not
///   applied, as runtimes do not apply it);
/// - an absolute path, a `..` component, a whiteout of `.` or `..`, a hard link to nothing
///   or to a directory are errors: no conformant layer has them;
/// - so is a path longer than `maxPathBytes` once its links are resolved (PATH_MAX: no tool
///   can unpack it), which bounds the tree's depth and each entry's work, and a link target
///   of that many bytes or more (`symlink(2)` refuses it), which bounds each resolution's.
struct LayerApplier {
    let tree: ImageTree
    /// The time given to directories the layers do not list (as an unpacking tool gives
    /// them the time it makes them).
    let now: Int64
    let image: String
    /// `ImageLimits.maxPathBytes`.
    var maxPathBytes: Int = ImageLimits().maxPathBytes
    /// `ImageLimits.maxFiles`.
    var maxFiles: Int = ImageLimits().maxFiles

    static let whiteoutPrefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    /// Applies one entry of layer number `layer` (`label` for messages).
    func apply(_ entry: LayerEntry, layer: Int, label: String) throws {
        func fail(_ message: String) -> ImageError {
            ImageError(image: image, layer: label, entry: PathBytes.display(entry.path), message: message)
        }
        let parts: [String]
        do { parts = try Self.cleanComponents(entry.path) } catch { throw fail(error.message) }
        guard parts.reduce(0, { $0 + $1.utf8.count + 1 }) <= maxPathBytes else { throw fail(tooLong("its path")) }
        // symlink(2) and link(2) refuse a target of PATH_MAX bytes or more; resolving one
        // would push that many components per hop.
        if entry.kind == .symlink || entry.kind == .hardlink, case let size = PathBytes.bytes(entry.linkName).count,
           size >= maxPathBytes {
            throw fail("its link target has \(size) bytes: a link target must be shorter than "
                       + "\(maxPathBytes) bytes (limit maxPathBytes = \(maxPathBytes))")
        }
        guard let name = parts.last else {
            guard entry.kind == .directory else { throw fail("the image's root is not a directory") }
            setMetadata(tree.root.inode, entry)
            tree.root.touchedBy = Int32(layer)
            return
        }
        let parentPath = "/" + parts.dropLast().joined(separator: "/")
        if name.hasPrefix(Self.whiteoutPrefix) {
            try whiteout(name, in: parentPath, layer: layer, fail: fail)
            return
        }
        let parent = try directory(parentPath, create: true, fail: fail)
        guard parent.pathBytes + name.utf8.count + 1 <= maxPathBytes else {
            throw fail(tooLong("its path resolves to one"))
        }
        if let existing = parent.node.children[name], existing.inode.isDirectory, entry.kind == .directory {
            setMetadata(existing.inode, entry)
            mark(parent.chain + [existing], layer: layer)
            return
        }
        let node = try makeNode(for: entry, fail: fail)
        if let old = parent.node.children[name] { tree.names -= ImageTree.count(old) }
        parent.node.children[name] = node
        tree.names += 1
        guard tree.names <= maxFiles else {
            throw fail("the image holds more than \(maxFiles) names at once (limit maxFiles = \(maxFiles))")
        }
        mark(parent.chain + [node], layer: layer)
    }

    /// The directory at `path` (links followed inside the image), the nodes from the root
    /// down to it, and the bytes of its canonical path (0 for the root).
    private func directory(_ path: String, create: Bool, fail: (String) -> ImageError) throws
        -> (node: ImageNode, chain: [ImageNode], pathBytes: Int) {
        let made = create ? { (_: String) -> ImageNode in
            tree.names += 1
            return tree.makeNode(type: UInt32(S_IFDIR), permissions: 0o755, time: now)
        } : nil
        switch tree.locate(path, followLast: true, createMissing: made, maxPathBytes: maxPathBytes) {
        case .failure(let f) where f.code == ENAMETOOLONG:
            throw fail(tooLong("its directory \(PathBytes.display(path)) resolves to a path that is"))
        case .failure(let f):
            throw fail("its directory \(PathBytes.display(path)) cannot be reached: \(f)")
        case .success(let loc):
            var node = loc.node
            if node == nil, let made {
                let dir = made(loc.name)
                loc.parent.children[loc.name] = dir
                node = dir
            }
            guard let node else { throw fail("\(PathBytes.display(path)) is not in the image") }
            guard node.inode.isDirectory else { throw fail("its parent \(PathBytes.display(path)) is not a directory") }
            let canonical = loc.path
            return (node, loc.name.isEmpty ? loc.nodes : loc.nodes + [node], canonical == "/" ? 0 : canonical.utf8.count)
        }
    }

    /// The message for a path past `maxPathBytes`, `what` naming it.
    private func tooLong(_ what: String) -> String {
        "\(what) longer than \(maxPathBytes) bytes (limit maxPathBytes = \(maxPathBytes))"
    }

    /// Marks `nodes` (a path from the root) as written by `layer`. The ancestors of a node
    /// a layer marked are marked too, so the walk up stops at the first one already marked.
    private func mark(_ nodes: [ImageNode], layer: Int) {
        for node in nodes.reversed() {
            if node.touchedBy == Int32(layer) { return }
            node.touchedBy = Int32(layer)
        }
    }

    /// A whiteout `name` (".wh.X" or the opaque marker) in the directory at `parentPath`.
    private func whiteout(_ name: String, in parentPath: String, layer: Int, fail: (String) -> ImageError) throws {
        let opaque = name == Self.opaqueMarker
        let target = String(name.dropFirst(Self.whiteoutPrefix.count))
        if !opaque && (target.isEmpty || target == "." || target == ".." || target.hasPrefix(Self.whiteoutPrefix)) {
            throw fail("a whiteout must name an entry of its directory, not '\(PathBytes.display(target))'")
        }
        // A whiteout in a directory that does not exist has nothing to remove.
        guard case .success(let loc) = tree.locate(parentPath, followLast: true), let dir = loc.node,
              dir.inode.isDirectory else { return }
        if opaque {
            prune(dir, layer: layer)
        } else if let victim = dir.children[target] {
            if victim.touchedBy < Int32(layer) {
                tree.names -= ImageTree.count(victim)
                dir.children[target] = nil
            } else if victim.inode.isDirectory {
                prune(victim, layer: layer)
            }
        }
    }

    /// Removes from `dir` everything lower layers wrote, keeping what `layer` wrote.
    private func prune(_ dir: ImageNode, layer: Int) {
        for (name, child) in dir.children {
            if child.touchedBy < Int32(layer) {
                tree.names -= ImageTree.count(child)
                dir.children[name] = nil
            } else if child.inode.isDirectory {
                prune(child, layer: layer)
            }
        }
    }

    /// The node an entry makes: a new file, or a hard link to an existing one.
    private func makeNode(for entry: LayerEntry, fail: (String) -> ImageError) throws -> ImageNode {
        let type: UInt32
        switch entry.kind {
        case .hardlink: return ImageNode(linkingTo: try hardLinkTarget(entry, fail: fail))
        case .regular: type = UInt32(S_IFREG)
        case .directory: type = UInt32(S_IFDIR)
        case .symlink: type = UInt32(S_IFLNK)
        case .characterDevice: type = UInt32(S_IFCHR)
        case .blockDevice: type = UInt32(S_IFBLK)
        case .fifo: type = UInt32(S_IFIFO)
        }
        let inode = tree.makeNode(type: type, permissions: 0, time: now)
        setMetadata(inode, entry)
        switch entry.kind {
        case .regular:
            inode.size = entry.size
            if let content = entry.content { inode.payload = .content(content.file, offset: content.offset) }
        case .symlink:
            inode.payload = .link(entry.linkName)
            inode.size = Int64(PathBytes.bytes(entry.linkName).count)  // the bytes lstat counts, not their escapes
            inode.permissions = 0o777
        case .characterDevice, .blockDevice:
            inode.device = Self.encodeDevice(major: entry.deviceMajor, minor: entry.deviceMinor)
        default: break
        }
        return inode
    }

    /// The inode a hard link names: an existing non-directory at a clean path inside the
    /// image, its directories resolved through links, its last component not followed.
    private func hardLinkTarget(_ entry: LayerEntry, fail: (String) -> ImageError) throws -> ImageNode {
        let parts: [String]
        do { parts = try Self.cleanComponents(entry.linkName, allowAbsolute: true) } catch {
            throw fail("hard link to \(PathBytes.display(entry.linkName)): " + error.message)
        }
        guard let last = parts.last else { throw fail("a hard link to the image's root") }
        let dir = try directory("/" + parts.dropLast().joined(separator: "/"), create: false) {
            fail("hard link to \(PathBytes.display(entry.linkName)): " + $0)
        }
        guard let node = dir.node.children[last] else {
            throw fail("hard link to \(PathBytes.display(entry.linkName)), which is not in the image")
        }
        guard !node.inode.isDirectory else { throw fail("hard link to the directory \(PathBytes.display(entry.linkName))") }
        return node.inode
    }

    /// Owner, mode, times and extended attributes from the entry's header.
    private func setMetadata(_ inode: ImageNode, _ entry: LayerEntry) {
        inode.uid = entry.uid
        inode.gid = entry.gid
        inode.permissions = entry.mode & 0o7777
        // An entry without a time is given the time it is applied, as unpacking tools do.
        inode.modifyTime = entry.modifyTime == 0 ? now : entry.modifyTime
        let access = entry.accessTime ?? inode.modifyTime, change = entry.changeTime ?? inode.modifyTime
        tree.otherTimes[inode.number] = access == inode.modifyTime && change == inode.modifyTime ? nil : (access, change)
        tree.xattrs[inode.number] = entry.xattrs.isEmpty ? nil : entry.xattrs
        AccessACL.apply(to: inode, in: tree)
    }

    /// The components of an entry's path: "./" and empty components dropped; an absolute
    /// path (unless `allowAbsolute`: a hard link's target, which GNU tar may store with a
    /// leading slash) or a `..` component is refused.
    static func cleanComponents(_ path: String, allowAbsolute: Bool = false) throws(PathProblem) -> [String] {
        if path.hasPrefix("/") && !allowAbsolute { throw PathProblem(message: "an absolute path: refused") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        if parts.contains("..") { throw PathProblem(message: "a path with '..': refused") }
        return parts
    }

    /// Why an entry's path is refused.
    struct PathProblem: Error {
        let message: String
    }

    /// `makedev` in the kernel's 32-bit encoding `FileInfo.specialDevice` uses.
    static func encodeDevice(major: UInt32, minor: UInt32) -> UInt32 {
        (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)
    }
}
