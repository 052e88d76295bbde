import Foundation
import VigilXML

/// The rule files of a rule folder, found without following the folder out of itself:
/// a symbolic link to a directory is refused (inside the folder it would loop or read
/// rules twice; outside it, the folder would no longer be what was reviewed), as is a
/// link to a file outside the folder, and a directory reached twice (a bind mount
/// loop). A `*.yaml` entry that is not a regular file (a FIFO, socket or device) is
/// refused before it is opened. Each problem names its path. Names are taken in natural
/// order (`NaturalOrder`), so that folders named by CIS section come as the benchmark
/// numbers them: `1.2-api-server` before `1.10-...`.
struct RuleFolderWalk {
    /// The file in a folder below the top that gives its Group a title and description.
    static let groupFile = "group.yaml"

    /// Rule files (`*.yaml` and `*.yml` other than the top `benchmark.yaml` and the
    /// folders' `group.yaml`) with the folder they are in relative to the rule folder:
    /// files by name, then folders by name, depth first.
    private(set) var files: [(path: String, group: String)] = []
    /// The `group.yaml` files, each with the folder (Group) it describes.
    private(set) var groupFiles: [(path: String, group: String)] = []
    private(set) var errors: [RuleError] = []
    private let root: String
    private var visited: Set<FileID> = []

    private struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    init(_ folder: String) {
        root = Self.realPath(folder) ?? folder
        visit(folder, group: "")
    }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    private func inside(_ real: String) -> Bool { real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") }

    private static func isRuleFile(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    private mutating func visit(_ dir: String, group: String) {
        var st = stat()
        guard stat(dir, &st) == 0 else { return }
        let id = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        guard visited.insert(id).inserted else {
            errors.append(RuleError(file: dir, line: nil, "this folder is reached twice (a mount or link loop); refused"))
            return
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            errors.append(RuleError(file: dir, line: nil, "the folder cannot be read"))
            return
        }
        var found: [String] = [], dirs: [String] = []
        for name in names.sorted(by: NaturalOrder.less) where !name.hasPrefix(".") {
            let path = (dir as NSString).appendingPathComponent(name)
            let benchmark = group.isEmpty && name == RuleFolder.benchmarkFile   // read by RuleFolder.load
            let groupFile = !group.isEmpty && name == Self.groupFile
            let ruleFile = Self.isRuleFile(name)
            var link = stat()
            guard lstat(path, &link) == 0 else { continue }
            if link.st_mode & S_IFMT == S_IFLNK {
                guard let real = Self.realPath(path), stat(path, &st) == 0 else {
                    if ruleFile { errors.append(RuleError(file: path, line: nil, "a symbolic link to nothing (broken link)")) }
                    continue
                }
                if st.st_mode & S_IFMT == S_IFDIR {
                    let here = Self.realPath(dir) ?? dir
                    let why = !inside(real) ? "it leads out of the rule folder"
                        : here == real || here.hasPrefix(real + "/") ? "it loops back to a folder that holds it"
                        : "its rules would be read twice"
                    errors.append(RuleError(file: path, line: nil, "a symbolic link to the folder \(real); refused: \(why)"))
                    continue
                }
                guard ruleFile else { continue }
                guard inside(real) else {
                    errors.append(RuleError(file: path, line: nil, "a symbolic link to \(real), which is outside the rule folder; refused"))
                    continue
                }
            } else {
                st = link
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                dirs.append(name)
            case S_IFREG:
                if groupFile { groupFiles.append((path, group)) } else if ruleFile && !benchmark { found.append(path) }
            default:
                if ruleFile && !benchmark {
                    errors.append(RuleError(file: path, line: nil,
                                            "is \(InputFile.kind(path) ?? "not a regular file"), not a regular file; refused"))
                }
            }
        }
        files += found.map { ($0, group) }
        for d in dirs { visit((dir as NSString).appendingPathComponent(d), group: group.isEmpty ? d : group + "/" + d) }
    }
}

/// Natural order of names: runs of digits compare as numbers, so `1.2` comes before `1.10`
/// and `4.2` before `10`; otherwise by Unicode scalars, as `sorted()` does.
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
        var x = i.next(), y = j.next()
        while let p = x, let q = y {
            if isDigit(p) && isDigit(q) {
                var m = "", n = ""
                while let c = x, isDigit(c) { m.unicodeScalars.append(c); x = i.next() }
                while let c = y, isDigit(c) { n.unicodeScalars.append(c); y = j.next() }
                let (u, v) = (m.drop { $0 == "0" }, n.drop { $0 == "0" })
                if u.count != v.count { return u.count < v.count }
                if u != v { return u < v }
                continue
            }
            if p != q { return p.value < q.value }
            x = i.next(); y = j.next()
        }
        if x == nil && y == nil { return a < b }  // equal but for leading zeros: any fixed order
        return x == nil
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }
}
