/// Why the store cannot be used. Every message names the database file, and where the
/// user can do something about it, the way out (`--db`, `--no-store`, `--force`).
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists but is not an SQLite database, or is one that Vigil did not make.
    case foreign(path: String, reason: String)
    /// The database was written by a newer Vigil, with migrations this one does not know.
    case newerSchema(path: String, unknown: [String])
    /// SQLite reported a problem (corruption, permissions, a full disk, ...).
    case database(path: String, message: String)
    /// The directory or file cannot be created or is unsafe to use.
    case location(path: String, message: String)
    /// A command that only reads was given a database that does not exist (yet).
    case missing(path: String)
    /// No stored scan matches what was asked for.
    case noSuchScan(String)
    /// A UUID prefix that starts several scans' UUIDs; `candidates` are "number (uuid)".
    case ambiguousScan(String, candidates: [String])
    /// Two scans that drift will not compare: `differences` says in what they differ.
    case incomparable(from: Int64, to: Int64, differences: [String])

    public var description: String {
        switch self {
        case .foreign(let path, let reason):
            return "\(path) is not a Vigil database (\(reason)); it was left untouched"
        case .newerSchema(let path, let unknown):
            return "\(path) was written by a newer Vigil (schema \(unknown.joined(separator: ", "))); upgrade Vigil to read it"
        case .database(let path, let message):
            return "\(path): \(message)"
        case .location(let path, let message):
            return "\(path): \(message)"
        case .missing(let path):
            return "\(path): no database here: nothing has been stored there yet (`vigil scan` stores scans); "
                + "give the database to read with --db PATH or VIGIL_DB"
        case .noSuchScan(let reference):
            return "no stored scan \(reference)"
        case .ambiguousScan(let reference, let candidates):
            return "'\(reference)' starts the UUID of several stored scans: \(candidates.joined(separator: ", ")); "
                + "give more of the UUID, or the scan's number"
        case .incomparable(let from, let to, let differences):
            return "scans \(from) and \(to) are of different \(differences.joined(separator: "; ")); "
                + "give --force to compare them all the same"
        }
    }
}

extension StoreError {
    /// Where the user can turn when a database cannot be opened or used as `access` needs.
    static func wayOut(_ access: ScanStore.Access) -> String {
        switch access {
        case .readWrite:
            return "give a database you can write with --db PATH (or VIGIL_DB), or scan with --no-store to keep no record"
        case .readOnly:
            return "give a database you can read with --db PATH (or VIGIL_DB)"
        }
    }

    /// A `.location` error with the way out added: the path cannot be made or used, and
    /// another database (or none) is what the user can choose.
    func withWayOut(_ access: ScanStore.Access) -> StoreError {
        guard case .location(let path, let message) = self else { return self }
        return .location(path: path, message: message + "; " + StoreError.wayOut(access))
    }
}
