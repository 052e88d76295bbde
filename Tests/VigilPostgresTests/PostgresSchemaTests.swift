import Foundation
import GRDB
import XCTest
@testable import VigilStore

/// The PostgreSQL schema is the SQLite one: same migration identifiers, same tables, same
/// columns in the same order; a newer or foreign schema is refused.
final class PostgresSchemaTests: PostgresTestCase {
    func testSameTablesColumnsAndMigrationsAsSQLite() throws {
        let (server, owner, name) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        let (sqlite, dir) = try temporarySQLite()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let sqliteTables: [String: [String]] = try sqlite.read { db in
            var out: [String: [String]] = [:]
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'") {
                out[table] = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
            }
            return out
        }
        let sqliteMigrations = try sqlite.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }

        let pgColumns = try server.superSQL("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name != 'vigil_migrations' ORDER BY table_name, ordinal_position
            """, database: name).rows
        var pgTables: [String: [String]] = [:]
        for row in pgColumns { pgTables[row.text(0)!, default: []].append(row.text(1)!) }
        XCTAssertEqual(pgTables, sqliteTables)
        XCTAssertEqual(Set(sqliteTables.keys), ["scans", "rules", "results", "scan_policies", "outbox"])
        let pgMigrations = try server.superSQL("SELECT identifier FROM vigil_migrations ORDER BY identifier", database: name).rows.map { $0.text(0)! }
        XCTAssertEqual(pgMigrations, sqliteMigrations)
        XCTAssertEqual(pgMigrations, StoreSchema.migrations.map(\.0).sorted())
        // The function nodes store through runs as its owner with a fixed search_path.
        let function = try server.superSQL("SELECT prosecdef, proconfig::text FROM pg_proc WHERE proname = 'vigil_store_scan'", database: name).first
        XCTAssertEqual(function?.text(0), "t")
        XCTAssertEqual(function?.text(1), "{\"search_path=public, pg_temp\"}")
    }

    func testNewerAndForeignSchemasAreRefused() throws {
        let (server, owner, name) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        try server.superSQL("INSERT INTO vigil_migrations VALUES ('v99-from-the-future', 0)", database: name)
        for access in [ScanStore.Access.readOnly, .readWrite] {
            XCTAssertThrowsError(try PostgresStore(uri: owner, access: access)) { error in
                XCTAssertEqual(error as? StoreError, .newerSchema(path: DatabaseURI.redacted(owner), unknown: ["v99-from-the-future"]))
            }
        }
        let (server2, owner2, name2) = try database()
        try server2.superSQL("CREATE TABLE customers (id int); CREATE TABLE orders (id int)", database: name2)
        XCTAssertThrowsError(try PostgresStore(uri: owner2, access: .readWrite)) { error in
            XCTAssertEqual("\(error)", "\(DatabaseURI.redacted(owner2)) is not a Vigil database (its schema holds 2 tables that Vigil did not make); it was left untouched")
        }
        XCTAssertEqual(try server2.superSQL("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", database: name2).first?.integer(0), 2,
                       "nothing was created")
        // An empty database is not read: it has no schema until `vigil db init`.
        let (_, owner3, _) = try database()
        XCTAssertThrowsError(try PostgresStore(uri: owner3, access: .readOnly)) { error in
            XCTAssertTrue("\(error)".contains("vigil db init"), "\(error)")
        }
    }

    func testURIsAreShownWithoutPasswords() {
        XCTAssertEqual(DatabaseURI.redacted("postgresql://node:s3cr%40t@db.example:5432/fleet?sslmode=verify-full&password=other"),
                       "postgresql://node@db.example:5432/fleet?sslmode=verify-full")
        XCTAssertEqual(DatabaseURI.redacted("postgres://db/fleet"), "postgres://db/fleet")
        XCTAssertEqual(DatabaseURI.redacted("/var/lib/vigil/vigil.db"), "/var/lib/vigil/vigil.db")
        XCTAssertEqual(DatabaseURI.scrub("failed for s3cr@t and s3cr%40t", uri: "postgresql://u:s3cr%40t@h/d"), "failed for *** and ***")
        XCTAssertTrue(DatabaseURI.isPostgres("PostgreSQL://h/d"))
        XCTAssertFalse(DatabaseURI.isPostgres("./postgresql.db"))
        // The outbox names the database, not how to connect to it.
        XCTAssertEqual(DatabaseURI.destination("postgresql://node:pw@db:5432/fleet?sslmode=verify-full&sslrootcert=/ca&port=6432"),
                       "postgresql://node@db:5432/fleet?port=6432")
        XCTAssertEqual(DatabaseURI.withConnectTimeout("postgresql://db/f", environment: [:]), "postgresql://db/f?connect_timeout=10")
        XCTAssertEqual(DatabaseURI.withConnectTimeout("postgresql://db/f?connect_timeout=3", environment: [:]), "postgresql://db/f?connect_timeout=3")
        XCTAssertEqual(DatabaseURI.withConnectTimeout("postgresql://db/f", environment: ["PGCONNECT_TIMEOUT": "2"]), "postgresql://db/f")
        // A PostgreSQL VIGIL_DB is what --db stands for; the journal is then the usual SQLite file.
        let env = ["VIGIL_DB": "postgresql://node@db/fleet", "HOME": "/home/u"]
        XCTAssertEqual(StoreLocation.defaultDatabase(environment: env, isRoot: true), "postgresql://node@db/fleet")
        XCTAssertEqual(StoreLocation.defaultPath(environment: env, isRoot: true), "/var/lib/vigil/vigil.db")
        XCTAssertEqual(StoreLocation.defaultPath(environment: env, isRoot: false), "/home/u/.local/share/vigil/vigil.db")
    }
}
