import Foundation

/// One file, directory or symbolic link of a generated Kubernetes node tree, with the mode
/// and numeric owner the fixture claims for it.
struct NodeEntry: Equatable {
    enum Kind: Equatable { case file(String), directory, link(String) }
    var path: String
    var kind: Kind
    var mode: Int
    var uid: Int = 0
    var gid: Int = 0
    /// The file is YAML (manifests, kubeconfigs, kubelet and k3s/rke2 configs): a test parses it.
    var yaml: Bool = false
}

/// A deviation's edit did not find what it edits: the fixture code and the deviation disagree.
struct NodeSpecError: Error, CustomStringConvertible {
    let description: String
}

/// A node before it is written: entries by absolute path inside the node. Fixtures build the
/// hardened form and deviations edit it (a flag's value, a line, a mode, an owner); every edit
/// throws when it finds nothing to change, so a deviation can never silently be a no-op.
struct NodeSpec: Equatable {
    private(set) var entries: [String: NodeEntry] = [:]

    var paths: [String] { entries.keys.sorted() }
    subscript(path: String) -> NodeEntry? { entries[path] }

    mutating func file(_ path: String, _ text: String, mode: Int, uid: Int = 0, gid: Int = 0, yaml: Bool = false) {
        entries[path] = NodeEntry(path: path, kind: .file(text), mode: mode, uid: uid, gid: gid, yaml: yaml)
    }

    mutating func yaml(_ path: String, _ text: String, mode: Int = 0o600, uid: Int = 0, gid: Int = 0) {
        file(path, text, mode: mode, uid: uid, gid: gid, yaml: true)
    }

    mutating func directory(_ path: String, mode: Int, uid: Int = 0, gid: Int = 0) {
        entries[path] = NodeEntry(path: path, kind: .directory, mode: mode, uid: uid, gid: gid)
    }

    mutating func link(_ path: String, to target: String) {
        entries[path] = NodeEntry(path: path, kind: .link(target), mode: 0o777)
    }

    /// A certificate (644) and its key (600), root-owned, with placeholder PEM bytes.
    mutating func keyPair(_ base: String) {
        file(base + ".crt", "-----BEGIN CERTIFICATE-----\nMIIB\(base.utf8.count)\n-----END CERTIFICATE-----\n", mode: 0o644)
        file(base + ".key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n", mode: 0o600)
    }

    private mutating func existing(_ path: String) throws -> NodeEntry {
        guard let entry = entries[path] else { throw NodeSpecError(description: "no entry \(path)") }
        return entry
    }

    mutating func setMode(_ path: String, _ mode: Int) throws {
        var entry = try existing(path)
        entry.mode = mode
        entries[path] = entry
    }

    mutating func setOwner(_ path: String, uid: Int, gid: Int) throws {
        var entry = try existing(path)
        (entry.uid, entry.gid) = (uid, gid)
        entries[path] = entry
    }

    mutating func remove(_ path: String) throws {
        _ = try existing(path)
        entries[path] = nil
    }

    /// Replaces the first occurrence of `old` in a file's text.
    mutating func replace(_ path: String, _ old: String, with new: String) throws {
        var entry = try existing(path)
        guard case .file(let text) = entry.kind, let range = text.range(of: old) else {
            throw NodeSpecError(description: "\(path) has no '\(old)'")
        }
        entry.kind = .file(text.replacingCharacters(in: range, with: new))
        entries[path] = entry
    }

    /// Sets `--flag=value` where the line carries `--flag=` as a whole flag (not `--peer-flag=`).
    mutating func setFlag(_ path: String, _ flag: String, _ value: String) throws {
        var found = false
        try editLines(path) { line in
            guard let start = Self.flagRange(flag, in: line) else { return line }
            found = true
            let end = line[start.upperBound...].firstIndex(where: { $0 == "\"" || $0 == "'" || $0 == " " }) ?? line.endIndex
            return String(line[..<start.upperBound]) + value + String(line[end...])
        }
        if !found { throw NodeSpecError(description: "\(path) has no flag \(flag)") }
    }

    /// Removes the list item or line that carries `--flag=` as a whole flag.
    mutating func dropFlag(_ path: String, _ flag: String) throws {
        var found = false
        try editLines(path) { line in
            guard Self.flagRange(flag, in: line) != nil else { return line }
            found = true
            return nil
        }
        if !found { throw NodeSpecError(description: "\(path) has no flag \(flag)") }
    }

    private static func flagRange(_ flag: String, in line: String) -> Range<String.Index>? {
        var from = line.startIndex
        while let range = line.range(of: flag + "=", range: from..<line.endIndex) {
            if range.lowerBound == line.startIndex { return range }
            let before = line[line.index(before: range.lowerBound)]
            if !(before.isLetter || before.isNumber || before == "-") { return range }
            from = range.upperBound
        }
        return nil
    }

    /// Removes the line(s) carrying `text`.
    mutating func dropLines(_ path: String, containing text: String) throws {
        try editLine(path, containing: text) { _ in nil }
    }

    /// Adds `line` after the first line carrying `anchor`.
    mutating func insertLine(_ path: String, after anchor: String, _ line: String) throws {
        var done = false
        try editLine(path, containing: anchor) { found in
            defer { done = true }
            return done ? found : found + "\n" + line
        }
    }

    private mutating func editLine(_ path: String, containing text: String, _ edit: (String) -> String?) throws {
        guard case .file(let body)? = entries[path]?.kind, body.contains(text) else {
            throw NodeSpecError(description: "\(path) has no line with '\(text)'")
        }
        try editLines(path) { $0.contains(text) ? edit($0) : $0 }
    }

    private mutating func editLines(_ path: String, _ edit: (String) -> String?) throws {
        var entry = try existing(path)
        guard case .file(let body) = entry.kind else { throw NodeSpecError(description: "\(path) is not a file") }
        entry.kind = .file(body.components(separatedBy: "\n").compactMap(edit).joined(separator: "\n"))
        entries[path] = entry
    }
}
