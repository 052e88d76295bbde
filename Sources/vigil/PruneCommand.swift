import ArgumentParser
import Foundation
import VigilStore

/// `vigil prune`: delete old stored scans.
struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete old stored scans.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Keep the newest N scans of each host, benchmark and profile.")
    var keep: Int?

    @Option(help: "Delete scans older than this: a number with s, m, h, d or w (e.g. 90d).")
    var olderThan: String?

    func validate() throws {
        guard (keep == nil) != (olderThan == nil) else {
            throw ValidationError("give either --keep N or --older-than DURATION")
        }
        if let keep, keep < 0 { throw ValidationError("--keep must be 0 or more") }
        if let olderThan, Prune.seconds(olderThan) == nil {
            throw ValidationError("--older-than '\(olderThan)' is not a duration like 30d, 12h or 2w")
        }
    }

    func run() throws {
        let db = try store.openForWriting()
        let deleted: Int
        if let keep {
            deleted = try db.prune(keep: keep)
        } else {
            deleted = try db.prune(olderThan: Date().addingTimeInterval(-Prune.seconds(olderThan!)!))
        }
        print("Deleted \(deleted) scan\(deleted == 1 ? "" : "s") from \(TerminalText.visible(db.location)).")
    }

    /// Seconds in a duration such as "90d", "12h", "30m", "45s" or "2w".
    static func seconds(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let n = Double(text.dropLast()), n >= 0 else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86400
        case "w": return n * 7 * 86400
        default: return nil
        }
    }
}
