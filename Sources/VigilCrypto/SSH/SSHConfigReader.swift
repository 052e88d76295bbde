import Foundation
import VigilTarget

/// Reads sshd_config or ssh_config through a target the way OpenSSH does: keyword lines,
/// `Include` expanded in place (globs sorted, relative paths under /etc/ssh, depth at
/// most 16 as OpenSSH), `Match` (and for the client `Host`) blocks recorded on each
/// directive. Limits against hostile input: each file at most `fileLimit` bytes and
/// `lineLimit` bytes a line, at most `fileCountLimit` files in all.
struct SSHConfigReader {
    static let fileLimit = 1 << 20
    static let lineLimit = 16 << 10
    static let fileCountLimit = 256
    static let depthLimit = 16

    let target: any Target
    let server: Bool
    private(set) var result = SSHParsedConfig()
    private var ignoreUnknown: String?
    /// Set when an include limit is met: sshd refuses the configuration then, so nothing
    /// more is read (a file including itself on every line would otherwise be tried
    /// millions of times).
    private var stopped = false

    init(target: any Target, server: Bool) {
        self.target = target
        self.server = server
    }

    /// Reads `path` and everything it includes.
    static func read(_ path: String, target: any Target, server: Bool) -> SSHParsedConfig {
        var r = SSHConfigReader(target: target, server: server)
        r.readFile(path, depth: 0, outer: [], from: nil)
        return r.result
    }

    private mutating func problem(_ location: String, _ keyword: String?, _ message: String) {
        result.problems.append((location, keyword, message))
    }

    private mutating func readFile(_ path: String, depth: Int, outer: [SSHBlock], from: String?) {
        guard !stopped else { return }
        guard depth <= Self.depthLimit else {
            stopped = true
            return problem(from ?? path, "include", "too many recursive configuration includes (more than \(Self.depthLimit))")
        }
        guard result.files.count < Self.fileCountLimit else {
            stopped = true
            return problem(from ?? path, "include", "more than \(Self.fileCountLimit) configuration files")
        }
        let bytes: [UInt8]
        do { bytes = try target.readFile(path, limit: Self.fileLimit) } catch {
            return problem(from ?? path, from == nil ? nil : "include", "cannot read \(path): \(error)")
        }
        result.files.append(path)
        let text = String(decoding: bytes, as: UTF8.self)
        var block: SSHBlock?
        var number = 0
        // "\r\n" is one Character in Swift: split on both, the CR is trailing white space.
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            if stopped { break }
            number += 1
            let at = "\(path):\(number)"
            guard raw.utf8.count <= Self.lineLimit else { problem(at, nil, "line longer than \(Self.lineLimit) bytes"); continue }
            guard let parsed = SSHConfigLine.parse(raw) else { continue }
            let line: SSHConfigLine
            switch parsed {
            case .failure(let p): problem(at, nil, p.description); continue
            case .success(let l): line = l
            }
            let key = line.keyword.lowercased()
            let blocks = outer + (block.map { [$0] } ?? [])
            switch key {
            case "match":
                if let b = matchBlock(line, path, number, at) { block = b }
            case "host" where !server:
                block = SSHBlock(criteria: [], hostPatterns: line.arguments, file: path, line: number,
                                 text: "Host " + line.arguments.joined(separator: " "))
            case "include":
                for arg in line.arguments { include(arg, depth: depth, outer: blocks, at: at) }
            default:
                if !server, key == "ignoreunknown", ignoreUnknown == nil { ignoreUnknown = line.arguments.joined(separator: ",") }
                guard known(key) else {
                    // ssh skips unknown keywords its IgnoreUnknown (first value) names.
                    if !server, let ignored = ignoreUnknown, SSHPattern.matchList(key, ignored, lowercase: true) == 1 { continue }
                    problem(at, key, "Bad configuration option: \(line.keyword)")
                    continue
                }
                let name = SSHKeywords.aliases[key] ?? key
                if server, !SSHKeywords.serverMatch.contains(key), blocks.contains(where: { !$0.isMatchAll }) {
                    problem(at, name, "Directive '\(line.keyword)' is not allowed within a Match block")
                }
                result.directives.append(SSHDirective(keyword: name, spelled: line.keyword, arguments: line.arguments,
                                                      file: path, line: number, blocks: blocks))
            }
        }
    }

    private func known(_ key: String) -> Bool {
        server ? SSHKeywords.serverMatch.contains(key) || SSHKeywords.serverGlobal.contains(key) : SSHKeywords.client.contains(key)
    }

    private mutating func include(_ arg: String, depth: Int, outer: [SSHBlock], at: String) {
        let pattern = arg.hasPrefix("/") || arg.hasPrefix("~") ? arg : "/etc/ssh/" + arg
        // sshd reads a directory a glob yields as an empty file.
        let (files, complete) = SSHGlob.expand(pattern, target: target)
        if !complete {
            stopped = true
            return problem(at, "include", "Include \(arg) matches more than \(SSHGlob.resultLimit) names")
        }
        for file in files where target.fileInfo(file)?.isDirectory != true {
            readFile(file, depth: depth + 1, outer: outer, from: at)
        }
    }

    /// A `Match` line's criteria, or nil (a problem recorded) when OpenSSH refuses it.
    private mutating func matchBlock(_ line: SSHConfigLine, _ path: String, _ number: Int, _ at: String) -> SSHBlock? {
        var criteria: [(attribute: String, negated: Bool, argument: String)] = []
        var args = line.arguments[...]
        while let first = args.popFirst() {
            let negated = !server && first.hasPrefix("!")
            let attr = (negated ? String(first.dropFirst()) : first).lowercased()
            if ["all", "canonical", "final"].contains(attr) {
                if attr == "all", !(criteria.isEmpty && args.isEmpty) {
                    problem(at, "match", "'all' cannot be combined with other Match attributes")
                    return nil
                }
                criteria.append((attr, negated, ""))
                continue
            }
            let allowed = server ? ["user", "group", "host", "address", "localaddress", "localport", "rdomain"]
                : ["exec", "host", "originalhost", "user", "localuser", "localnetwork", "tagged", "command", "version", "sessiontype"]
            guard allowed.contains(attr) else { problem(at, "match", "Unsupported Match attribute \(first)"); return nil }
            guard let arg = args.popFirst() else { problem(at, "match", "Missing Match criteria for \(first)"); return nil }
            criteria.append((attr, negated, arg))
        }
        if criteria.isEmpty { problem(at, "match", "One or more attributes required for Match"); return nil }
        return SSHBlock(criteria: criteria, hostPatterns: nil, file: path, line: number,
                        text: "Match " + line.arguments.joined(separator: " "))
    }
}
