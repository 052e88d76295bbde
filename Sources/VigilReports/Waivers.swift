import Foundation
import VigilRules
import VigilXML
import Yams

/// An accepted failure: a rule, why, who owns it, and until when.
public struct Waiver: Sendable, Equatable, Codable {
    public var rule: String
    public var reason: String
    public var owner: String
    /// The last day the waiver holds (inclusive), as written: YYYY-MM-DD.
    public var expires: String
    /// Where it was written, "file:line".
    public var location: String

    /// Whether the waiver has lapsed: `date` is after its last day (UTC).
    public func isExpired(on date: Date) -> Bool {
        Waiver.day(date) > expires
    }

    static func day(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
    }
}

/// A waiver file's problem, naming the file and line.
public struct WaiverError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let message: String
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// The waivers of a file (`--waivers`):
///
///     waivers:
///       - rule: xccdf_org.ssgproject.content_rule_sshd_disable_root_login
///         reason: Break-glass access on the console server, ticket SEC-42
///         owner: platform-team
///         expires: 2026-12-31
///
/// `rule` is a full rule id or its short name (the part after `_rule_`).
public struct WaiverList: Sendable {
    public let file: String
    public let waivers: [Waiver]

    public init(file: String, waivers: [Waiver]) {
        self.file = file
        self.waivers = waivers
    }

    /// Reads and checks a waiver file; every problem names the file and line.
    public static func load(_ path: String) throws -> WaiverList {
        let text: String
        do { text = try YAMLInput.read(path) } catch let e as InputFileError {
            throw WaiverError(file: path, line: nil, message: e.message)
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> WaiverList {
        let root: Node?
        do {
            root = try YAMLInput.compose(text)
        } catch let error as YAMLLimitError {
            throw WaiverError(file: file, line: error.line, message: error.message)
        } catch let error as YamlError {
            throw WaiverError(file: file, line: YamlErrorLine.of(error), message: "not valid YAML: \(YamlErrorLine.message(error))")
        } catch {
            throw WaiverError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping, let list = top["waivers"] else {
            throw WaiverError(file: file, line: root.map(line) ?? 1, message: "expected a mapping with a 'waivers' list")
        }
        guard let entries = list.sequence else {
            throw WaiverError(file: file, line: line(list), message: "'waivers' must be a list")
        }
        var out: [Waiver] = []
        for entry in entries {
            guard let fields = entry.mapping else {
                throw WaiverError(file: file, line: line(entry), message: "each waiver must be a mapping with rule, reason, owner and expires")
            }
            for key in fields.keys {
                guard let name = key.string, ["rule", "reason", "owner", "expires"].contains(name) else {
                    throw WaiverError(file: file, line: line(key), message: "unknown waiver field '\(key.string ?? "?")'")
                }
            }
            func text(_ name: String) throws -> String {
                guard let node = fields[name] else {
                    throw WaiverError(file: file, line: line(entry), message: "waiver has no '\(name)'")
                }
                guard let value = node.string?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                    throw WaiverError(file: file, line: line(node), message: "'\(name)' must be a non-empty string")
                }
                return value
            }
            let expires = try text("expires")
            guard isDate(expires) else {
                throw WaiverError(file: file, line: fields["expires"].map(line),
                                  message: "'expires' must be a date of the calendar written YYYY-MM-DD, not '\(expires)'")
            }
            out.append(Waiver(rule: try text("rule"), reason: try text("reason"), owner: try text("owner"),
                              expires: expires, location: "\(file):\(line(entry))"))
        }
        return WaiverList(file: file, waivers: out)
    }

    /// The waiver for a rule id, by full id or short name.
    public func waiver(for ruleID: String) -> Waiver? {
        waivers.first { $0.rule == ruleID || ruleID.hasSuffix("_rule_" + $0.rule) }
    }

    /// Waivers that name no rule of `ruleIDs` (a warning: perhaps a typo).
    public func unmatched(_ ruleIDs: [String]) -> [Waiver] {
        waivers.filter { w in !ruleIDs.contains { $0 == w.rule || $0.hasSuffix("_rule_" + w.rule) } }
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 1 }

    /// Whether `text` is a day of the Gregorian calendar written YYYY-MM-DD, from 1970 on
    /// (so `2030-02-31` and `2026-13-01` are not).
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (48...57).contains($0) } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              y >= 1970, (1...12).contains(m) else { return false }
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }
}
