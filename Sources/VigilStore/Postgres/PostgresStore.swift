import Foundation

/// Scans stored in a PostgreSQL database, over libpq (`--db postgresql://...`): the same
/// schema and answers as the SQLite `ScanStore`, so that a fleet of nodes writes into one
/// database that every read command reads.
///
/// - Opened `.readWrite` by a role that can read the schema, a missing or older schema is
///   migrated (`PostgresSchema`); opened by a node's role (which may only call
///   `vigil_store_scan`), nothing is checked beyond the connection.
/// - Opened `.readOnly`, the schema must be there and current; nothing is written.
/// - A schema from a newer Vigil, or a schema holding tables that Vigil did not make, is
///   refused. Messages name the URI without its password.
public final class PostgresStore: ScanDatabase, @unchecked Sendable {
    /// The URI without its password.
    public let location: String
    public let access: ScanStore.Access
    private let connection: PGConnection
    /// Serialises the connection's use (libpq connections are not thread-safe).
    private let lock = NSLock()

    /// Connects to the database at `uri` and checks (or, `.readWrite`, prepares) its schema.
    public init(uri: String, access: ScanStore.Access = .readWrite) throws {
        location = DatabaseURI.redacted(uri)
        self.access = access
        connection = try PGConnection(uri: uri)
        do { try prepareSchema() } catch let error as PGError { throw wrap(error) }
    }

    /// Migrates the database and (re)creates `vigil_store_scan`: `vigil db init`.
    public static func initialize(uri: String) throws -> PostgresStore {
        let store = try PostgresStore(uri: uri, access: .readWrite)
        try store.locked { try PostgresSchema.migrate(store.connection, location: store.location) }
        return store
    }

    /// Checks that the schema is Vigil's and current, migrating it when `.readWrite`.
    private func prepareSchema() throws {
        let known = try connection.execute("SELECT to_regclass($1) IS NOT NULL", [PostgresSchema.migrationsTable]).first?.text(0) == "t"
        guard known else {
            let tables = Int(try connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").first?.integer(0) ?? 0)
            if tables > 0 { throw StoreError.foreign(path: location, reason: "its schema holds \(tables) tables that Vigil did not make") }
            guard access == .readWrite else {
                throw StoreError.database(path: location, message: "no Vigil schema here yet: create it with `vigil db init --db URI` as the database's owner")
            }
            try PostgresSchema.migrate(connection, location: location)
            return
        }
        let applied: Set<String>
        do {
            applied = Set(try connection.execute("SELECT identifier FROM \(PostgresSchema.migrationsTable)").rows.compactMap { $0.text(0) })
        } catch let error as PGError where error.isPermissionDenied && access == .readWrite {
            return  // A node's role: it stores through vigil_store_scan and reads nothing.
        }
        try PostgresSchema.refuseNewer(applied, location: location)
        if applied.count < PostgresSchema.migrations.count {
            guard access == .readWrite else {
                throw StoreError.database(path: location, message: "the schema is from an older Vigil: migrate it with `vigil db init --db URI` as the database's owner")
            }
            try PostgresSchema.migrate(connection, location: location)
        }
    }

    /// Runs one statement (`?` placeholders numbered for PostgreSQL) under the lock; a
    /// refusal becomes a `StoreError` naming the database.
    func query(_ sql: String, _ arguments: [String?] = []) throws -> PGRows {
        do { return try locked { try connection.execute(PostgresStore.numbered(sql), arguments) } } catch let error as PGError {
            throw wrap(error)
        }
    }

    /// Runs `body` on the connection under the lock.
    func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` in one transaction on the connection, under the lock.
    func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        do { return try locked { try connection.transaction { try body(connection) } } } catch let error as PGError {
            throw wrap(error)
        }
    }

    /// PostgreSQL's refusal as Vigil says it, with the way out for a missing privilege.
    func wrap(_ error: PGError) -> StoreError {
        var message = "PostgreSQL: \(error)"
        if error.isPermissionDenied {
            message += "; this role may not do that (a node's role may only store scans, a reader's only read: see `vigil db`)"
        }
        return .database(path: location, message: message)
    }

    /// `sql` with each `?` replaced by `$1`, `$2`... (the store's SQL has no `?` in literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var n = 0
        for c in sql {
            if c == "?" { n += 1; out += "$\(n)" } else { out.append(c) }
        }
        return out
    }
}
