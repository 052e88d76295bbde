import Foundation

/// The attribution graph of one scan's file accesses (see `FootprintScope`): per node,
/// the paths it read, `stat`ed, resolved or listed itself, and the nodes it depends on.
/// Safe to use from every thread of the scan.
public final class FootprintRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String: Set<String>] = [:]
    private var listings: [String: Set<String>] = [:]
    private var edges: [String: Set<String>] = [:]

    public init() {}

    /// Records an access to `path` (a listing of it when `listing`) by the current scope's
    /// node, or by the global node outside any scope of this recorder.
    public func record(_ path: String, listing: Bool = false) {
        let scope = FootprintScope.current
        let node = scope.flatMap { $0.recorder === self ? $0.node : nil } ?? FootprintScope.globalNode
        record(path, listing: listing, node: node)
    }

    /// Records an access by `node`.
    public func record(_ path: String, listing: Bool, node: String) {
        guard node != FootprintScope.ignoredNode else { return }
        lock.lock()
        if listing { listings[node, default: []].insert(path) } else { paths[node, default: []].insert(path) }
        lock.unlock()
    }

    /// Records that `node` depends on `other`.
    public func link(_ node: String, to other: String) {
        guard node != other, node != FootprintScope.ignoredNode else { return }
        lock.lock()
        edges[node, default: []].insert(other)
        lock.unlock()
    }

    /// What `node` and every node it depends on accessed: paths, and directories listed.
    public func reach(_ node: String) -> (paths: Set<String>, listings: Set<String>) {
        lock.lock()
        defer { lock.unlock() }
        var seen: Set<String> = [node]
        var pending = [node]
        var outPaths = Set<String>(), outListings = Set<String>()
        while let next = pending.popLast() {
            outPaths.formUnion(paths[next] ?? [])
            outListings.formUnion(listings[next] ?? [])
            for dep in edges[next] ?? [] where seen.insert(dep).inserted { pending.append(dep) }
        }
        return (outPaths, outListings)
    }

    /// The node of rule `id`.
    public static func ruleNode(_ id: String) -> String { "r:" + id }
}
