import Foundation
import VigilTarget

/// Expands a rule's binary path, which may hold shell wildcards (`*`, `?`, `[...]`) in any
/// component (`/var/lib/rancher/rke2/data/*/bin/kubelet`), through the target's listings.
/// Matches are sorted; a wildcard does not match a leading dot.
public enum GoBinaryPaths {
    /// The most paths one pattern expands to.
    public static let maxMatches = 256

    /// The existing paths `pattern` names: itself when it has no wildcard (whether or not it
    /// exists), else the matches (possibly none), at most `maxMatches`; `complete` is false
    /// when a step reached more names than that (the caller must not judge the rest as absent).
    public static func expand(_ pattern: String, _ target: any Target) -> (paths: [String], complete: Bool) {
        let parts = pattern.split(separator: "/").map(String.init)
        guard parts.contains(where: isPattern) else { return ([pattern], true) }
        var current = ["/"]
        var complete = true
        for part in parts {
            var next: [String] = []
            for dir in current {
                if !isPattern(part) {
                    next.append(join(dir, part))
                    continue
                }
                let names = (target.listDirectory(dir) ?? []).filter { fnmatch(part, $0, FNM_PERIOD) == 0 }.sorted()
                next += names.map { join(dir, $0) }
                if next.count > maxMatches { break }
            }
            if next.count > maxMatches { complete = false }
            current = Array(next.prefix(maxMatches))
        }
        return (current.filter { target.fileInfo($0) != nil }, complete)
    }

    static func isPattern(_ s: String) -> Bool { s.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    private static func join(_ dir: String, _ name: String) -> String { dir == "/" ? "/" + name : dir + "/" + name }
}
