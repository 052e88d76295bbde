import ArgumentParser
import Foundation
import VigilStore

/// `vigil db`: prepare a PostgreSQL database for a fleet.
struct Db: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prepare a PostgreSQL database for a fleet: its schema and its roles.",
        discussion: """
            Run as the database's owner. `init` creates or migrates Vigil's tables and the function \
            vigil_store_scan(json) that nodes store through. `grant-node ROLE` lets a role store scans and \
            nothing else; `grant-reader ROLE` lets a role read scans (history, show, drift, report, fleet) \
            and nothing else. The roles must exist (CREATE ROLE ... LOGIN). --print shows the SQL for a DBA \
            instead of running it.
            """,
        subcommands: [DbInit.self, DbGrant.Node.self, DbGrant.Reader.self])
}

/// `vigil db init`: create or migrate the schema.
struct DbInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create or migrate Vigil's schema in PostgreSQL.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        guard DatabaseURI.isPostgres(store.resolvedPath) else {
            throw CommandError("`vigil db` prepares a PostgreSQL database: give --db postgresql://OWNER@HOST/DB (or VIGIL_DB)")
        }
        let db = try PostgresStore.initialize(uri: store.resolvedPath)
        print("Vigil's schema is ready in \(TerminalText.visible(db.location)) (schema \(TerminalText.visible(try db.schemaName()))).")
    }
}

/// `vigil db grant-node` and `grant-reader`.
enum DbGrant {
    /// Grants of one kind to a role, run or printed.
    static func grant(_ store: StoreOptions, role: String, print printOnly: Bool, schema: String?,
                      statements: (String, String) -> [String]) throws {
        if printOnly {
            for sql in statements(role, schema ?? "public") { print(sql + ";") }
            return
        }
        guard DatabaseURI.isPostgres(store.resolvedPath) else {
            throw CommandError("`vigil db` prepares a PostgreSQL database: give --db postgresql://OWNER@HOST/DB (or VIGIL_DB)")
        }
        let db = try PostgresStore(uri: store.resolvedPath, access: .readOnly)
        try db.run(statements(role, try schema ?? db.schemaName()))
        print("Granted to \(TerminalText.visible(role)) in \(TerminalText.visible(db.location)).")
    }

    /// `vigil db grant-node ROLE`.
    struct Node: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "grant-node",
                                                        abstract: "Let a role store scans (vigil_store_scan) and nothing else.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The role nodes connect as.") var role: String
        @Flag(help: "Print the SQL instead of running it.") var print = false
        @Option(help: "The schema (default: the connection's current schema; with --print, public).") var schema: String?

        func run() throws { try DbGrant.grant(store, role: role, print: print, schema: schema, statements: PostgresRoles.nodeGrants) }
    }

    /// `vigil db grant-reader ROLE`.
    struct Reader: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "grant-reader",
                                                        abstract: "Let a role read stored scans and nothing else.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The role readers connect as.") var role: String
        @Flag(help: "Print the SQL instead of running it.") var print = false
        @Option(help: "The schema (default: the connection's current schema; with --print, public).") var schema: String?

        func run() throws { try DbGrant.grant(store, role: role, print: print, schema: schema, statements: PostgresRoles.readerGrants) }
    }
}
