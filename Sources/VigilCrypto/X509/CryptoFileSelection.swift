import Foundation
import VigilTarget

/// Which files a certificate or key check reads, from its parameters `paths` (files,
/// directories, or a glob in the last component such as `/etc/ssh/ssh_host_*_key.pub`),
/// `name_pattern` (regular expressions, searched in the names of a directory's files as the
/// `file` check's `name_pattern`; a file matching any is selected; default every file) and
/// `recursive` (descend into subdirectories, links to directories not followed).
/// Everything is read through the target; a file reached twice (links) is read once.
struct CryptoFileSelection: Sendable, Equatable {
    static let parameterNames = ["paths", "name_pattern", "recursive"]
    /// At most this many files are read; past it the check is an error, not a partial verdict.
    static let maxFiles = 100_000
    /// Directory depth reached with `recursive`.
    static let maxDepth = 32

    var paths: [String]
    var namePatterns: [String]
    var recursive: Bool

    init(_ p: NativeParameters, defaultPaths: [String]? = nil, defaultNamePattern: String? = nil) throws {
        guard let paths = p.strings("paths") ?? defaultPaths, !paths.isEmpty else {
            throw NativeCheckError(parameter: "paths", "'paths' is required")
        }
        for path in paths where !path.hasPrefix("/") {
            throw NativeCheckError(parameter: "paths", "'paths' must be absolute, not '\(path)'")
        }
        self.paths = paths
        namePatterns = p.strings("name_pattern") ?? (p.has("paths") ? [] : defaultNamePattern.map { [$0] } ?? [])
        for pattern in namePatterns where (try? NSRegularExpression(pattern: pattern)) == nil {
            throw NativeCheckError(parameter: "name_pattern", "'name_pattern' is not a valid regular expression: '\(pattern)'")
        }
        recursive = try p.bool("recursive") ?? false
    }

    /// One file to read: its canonical path, and whether it was named (a file path or a
    /// glob match: it must hold what the check reads) rather than found in a directory.
    struct Selected: Sendable, Equatable {
        var path: String
        var named: Bool
    }

    /// The files, in the order found, and the problems (unreadable directories, too many files).
    func files(in target: any Target) -> (files: [Selected], problems: [String]) {
        var walk = Walk(target: target, selection: self)
        for path in paths { walk.visit(path) }
        return (walk.files, walk.problems)
    }

    /// Whether `name` is a glob (fnmatch) pattern.
    static func isGlob(_ name: Substring) -> Bool { name.contains { $0 == "*" || $0 == "?" || $0 == "[" } }

    /// Whether the glob `pattern` (fnmatch) matches `name`.
    static func globMatches(_ pattern: String, _ name: String) -> Bool { fnmatch(pattern, name, 0) == 0 }
}

/// The state of one `CryptoFileSelection.files(in:)` walk.
private struct Walk {
    let target: any Target
    let selection: CryptoFileSelection
    var files: [CryptoFileSelection.Selected] = []
    var problems: [String] = []
    var seen: Set<String> = []
    var overflow = false
    let patterns: [NSRegularExpression]

    init(target: any Target, selection: CryptoFileSelection) {
        self.target = target
        self.selection = selection
        patterns = selection.namePatterns.compactMap { try? NSRegularExpression(pattern: $0) }
    }

    private func selected(_ name: String) -> Bool {
        patterns.isEmpty || patterns.contains { $0.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil }
    }

    mutating func visit(_ path: String) {
        let last = path.split(separator: "/").last ?? ""
        guard CryptoFileSelection.isGlob(last) else { return visitNamed(path) }
        let parent = String(path.dropLast(last.count))
        guard case .success(let entries) = target.directoryEntries(parent) else { return }
        for e in entries.sorted(by: { $0.name < $1.name }) where CryptoFileSelection.globMatches(String(last), e.name) {
            visitNamed(join(parent, e.name))
        }
    }

    private mutating func visitNamed(_ path: String) {
        switch target.statResult(path) {
        case .failure(let f) where f.code == ENOENT || f.code == ENOTDIR: return
        case .failure(let f): problems.append("\(PathBytes.display(path)): \(f)")
        case .success(let info) where info.isDirectory: walkDirectory(path, depth: 0)
        case .success(let info) where info.isRegular: add(path, named: true)
        case .success(let info): problems.append("\(PathBytes.display(path)): a \(info.typeName), not a file")
        }
    }

    private mutating func walkDirectory(_ dir: String, depth: Int) {
        let entries: [DirectoryEntry]
        switch target.directoryEntries(dir) {
        case .failure(let f): problems.append("\(PathBytes.display(dir)): \(f)"); return
        case .success(let e): entries = e.sorted { $0.name < $1.name }
        }
        for e in entries {
            let path = join(dir, e.name)
            guard let info = e.info else { continue }
            if info.isDirectory {
                if selection.recursive && depth < CryptoFileSelection.maxDepth { walkDirectory(path, depth: depth + 1) }
                continue
            }
            guard selected(e.name) else { continue }
            // A link is read when it leads to a regular file inside the target.
            if info.isRegular || (info.isSymlink && target.fileInfo(path)?.isRegular == true) {
                add(path, named: !selection.namePatterns.isEmpty)
            }
        }
    }

    private mutating func add(_ path: String, named: Bool) {
        let canonical = (try? target.canonicalPath(path).get()) ?? path
        guard seen.insert(canonical).inserted else { return }
        guard files.count < CryptoFileSelection.maxFiles else {
            if !overflow { problems.append("more than \(CryptoFileSelection.maxFiles) files under \(selection.paths.joined(separator: ", "))") }
            overflow = true
            return
        }
        files.append(.init(path: path, named: named))
    }

    private func join(_ dir: String, _ name: String) -> String { dir.hasSuffix("/") ? dir + name : dir + "/" + name }
}
