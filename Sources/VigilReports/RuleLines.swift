import Foundation

/// Where rules are defined in a content file: the line of each `<Rule id="...">` (any
/// namespace prefix), found by one pass over the file's bytes, for reports that point at
/// a rule's source (SARIF). A file that cannot be read gives no lines.
enum RuleLines {
    /// The 1-based line of each of `ids` that the file at `path` defines as a Rule.
    static func find(_ ids: Set<String>, in path: String) -> [String: Int] {
        guard !ids.isEmpty, let data = FileManager.default.contents(atPath: path) else { return [:] }
        return data.withUnsafeBytes { raw in find(ids, bytes: raw.bindMemory(to: UInt8.self)) }
    }

    /// The same over a file's bytes.
    static func find(_ ids: Set<String>, bytes: UnsafeBufferPointer<UInt8>) -> [String: Int] {
        let rule = Array("Rule".utf8), idAttribute = Array("id=".utf8)
        var lines: [String: Int] = [:]
        var line = 1, i = 0
        let n = bytes.count
        func matches(_ pattern: [UInt8], at p: Int) -> Bool {
            p + pattern.count <= n && pattern.indices.allSatisfy { bytes[p + $0] == pattern[$0] }
        }
        while i < n {
            let b = bytes[i]
            if b == 0x0A { line += 1 }
            // An element start: "<Rule " or "<prefix:Rule ".
            guard b == 0x3C, i + 1 < n, bytes[i + 1] != 0x2F else { i += 1; continue }
            var p = i + 1
            while p < n, bytes[p] != 0x20, bytes[p] != 0x3E, bytes[p] != 0x0A, bytes[p] != 0x09, p - i < 64 { p += 1 }
            let nameEnd = p
            guard nameEnd - (i + 1) >= 4, matches(rule, at: nameEnd - 4),
                  nameEnd - 4 == i + 1 || bytes[nameEnd - 5] == 0x3A else { i += 1; continue }
            // Its id attribute, before the tag ends.
            while p < n, bytes[p] != 0x3E {
                if (bytes[p - 1] == 0x20 || bytes[p - 1] == 0x0A || bytes[p - 1] == 0x09), matches(idAttribute, at: p),
                   p + 3 < n, bytes[p + 3] == 0x22 || bytes[p + 3] == 0x27 {
                    let quote = bytes[p + 3]
                    var e = p + 4
                    while e < n, bytes[e] != quote { e += 1 }
                    let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[(p + 4)..<min(e, n)]), as: UTF8.self)
                    if ids.contains(id), lines[id] == nil { lines[id] = line }
                    break
                }
                p += 1
            }
            i = nameEnd
        }
        return lines
    }
}
