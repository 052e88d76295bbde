import Foundation

/// The directories `ChangeMonitor` watches for a footprint: the directory holding each
/// file, each listed directory, or, for what does not exist (yet), the nearest ancestor
/// that does, so that its creation is seen. Paths are target paths; `root` (the root
/// directory of an offline target, nil for the live host) joins them to host paths.
struct WatchPlan {
    /// The host directories to watch, at most `limit` of them: those holding files read,
    /// then those listed, each the shallowest first.
    let directories: [String]
    /// Directories left out past the limit (changes in them wait for the scheduled scan).
    let leftOut: Int

    init(footprint: ScanFootprint, root: String?, limit: Int) {
        let paths = footprint.allPaths
        let holding = Set(paths.files.map(ScanFootprint.parent(of:)))
        let wanted = holding.union(paths.directories)
        // The directories holding files read first (configuration rules), then the ones
        // only listed (walks of whole trees), the shallowest first; only as many are
        // looked at as can be watched.
        func depth(_ path: String) -> Int { path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 } }
        let ordered = wanted.map { (tier: holding.contains($0) ? 0 : 1, depth: depth($0), path: $0) }
            .sorted { ($0.tier, $0.depth, $0.path) < ($1.tier, $1.depth, $1.path) }
        var chosen: [String] = []
        var seen = Set<String>()
        var looked = 0
        for candidate in ordered where chosen.count < limit {
            looked += 1
            if let found = Self.nearestDirectory(candidate.path, root: root), seen.insert(found).inserted { chosen.append(found) }
        }
        directories = chosen
        leftOut = ordered.count - looked
    }

    /// The host path of target path `path`.
    static func hostPath(_ path: String, root: String?) -> String {
        guard let root, root != "/" else { return path }
        return path == "/" ? root : root + path
    }

    /// The target path of host path `path`, or nil when it is outside `root`.
    static func targetPath(_ path: String, root: String?) -> String? {
        guard let root, root != "/" else { return path }
        if path == root { return "/" }
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count))
    }

    /// The host path of `dir` or of its nearest ancestor that is a directory (within `root`).
    /// A link to a directory is not one: its parent is watched, which sees the link change
    /// (the footprint also holds the directory it leads to).
    static func nearestDirectory(_ dir: String, root: String?) -> String? {
        var current = dir
        while true {
            let host = hostPath(current, root: root)
            var st = stat()
            if lstat(host, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { return host }
            if current == "/" { return nil }
            current = ScanFootprint.parent(of: current)
        }
    }
}
