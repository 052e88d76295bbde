import Foundation
import VigilTarget

/// glob(3) as OpenSSH calls it for `Include` (no flags): the existing paths matching a
/// pattern, sorted, `*`, `?` and `[...]` in any component, a leading dot matched only by
/// a dot; resolved through the target (inside the root for offline targets).
enum SSHGlob {
    /// Most names one include pattern may yield.
    static let resultLimit = 1024

    /// The matches of `pattern`, at most `resultLimit`; `complete` is false when a step
    /// reached more names than that (sshd would read the rest).
    static func expand(_ pattern: String, target: any Target) -> (paths: [String], complete: Bool) {
        var paths = ["/"]
        var complete = true
        for component in pattern.split(separator: "/").map(String.init) {
            var next: [String] = []
            for base in paths {
                let prefix = base == "/" ? "/" : base + "/"
                if component.contains(where: { "*?[".contains($0) }) {
                    guard let names = target.listDirectory(base) else { continue }
                    for name in names.sorted() where fnmatch(component, name, FNM_PERIOD) == 0 {
                        next.append(prefix + name)
                    }
                } else {
                    next.append(prefix + component)
                }
                if next.count > resultLimit { break }
            }
            if next.count > resultLimit { complete = false }
            paths = Array(next.prefix(resultLimit))
        }
        let found = paths.filter { if case .success = target.statResult($0, followLinks: true) { return true }; return false }
        return (found.sorted(), complete)
    }
}
