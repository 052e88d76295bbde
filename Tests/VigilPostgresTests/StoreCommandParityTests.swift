import Foundation
import XCTest
@testable import VigilStore

/// The store commands answer the same from PostgreSQL as from SQLite: the node's journal
/// and the database it forwards to hold the same scans, and `history`, `show`, `drift`,
/// `report` and `prune` print the same for both.
final class StoreCommandParityTests: PostgresTestCase {
    func testEveryStoreCommandPrintsTheSameForBothStores() throws {
        let (_, owner, _) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        let f = try ScanFixture()
        defer { f.remove() }
        for flag in [false, true, false] {
            try f.setFlag(flag)
            XCTAssertEqual(try runVigil(f.scan(owner)).status, flag ? 0 : 2)
        }
        XCTAssertEqual(try f.journal().pendingScans(for: owner), [])
        let commands: [[String]] = [
            ["history", "--format", "json"], ["history", "--limit", "2"],
            ["show", "last", "--format", "json"], ["show", "1", "--all"],
            ["drift", "--format", "json"], ["drift", "1", "2"], ["drift", "2", "3", "--format", "json"],
            ["report", "2", "--format", "json"], ["report", "last", "--format", "sarif"],
        ]
        func outputs(_ db: String) throws -> [String] {
            try commands.map { command in
                let run = try runVigil(command + ["--db", db])
                XCTAssertTrue([0, 3].contains(run.status), "\(command): \(run.stderr)")
                return Self.withoutGenerationTime(run.stdout)
            }
        }
        let fromSQLite = try outputs(f.journalPath), fromPostgres = try outputs(owner)
        for (i, command) in commands.enumerated() {
            XCTAssertFalse(fromSQLite[i].isEmpty, "\(command)")
            XCTAssertEqual(fromPostgres[i], fromSQLite[i], "vigil \(command.joined(separator: " "))")
        }
        // prune works on either, the same way.
        for db in [f.journalPath, owner] {
            XCTAssertEqual(try runVigil(["prune", "--keep", "1", "--db", db]).status, 0)
        }
        let journal = try runVigil(["history", "--format", "json", "--db", f.journalPath])
        let central = try runVigil(["history", "--format", "json", "--db", owner])
        XCTAssertEqual(central.stdout, journal.stdout)
        XCTAssertEqual(try PostgresStore(uri: owner).scanCount(), 1)
    }

    /// `text` without the lines that hold the time a report was made.
    static func withoutGenerationTime(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"generated") && !$0.contains("\"endTimeUtc\"") && !$0.contains("\"startTimeUtc\"") }
            .joined(separator: "\n")
    }
}
