import ArgumentParser
import Foundation
import VigilStore

/// `--db`, shared by every command that reads or writes stored scans.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The scan database (default: $VIGIL_DB, else /var/lib/vigil/vigil.db as root, else ~/.local/share/vigil/vigil.db).",
        valueName: "path"))
    var path: String?

    var resolvedPath: String { path ?? StoreLocation.defaultPath() }

    /// Opens the store, or exits with its error.
    func open() -> ScanStore {
        do { return try ScanStore(path: resolvedPath) } catch { fail("\(error)") }
    }
}

/// Formats shared by the store commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension StoredScan {
    /// The profile as people read it: its short name, or what the empty id means.
    var profileLabel: String {
        if profileID.isEmpty { return "(default)" }
        if let r = profileID.range(of: "_profile_") { return String(profileID[r.upperBound...]) }
        return profileID
    }

    var scoreText: String { score.map { String(format: "%.2f", $0) } ?? "-" }
}

/// Dates in local ISO-like form for tables.
func shortDate(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return f.string(from: date)
}

/// JSON the store commands print: sorted keys, ISO 8601 dates.
func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    guard let data = try? encoder.encode(value) else { fail("cannot encode the output as JSON") }
    print(String(decoding: data, as: UTF8.self))
}

/// A table row: text columns left-aligned, numeric ones right-aligned, each cut to its width.
func row(_ cells: [String], _ widths: [Int]) -> String {
    zip(cells, widths).map { cell, width in
        let text = String(cell.prefix(width))
        let pad = String(repeating: " ", count: max(0, width - text.count))
        return text.first.map { $0.isNumber || $0 == "-" } ?? false ? pad + text : text + pad
    }.joined(separator: "  ")
}
