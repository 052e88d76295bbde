import Foundation

/// What `--db` and `VIGIL_DB` name: a `postgresql://` (or `postgres://`) connection URI,
/// or else the path of an SQLite file. A URI is never shown with its password.
public enum DatabaseURI {
    /// Whether `location` is a PostgreSQL connection URI rather than a file path.
    public static func isPostgres(_ location: String) -> Bool {
        let lower = location.lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// The URI without any password: the one in the user part (`user:secret@`) and a
    /// `password=` parameter are removed. A path is returned as it is.
    public static func redacted(_ location: String) -> String {
        guard isPostgres(location), let schemeEnd = location.range(of: "://") else { return location }
        var rest = String(location[schemeEnd.upperBound...])
        // The user part ends at the last "@" before the path or the query.
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"),
           let colon = rest[..<at].firstIndex(of: ":") {
            rest.removeSubrange(colon..<at)
        }
        if let query = rest.firstIndex(of: "?") {
            let kept = rest[rest.index(after: query)...].split(separator: "&").filter {
                !$0.lowercased().hasPrefix("password=")
            }
            rest = String(rest[..<query]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        return String(location[..<schemeEnd.upperBound]) + rest
    }

    /// The central database a URI names, as the journal's outbox keeps it: the redacted URI
    /// without the connection options of its query (sslmode, sslrootcert, timeouts...), so
    /// that changing them leaves pending scans pending for the same database. The query
    /// parameters that name the database (host, hostaddr, port, dbname, user) are kept.
    public static func destination(_ uri: String) -> String {
        let redacted = redacted(uri)
        guard let query = redacted.firstIndex(of: "?") else { return redacted }
        let naming = ["host=", "hostaddr=", "port=", "dbname=", "user="]
        let kept = redacted[redacted.index(after: query)...].split(separator: "&").filter { part in
            naming.contains { part.lowercased().hasPrefix($0) }
        }
        return String(redacted[..<query]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// The URI with `connect_timeout=10` added when neither it nor `PGCONNECT_TIMEOUT` sets
    /// one: libpq's default is to wait forever, and an unattended node must not hang on a
    /// database that does not answer.
    static func withConnectTimeout(_ uri: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard isPostgres(uri), !uri.lowercased().contains("connect_timeout="), environment["PGCONNECT_TIMEOUT"] == nil else { return uri }
        return uri + (uri.contains("?") ? "&" : "?") + "connect_timeout=\(defaultConnectTimeout)"
    }

    /// Seconds `withConnectTimeout` allows a connection.
    static let defaultConnectTimeout = 10

    /// `text` with the URI's password (as written and percent-decoded) replaced by "***",
    /// for messages that might quote it.
    static func scrub(_ text: String, uri: String) -> String {
        var out = text
        for secret in passwords(in: uri) where secret.count >= 1 {
            out = out.replacingOccurrences(of: secret, with: "***")
        }
        return out
    }

    /// The passwords a URI carries, as written and decoded.
    static func passwords(in uri: String) -> [String] {
        guard isPostgres(uri), let schemeEnd = uri.range(of: "://") else { return [] }
        let rest = uri[schemeEnd.upperBound...]
        var found: [String] = []
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            found.append(String(rest[rest.index(after: colon)..<at]))
        }
        if let query = rest.firstIndex(of: "?") {
            for part in rest[rest.index(after: query)...].split(separator: "&") where part.lowercased().hasPrefix("password=") {
                found.append(String(part.dropFirst("password=".count)))
            }
        }
        return found.flatMap { [$0, $0.removingPercentEncoding ?? $0] }.filter { !$0.isEmpty }
    }
}
