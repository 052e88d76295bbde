import Foundation
import VigilTarget

/// An image's merged file system, held in memory as a tree of names and inodes. Paths are
/// resolved as `RootTarget` resolves them on disk: one component at a time, symbolic links
/// followed by Vigil (absolute targets restart at the image's root, `..` never climbs above
/// it, more than 40 links is `ELOOP`), so no path or link leads out of the image.
final class ImageTree: @unchecked Sendable {
    let root: ImageNode
    private var nextInode: UInt32 = 2
    /// Access and change times that differ from the modification time, by inode number.
    var otherTimes: [UInt32: (access: Int64, change: Int64)] = [:]
    /// Extended attributes, by inode number (most files have none).
    var xattrs: [UInt32: [String: [UInt8]]] = [:]
    /// The names the tree holds now, the root included (`LayerApplier` counts them).
    var names = 1

    init(rootTime: Int64) {
        root = ImageNode(type: UInt32(S_IFDIR), permissions: 0o755, time: rootTime, number: 1)
    }

    /// An inode's access and change times.
    func times(_ inode: ImageNode) -> (access: Int64, change: Int64) {
        otherTimes[inode.number] ?? (inode.modifyTime, inode.modifyTime)
    }

    /// A new file with the next inode number.
    func makeNode(type: UInt32, permissions: UInt32, time: Int64) -> ImageNode {
        defer { nextInode &+= 1 }
        return ImageNode(type: type, permissions: permissions, time: time, number: nextInode)
    }

    /// Where a path led: the directory holding the final component, the component's name
    /// ("" for the root itself), its node when it exists, and the canonical names down to
    /// that directory.
    struct Location {
        let parent: ImageNode
        let name: String
        let node: ImageNode?
        let names: [String]
        /// The nodes from the root down to `parent` (along `names`).
        let nodes: [ImageNode]

        /// The canonical path inside the image.
        var path: String { "/" + (names + (name.isEmpty ? [] : [name])).joined(separator: "/") }
    }

    /// Resolves `path`, following the last component when it is a link and `followLast`.
    /// `createMissing` (while layers are applied) makes the missing directories on the way
    /// (as `mkdir -p`, mode 0755, owned by root) instead of failing with `ENOENT`; one whose
    /// canonical path would pass `maxPathBytes` is `ENAMETOOLONG` instead (no tool can make it).
    func locate(_ path: String, followLast: Bool, createMissing: ((String) -> ImageNode)? = nil,
                maxPathBytes: Int = Int.max) -> Result<Location, TargetFailure> {
        var pending = Array(Self.components(path).reversed())
        if path.hasSuffix("/") && !pending.isEmpty { pending.insert(".", at: 0) }
        var stack: [ImageNode] = [root]
        var names: [String] = []
        var nameBytes = 0  // of the canonical path down to the current directory
        var hops = 0
        while let comp = pending.popLast() {
            let dir = stack[stack.count - 1]
            if comp == "." {
                if pending.isEmpty { return .success(Location(parent: dir, name: "", node: dir, names: names, nodes: stack)) }
                continue
            }
            if comp == ".." {
                if stack.count > 1 { stack.removeLast(); nameBytes -= names.removeLast().utf8.count + 1 }
                if pending.isEmpty { return .success(Location(parent: stack[stack.count - 1], name: "", node: stack[stack.count - 1], names: names, nodes: stack)) }
                continue
            }
            let isLast = pending.isEmpty
            var child = dir.children[comp]
            if child == nil, let createMissing, !isLast {
                guard nameBytes + comp.utf8.count + 1 <= maxPathBytes else { return .failure(TargetFailure(ENAMETOOLONG)) }
                let made = createMissing(comp)
                dir.children[comp] = made
                child = made
            }
            guard let node = child else {
                return isLast ? .success(Location(parent: dir, name: comp, node: nil, names: names, nodes: stack))
                    : .failure(TargetFailure(ENOENT))
            }
            if node.inode.isSymlink && (!isLast || followLast) {
                hops += 1
                guard hops <= 40 else { return .failure(TargetFailure(ELOOP)) }
                let dest = node.inode.linkTarget
                guard !dest.isEmpty else { return .failure(TargetFailure(ENOENT)) }
                if dest.hasPrefix("/") { stack = [root]; names = []; nameBytes = 0 }
                var parts = Self.components(dest)
                if dest.hasSuffix("/") && !parts.isEmpty { parts.append(".") }
                pending.append(contentsOf: parts.reversed())
                continue
            }
            if isLast { return .success(Location(parent: dir, name: comp, node: node, names: names, nodes: stack)) }
            guard node.inode.isDirectory else { return .failure(TargetFailure(ENOTDIR)) }
            stack.append(node)
            names.append(comp)
            nameBytes += comp.utf8.count + 1
        }
        return .success(Location(parent: stack[stack.count - 1], name: "", node: stack[stack.count - 1], names: names, nodes: stack))
    }

    /// The node `path` names (links followed unless `followLast` is false), or why none.
    func node(_ path: String, followLast: Bool) -> Result<ImageNode, TargetFailure> {
        locate(path, followLast: followLast).flatMap { loc in
            loc.node.map { .success($0) } ?? .failure(TargetFailure(ENOENT))
        }
    }

    /// How many names `node` and everything below it are.
    static func count(_ node: ImageNode) -> Int {
        node.children.values.reduce(1) { $0 + count($1) }
    }

    /// The components of a path ("//" and "." kept out by the caller's rules: empty ones dropped).
    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }
}
