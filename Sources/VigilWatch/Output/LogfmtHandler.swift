import Foundation
import Logging

/// A swift-log handler that writes one logfmt line per event (`level=info event=scan
/// host=web-1 score=92.5 ...`): the message as `msg`, then the logger's and the event's
/// metadata as `key=value`, values quoted when they hold a space, `"`, `=` or a control
/// character. Lines start with `ts=` (UTC, ISO 8601) unless journald reads the stream
/// (`JOURNAL_STREAM` set), which stamps every line itself.
public struct LogfmtHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    /// Whether lines carry a timestamp.
    let timestamps: Bool
    /// Where each line goes (one call per line, newline included).
    let output: @Sendable (String) -> Void

    /// A handler writing to standard error; timestamps unless `JOURNAL_STREAM` is set.
    public static func standardError(label: String) -> LogfmtHandler {
        LogfmtHandler(timestamps: ProcessInfo.processInfo.environment["JOURNAL_STREAM"] == nil) { line in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    public init(timestamps: Bool, output: @escaping @Sendable (String) -> Void) {
        self.timestamps = timestamps
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var pairs: [(String, String)] = []
        if timestamps { pairs.append(("ts", Self.timestamp(Date()))) }
        pairs.append(("level", event.level.rawValue))
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        // `event` first, then the rest in the order the caller's keys sort.
        if let name = merged["event"] { pairs.append(("event", "\(name)")) }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where key != "event" {
            pairs.append((key, "\(value)"))
        }
        pairs.append(("msg", "\(event.message)"))
        output(pairs.map { "\($0.0)=\(Self.quoted($0.1))" }.joined(separator: " ") + "\n")
    }

    /// `value` as logfmt writes it: bare when it is a plain token, else in double quotes
    /// with `"` and `\` escaped and control characters as `\n`, `\t` or `\u{..}`.
    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { s in
            s.value > 0x20 && s.value != 0x7F && s != "\"" && s != "=" && s != "\\"
        }
        if plain { return value }
        var out = "\""
        for s in value.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out += s.value < 0x20 || s.value == 0x7F ? "\\u{\(String(s.value, radix: 16))}" : String(s)
            }
        }
        return out + "\""
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
