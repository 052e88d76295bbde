/// Who reads a directory listing: the walk reading it, and the other unfinished walks
/// whose trees hold the directory (they will read it too, so the shared source keeps it
/// for them).
public struct FileWalkReader: Sendable {
    public let walk: Int
    public let interest: [Int]

    public init(walk: Int, interest: [Int]) {
        self.walk = walk
        self.interest = interest
    }
}

/// The walks of one scan that recurse down from a known directory: announced by planned
/// batches before any walk starts, or registered when they start. Not thread-safe: the
/// shared source calls it under its lock.
final class FileWalkRegistry {
    private struct Walk {
        let root: FileIdentity
        /// Runs announced and not finished yet (several batches may walk the same tree).
        var pending: Int
    }

    private var walks: [Int: Walk] = [:]
    private var byKey: [String: Int] = [:]
    private var byRoot: [FileIdentity: [Int]] = [:]
    private var nextID = 1

    /// A walk with this key will start later: keep listings under `root` for it.
    func announce(key: String, root: FileIdentity) {
        if let id = byKey[key], walks[id] != nil {
            walks[id]!.pending += 1
            return
        }
        byKey[key] = add(root: root)
    }

    /// The walk now starting: the announced one with this key, or a new one.
    func start(key: String?, root: FileIdentity) -> Int {
        if let key, let id = byKey[key], let walk = walks[id] {
            if walk.root == root { return id }
            // The tree changed since it was announced: that walk will not come.
            _ = finish(id)
        }
        return add(root: root)
    }

    private func add(root: FileIdentity) -> Int {
        let id = nextID
        nextID += 1
        walks[id] = Walk(root: root, pending: 1)
        byRoot[root, default: []].append(id)
        return id
    }

    /// One run of the walk is over; true when no run of it is left (it reads nothing more).
    func finish(_ id: Int) -> Bool {
        guard var walk = walks[id] else { return false }
        walk.pending -= 1
        guard walk.pending <= 0 else {
            walks[id] = walk
            return false
        }
        walks[id] = nil
        byRoot[walk.root]?.removeAll { $0 == id }
        if byRoot[walk.root]?.isEmpty == true { byRoot[walk.root] = nil }
        byKey = byKey.filter { $0.value != id }
        return true
    }

    /// The unfinished walks by their root.
    var roots: [FileIdentity: [Int]] { byRoot }

    /// The unfinished walks rooted at `directory`.
    func walks(rootedAt directory: FileIdentity) -> [Int] {
        byRoot[directory] ?? []
    }

    /// The walks of `ids` that are not finished.
    func unfinished(_ ids: [Int]) -> [Int] {
        ids.filter { walks[$0] != nil }
    }
}
