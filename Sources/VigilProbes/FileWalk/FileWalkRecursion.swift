import Foundation
import VigilOVAL

/// The second half of a file walk: from each directory the matching walk found, the
/// recursion its behaviors ask for (`recurse_direction` none, down or up, within
/// `max_depth`) and the selection of entries by `filename`.
extension FileWalker {
    func recurse(from directory: FileWalkNode) {
        switch behaviors.direction {
        case .none where collectDirectories:
            emit(0, FileWalkEntry(path: directory.path, filename: nil, kind: .directory))
        case .none:
            traverse(from: rootNode(directory.path), followLinks: false, recurseStep)
        case .down:
            let root = rootNode(directory.path)
            let registered = startWalk(at: root)
            traverse(from: root, followLinks: false, recurseStep)
            if registered, let id = walkID { source.finishWalk(id) }
            walkID = nil
            interest = []
        case .up:
            walkUp(from: directory.path)
        }
    }

    func recurseStep(_ node: FileWalkNode, _ ancestors: Set<FileIdentity>) -> Step {
        if node.kind == .directory, let id = node.identity, ancestors.contains(id) { return .done }
        collect(node)
        var followLink = false
        if node.level > 0 {
            if behaviors.direction == .none || (behaviors.maxDepth != -1 && node.level > behaviors.maxDepth) {
                return .done
            }
            switch node.kind {
            case .directory:
                if !behaviors.recurse.contains(.directories)
                    && !(behaviors.recurse.contains(.symlinks) && following) { return .done }
                following = false
            case .symlink:
                if !behaviors.recurse.contains(.symlinks) { return .done }
                followLink = true
                following = true
            default:
                return .done
            }
        }
        if (node.kind == .directory || node.kind == .symlink) && !onAllowedFileSystem(node) { return .done }
        if followLink { return .revisit(followed(node)) }
        guard node.kind == .directory, !isPseudoFileSystem(node) else { return .done }
        if node.level == 0 && behaviors.direction == .none, let name = exactFilename {
            // Only this directory's entries are compared: look the one name up directly.
            if let child = namedChild(of: node, name) { collect(child) }
            return .done
        }
        guard let entries = listing(node) else {
            if stopped { return .done }
            var unreadable = node
            unreadable.kind = .unreadableDirectory
            collect(unreadable)
            return .done
        }
        announceDescent(from: node, entries)
        return .descend(node, entries)
    }

    /// Selects `node` for each selection that asks for it: a directory within `max_depth`
    /// (nil filename), or a non-directory whose name matches `filename`.
    func collect(_ node: FileWalkNode) {
        for i in filenames.indices {
            if selectsDirectories[i] {
                if node.kind == .directory && (behaviors.maxDepth == -1 || node.level <= behaviors.maxDepth) {
                    emit(i, FileWalkEntry(path: node.path, filename: nil, kind: .directory, lstat: node.lstatInfo))
                }
            } else if node.kind != .directory {
                matchFilename(node, selection: i)
            }
        }
    }

    func matchFilename(_ node: FileWalkNode, selection i: Int = 0) {
        // Evaluated in place: copying the entity per file was a measurable part of a walk.
        switch filenames[i]?.evaluate(node.name) {
        case .true?:
            emit(i, FileWalkEntry(path: FileWalker.itemPath(node), filename: node.name, kind: node.kind, lstat: node.lstatInfo))
        case .error?:
            selectionErrors[i] = true
        default:
            break
        }
    }

    /// `recurse_direction="up"`: the directory and each parent up to "/", at most
    /// `max_depth` levels up; in each, the directory itself (nil filename) or its entries.
    func walkUp(from start: String) {
        var current = start
        var depth = 0
        while behaviors.maxDepth == -1 || depth <= behaviors.maxDepth {
            walkUpOne(current)
            if stopped { break }
            if current == "/" { break }
            let parent = FileWalker.dirname(current)
            if parent == current { break }
            current = parent
            depth += 1
        }
    }

    func walkUpOne(_ directory: String) {
        let root = rootNode(directory)
        guard onAllowedFileSystem(root) else { return }
        if collectDirectories {
            if root.kind == .directory { emit(0, FileWalkEntry(path: directory, filename: nil, kind: .directory)) }
            return
        }
        guard root.kind == .directory else {
            matchFilename(root)
            return
        }
        if behaviors.fileSystem == .all, let name = exactFilename {
            // Only this directory's entries are compared: look the one name up directly.
            guard let child = namedChild(of: root, name) else { return }
            if child.kind != .directory { matchFilename(child) }
            if child.kind == .symlink {
                let target = followed(child)
                if target.kind != .directory { matchFilename(target) }
            }
            return
        }
        guard let entries = listing(root) else {
            if stopped { return }
            var unreadable = root
            unreadable.kind = .unreadableDirectory
            matchFilename(unreadable)
            return
        }
        let base = FileWalker.base(of: root)
        for entry in entries {
            let child = childNode(of: root, entry, followLinks: false, base: base)
            guard onAllowedFileSystem(child) else { return }
            if child.kind != .directory { matchFilename(child) }
            if child.kind == .symlink {
                let target = followed(child)
                guard onAllowedFileSystem(target) else { return }
                if target.kind != .directory { matchFilename(target) }
            }
        }
    }

    /// Tells the source which subdirectories (on the same device) this walk will list
    /// next, so that it can read them ahead.
    func announceDescent(from node: FileWalkNode, _ entries: [DirectoryEntry]) {
        guard behaviors.direction == .down, behaviors.recurse.contains(.directories),
              behaviors.maxDepth == -1 || node.level + 1 <= behaviors.maxDepth,
              let device = node.info?.device else { return }
        let base = FileWalker.base(of: node)
        var next: [(path: String, identity: FileIdentity)] = []
        for entry in entries {
            guard let info = entry.info, info.isDirectory, info.device == device else { continue }
            next.append((base + "/" + entry.name, FileIdentity(device: info.device, inode: info.inode)))
        }
        source.willEnter(next, depth: behaviors.maxDepth == -1 ? -1 : behaviors.maxDepth - node.level, reader: reader)
    }
}
