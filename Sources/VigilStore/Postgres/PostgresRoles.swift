import Foundation

/// The roles of a fleet in PostgreSQL: a node's role may only call `vigil_store_scan` (no
/// SELECT, INSERT, UPDATE or DELETE on any table); a reader's role may only read Vigil's
/// tables. The roles themselves (LOGIN, password or certificate) are the DBA's: these only
/// grant. Run again after a newer Vigil's `vigil db init` adds a table.
public enum PostgresRoles {
    /// Vigil's tables.
    static let tables = ["scans", "rules", "results", "scan_policies", "outbox", PostgresSchema.migrationsTable]

    /// The statements that make `role` a node's role in `schema`.
    public static func nodeGrants(role: String, schema: String) -> [String] {
        let r = identifier(role), s = identifier(schema)
        return ["GRANT USAGE ON SCHEMA \(s) TO \(r)",
                "REVOKE ALL ON ALL TABLES IN SCHEMA \(s) FROM \(r)",
                "REVOKE ALL ON ALL SEQUENCES IN SCHEMA \(s) FROM \(r)",
                "GRANT EXECUTE ON FUNCTION \(s).vigil_store_scan(json) TO \(r)"]
    }

    /// The statements that make `role` a reader's role in `schema`.
    public static func readerGrants(role: String, schema: String) -> [String] {
        let r = identifier(role), s = identifier(schema)
        return ["GRANT USAGE ON SCHEMA \(s) TO \(r)",
                "REVOKE ALL ON ALL TABLES IN SCHEMA \(s) FROM \(r)",
                "REVOKE EXECUTE ON FUNCTION \(s).vigil_store_scan(json) FROM \(r)",
                "GRANT SELECT ON \(tables.map { "\(s).\($0)" }.joined(separator: ", ")) TO \(r)"]
    }

    /// A quoted SQL identifier.
    public static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension PostgresStore {
    /// The schema Vigil's tables are in (the connection's current schema).
    public func schemaName() throws -> String {
        try query("SELECT current_schema()").first?.text(0) ?? "public"
    }

    /// Runs `statements` in one transaction (the grants of `PostgresRoles`).
    public func run(_ statements: [String]) throws {
        try transaction { c in for sql in statements { try c.execute(sql) } }
    }
}
