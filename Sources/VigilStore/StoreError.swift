/// Why the store cannot be used. Every message names the database file.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists but is not an SQLite database, or is one that Vigil did not make.
    case foreign(path: String, reason: String)
    /// The database was written by a newer Vigil, with migrations this one does not know.
    case newerSchema(path: String, unknown: [String])
    /// SQLite reported a problem (corruption, permissions, a full disk, ...).
    case database(path: String, message: String)
    /// The directory or file cannot be created or is unsafe to use.
    case location(path: String, message: String)
    /// No stored scan matches what was asked for.
    case noSuchScan(String)

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
        case .noSuchScan(let reference):
            return "no stored scan \(reference)"
        }
    }
}
