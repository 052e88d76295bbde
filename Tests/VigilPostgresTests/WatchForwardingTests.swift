import Foundation
import XCTest
@testable import VigilStore

/// `vigil watch --db postgresql://...`: a scan made while the database is down stays in the
/// journal and arrives, once, soon after the database is back, without waiting for the
/// next scheduled scan; a kill -9 of the watch loses no stored scan.
final class WatchForwardingTests: PostgresTestCase {
    func testPendingScansArriveWhenTheDatabaseIsBackAndAKillLosesNothing() throws {
        let (server, owner, name) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        let f = try ScanFixture()
        defer { f.remove() }
        try server.stop()
        defer { try? server.start() }
        let log = f.dir + "/watch.log"
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: vigilBinary())
        watch.arguments = ["watch"] + f.scan(owner).dropFirst().filter { $0 != "--quiet" } + ["--every", "1h"]
        watch.environment = ProcessInfo.processInfo.environment.merging(["VIGIL_SYNC_RETRY_SECONDS": "1"]) { $1 }
        XCTAssertTrue(FileManager.default.createFile(atPath: log, contents: nil))
        watch.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        watch.standardOutput = FileHandle.nullDevice
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL); watch.waitUntilExit() } }
        try waitFor(log, "the first scan") { $0.contains(" event=scan ") }
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(logged.contains("was not sent") && logged.contains("1 scan pending"), logged)
        XCTAssertFalse(logged.contains("owner-pw"), "no password in the log: \(logged)")
        XCTAssertEqual(try f.journal().pendingScans(for: owner).count, 1)

        try server.start()
        let sync = try waitFor(log, "the retry") { $0.contains(" event=sync ") && $0.contains(" result=ok ") }
        XCTAssertTrue(sync.contains(" sent=1 ") && sync.contains(" pending=0 "), sync)
        XCTAssertEqual(try f.journal().pendingScans(for: owner), [])
        let central = try server.superSQL("SELECT uuid FROM scans", database: name).rows.map { $0.text(0)! }
        XCTAssertEqual(central, try f.journal().history().map(\.uuid), "the scan, once")

        // kill -9: the stored scan and its record in the database stay whole.
        kill(watch.processIdentifier, SIGKILL)
        watch.waitUntilExit()
        XCTAssertEqual(try f.journal().history().count, 1)
        XCTAssertEqual(try server.superSQL("SELECT count(*) FROM results", database: name).first?.integer(0), 1)
    }

    /// Waits (at most 20 s) for a line of `path` for which `match` holds; that line.
    @discardableResult
    func waitFor(_ path: String, _ what: String, _ match: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").map(String.init).first(where: match) { return line }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        throw LineMissing(description: "no \(what) within 20 s; the log:\n\(text)")
    }

    /// A log line that did not come in time.
    struct LineMissing: Error, CustomStringConvertible {
        let description: String
    }
}
