/// How a walk tells the shared source what it reads, so that listings are kept for the
/// other walks that will read them and for no one else (`FileWalkSharedSource`).
extension FileWalker {
    /// Registers a walk recursing down from `root` with the source (the walk a planned
    /// batch announced under `walkKey`, or a new one) and works out which other walks
    /// hold `root` in their trees. False when the source does not track walks.
    func startWalk(at root: FileWalkNode) -> Bool {
        guard root.kind == .directory, let identity = root.identity,
              let id = source.startWalk(key: walkKey, root: identity) else { return false }
        walkID = id
        rootedWalks = source.walkRoots()
        var above: [Int] = []
        for ancestor in source.ancestorIdentities(of: root.path) where ancestor != identity {
            above += rootedWalks[ancestor] ?? []
        }
        interest = above.filter { $0 != id }
        return true
    }

    /// The other walks whose trees hold `node`: those holding its parent (`parent`) and,
    /// for a directory, those rooted at it.
    func interest(of node: FileWalkNode, within parent: [Int]) -> [Int] {
        guard let walk = walkID, node.kind == .directory, let identity = node.identity else { return parent }
        guard let rooted = rootedWalks[identity], rooted != [walk] else { return parent }
        var all = parent
        for other in rooted where other != walk && !all.contains(other) { all.append(other) }
        return all
    }

    /// This walk as a reader of the listing of the node being visited, when the source
    /// tracks it.
    var reader: FileWalkReader? {
        walkID.map { FileWalkReader(walk: $0, interest: interest) }
    }
}
