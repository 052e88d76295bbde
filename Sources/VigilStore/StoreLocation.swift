import Foundation

/// Where scans are stored when no `--db` is given.
public enum StoreLocation {
    /// The database `--db` stands for when it is not given: `$VIGIL_DB` (a path or a
    /// `postgresql://` URI), else `defaultPath`.
    public static func defaultDatabase(environment: [String: String] = ProcessInfo.processInfo.environment,
                                       isRoot: Bool = geteuid() == 0) -> String {
        if let explicit = environment["VIGIL_DB"], !explicit.isEmpty { return explicit }
        return defaultPath(environment: environment, isRoot: isRoot)
    }

    /// The SQLite file: `$VIGIL_DB` when it is a path; else `/var/lib/vigil/vigil.db` for
    /// root; else `$XDG_DATA_HOME/vigil/vigil.db`, with `~/.local/share` when XDG_DATA_HOME
    /// is unset. A node's journal when `--db` is a PostgreSQL URI.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment,
                                   isRoot: Bool = geteuid() == 0) -> String {
        if let explicit = environment["VIGIL_DB"], !explicit.isEmpty, !DatabaseURI.isPostgres(explicit) { return explicit }
        if isRoot { return "/var/lib/vigil/vigil.db" }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/vigil/vigil.db" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/vigil/vigil.db"
    }
}
