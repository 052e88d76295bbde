import ArgumentParser
import Foundation
import VigilStore

/// `--db`, shared by every command that reads or writes stored scans.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The scan database: an SQLite file, or a postgresql:// URI (default: $VIGIL_DB, else /var/lib/vigil/vigil.db as root, else ~/.local/share/vigil/vigil.db).",
        valueName: "path|uri"))
    var path: String?

    /// The database named: `--db`, else `$VIGIL_DB`, else the default SQLite file.
    var resolvedPath: String { path ?? StoreLocation.defaultDatabase() }

    /// The database as messages name it (a URI without its password).
    var label: String { DatabaseURI.redacted(resolvedPath) }

    /// Opens the store read-only: the commands that only read it never need to write it.
    func open() throws -> any ScanDatabase {
        try ScanDatabases.open(resolvedPath, access: .readOnly)
    }

    /// Opens the store to change it (creating or migrating it when needed).
    func openForWriting() throws -> any ScanDatabase {
        try ScanDatabases.open(resolvedPath, access: .readWrite)
    }

    /// Where a scan is stored: the SQLite file; or, for a PostgreSQL `--db`, the node's
    /// journal (`--journal`, default the usual SQLite file), forwarding to the URI.
    func scanTarget(journal: String?) -> (store: String, forwardTo: String?) {
        guard DatabaseURI.isPostgres(resolvedPath) else { return (resolvedPath, nil) }
        return (journal ?? StoreLocation.defaultPath(), resolvedPath)
    }
}

/// `--journal`: the node's local SQLite store when scans go to PostgreSQL.
struct JournalOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "With a postgresql:// --db: the local SQLite store each scan is kept in before it is sent (default: the usual SQLite file).",
        valueName: "path"))
    var journal: String?
}

/// Formats shared by the store commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension StoredScan {
    /// The profile as people read it: its short name, or what the empty id means.
    var profileLabel: String {
        let profileID = metadata.profileID
        if profileID.isEmpty { return "(default)" }
        if let r = profileID.range(of: "_profile_") { return String(profileID[r.upperBound...]) }
        return profileID
    }

    var scoreText: String {
        guard let score = metadata.score else { return "-" }
        let hundredths = Int((score * 100).rounded())
        let cents = abs(hundredths % 100)
        return "\(hundredths / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// Dates in local time, "2026-11-27 06:30:00", for tables.
func shortDate(_ date: Date) -> String {
    var t = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    localtime_r(&t, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
        + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
}

/// JSON the store commands print: sorted keys, ISO 8601 dates.
func printJSON<T: Encodable>(_ value: T) throws {
    FileHandle.standardOutput.write(Data(try jsonText(value).utf8))
}

/// `value` as the store commands print JSON, with a final newline.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    guard let data = try? encoder.encode(value) else { throw CommandError("cannot encode the output as JSON") }
    return String(decoding: data, as: UTF8.self) + "\n"
}

/// A table row: text columns left-aligned, numeric ones right-aligned, each cut to its width.
func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
        let text = String(cell.prefix(width))
        let pad = String(repeating: " ", count: max(0, width - text.count))
        return text.first.map { $0.isNumber || $0 == "-" } ?? false ? pad + text : text + pad
    }.joined(separator: "  ")
}
