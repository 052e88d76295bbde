import Foundation
import XCTest
@testable import VigilStore
@testable import vigil

/// Nodes store scans and can do nothing else; readers read and can do nothing else; every
/// connection is TLS with the server's certificate checked.
final class PostgresRolesTests: PostgresTestCase {
    func testNodeRoleStoresButCannotReadOrDelete() throws {
        let (server, owner, name) = try database()
        XCTAssertEqual(Vigil.run(["db", "init", "--db", owner]), 0)
        try server.superSQL("CREATE ROLE \(name)_node LOGIN PASSWORD 'node-pw'; CREATE ROLE \(name)_reader LOGIN PASSWORD 'reader-pw'")
        XCTAssertEqual(Vigil.run(["db", "grant-node", "\(name)_node", "--db", owner]), 0)
        XCTAssertEqual(Vigil.run(["db", "grant-reader", "\(name)_reader", "--db", owner]), 0)
        let nodeURI = server.uri(user: "\(name)_node", password: "node-pw", database: name)
        let readerURI = server.uri(user: "\(name)_reader", password: "reader-pw", database: name)

        let node = try PostgresStore(uri: nodeURI, access: .readWrite)
        let record = fleetRecord(rules(20, failing: [3]))
        let id = try node.save(record)
        XCTAssertEqual(try node.save(record), id, "a scan resent is stored once")
        let raw = try PGConnection(uri: nodeURI)
        for sql in ["SELECT * FROM scans", "SELECT * FROM results", "SELECT * FROM vigil_migrations", "DELETE FROM scans",
                    "UPDATE scans SET score = 100", "INSERT INTO rules (content_sha256, rule_id, title, refs) VALUES ('a', 'b', 'c', 'd')",
                    "TRUNCATE scans", "DROP TABLE scans"] {
            XCTAssertThrowsError(try raw.execute(sql), sql) { error in
                XCTAssertEqual((error as? PGError)?.sqlState, "42501", "\(sql): \(error)")
            }
        }
        XCTAssertThrowsError(try node.history(host: nil, profile: nil, limit: nil)) { error in
            XCTAssertTrue("\(error)".contains("permission denied for table scans"), "\(error)")
        }
        XCTAssertThrowsError(try node.prune(keep: 0))

        let reader = try PostgresStore(uri: readerURI, access: .readOnly)
        XCTAssertEqual(try reader.scan("last").uuid, record.uuid)
        XCTAssertEqual(try reader.results(of: id, details: true).count, 20)
        XCTAssertThrowsError(try reader.save(fleetRecord(rules(2)))) { error in
            XCTAssertTrue("\(error)".contains("permission denied for function vigil_store_scan"), "\(error)")
        }
        XCTAssertThrowsError(try PGConnection(uri: readerURI).execute("DELETE FROM scans")) { error in
            XCTAssertEqual((error as? PGError)?.sqlState, "42501")
        }
        XCTAssertEqual(try server.superSQL("SELECT count(*) FROM scans", database: name).first?.integer(0), 1)
        // The SQL a DBA would run instead.
        XCTAssertEqual(PostgresRoles.nodeGrants(role: "node", schema: "public").last,
                       "GRANT EXECUTE ON FUNCTION \"public\".vigil_store_scan(json) TO \"node\"")
    }

    func testTLSChecksTheServerAndPlainConnectionsAreRefused() throws {
        let (server, owner, name) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        XCTAssertNoThrow(try PostgresStore(uri: owner, access: .readOnly))
        let wrongCA = server.uri(user: "\(name)_owner", password: "owner-pw", database: name, ca: server.wrongCAFile)
        XCTAssertThrowsError(try PostgresStore(uri: wrongCA, access: .readOnly)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("certificate verify failed"), text)
            XCTAssertTrue(text.hasPrefix("postgresql://\(name)_owner@127.0.0.1:"), text)
            XCTAssertFalse(text.contains("owner-pw"), "the password is never shown: \(text)")
        }
        let plain = server.uri(user: "\(name)_owner", password: "owner-pw", database: name, sslmode: "disable")
        XCTAssertThrowsError(try PostgresStore(uri: plain, access: .readOnly)) { error in
            XCTAssertTrue("\(error)".contains("no encryption"), "\(error)")
        }
        let wrongPassword = server.uri(user: "\(name)_owner", password: "not-it", database: name)
        XCTAssertThrowsError(try PostgresStore(uri: wrongPassword, access: .readOnly)) { error in
            XCTAssertTrue("\(error)".contains("password authentication failed"), "\(error)")
            XCTAssertFalse("\(error)".contains("not-it"), "\(error)")
        }
    }
}
