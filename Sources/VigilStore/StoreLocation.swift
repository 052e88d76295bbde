import Foundation

/// Where scans are stored when no `--db` is given.
public enum StoreLocation {
    /// `$VIGIL_DB`; else `/var/lib/vigil/vigil.db` for root; else
    /// `$XDG_DATA_HOME/vigil/vigil.db`, with `~/.local/share` when XDG_DATA_HOME is unset.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment,
                                   isRoot: Bool = geteuid() == 0) -> String {
        if let explicit = environment["VIGIL_DB"], !explicit.isEmpty { return explicit }
        if isRoot { return "/var/lib/vigil/vigil.db" }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/vigil/vigil.db" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/vigil/vigil.db"
    }
}
