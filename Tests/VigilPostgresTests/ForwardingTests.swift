import Foundation
import XCTest
@testable import VigilStore
@testable import vigil

/// `vigil scan --db postgresql://...` keeps each scan in the node's journal and sends it;
/// with the database down the scan stays pending, and `vigil sync` sends it exactly once.
final class ForwardingTests: PostgresTestCase {
    func testScansWhileTheDatabaseIsDownArriveOnceAfterSync() throws {
        let (server, owner, name) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        let f = try ScanFixture()
        defer { f.remove() }
        // Up: the scan is stored in the journal and sent at once.
        XCTAssertEqual(Vigil.run(f.scan(owner)), 2, "the flag rule fails")
        XCTAssertEqual(try f.journal().pendingScans(for: owner), [])
        try server.stop()
        defer { try? server.start() }
        XCTAssertEqual(Vigil.run(f.scan(owner)), 2, "the exit code is the scan's: it was stored locally")
        try f.setFlag(true)
        XCTAssertEqual(Vigil.run(f.scan(owner)), 0)
        let pending = try f.journal().pendingScans(for: owner)
        XCTAssertEqual(pending.map(\.scanID), [2, 3])
        XCTAssertEqual(pending.map(\.attempts), [2, 1], "the third scan tried to send both")
        XCTAssertTrue(pending[0].lastError?.contains("cannot connect to PostgreSQL") ?? false, "\(pending)")
        XCTAssertEqual(Vigil.run(["sync", "--db", owner, "--journal", f.journalPath]), 1, "still down")
        XCTAssertEqual(try f.journal().pendingScans(for: owner.replacingOccurrences(of: "connect_timeout=5", with: "connect_timeout=9")).count, 2,
                       "the same database, however it is connected to")
        try server.start()
        XCTAssertEqual(Vigil.run(["sync", "--db", owner, "--journal", f.journalPath]), 0)
        XCTAssertEqual(try f.journal().pendingScans(for: owner), [])
        XCTAssertEqual(Vigil.run(["sync", "--db", owner, "--journal", f.journalPath]), 0, "nothing left to send")
        let central = try server.superSQL("SELECT uuid FROM scans ORDER BY id", database: name).rows.map { $0.text(0)! }
        let local = try f.journal().history().reversed().map(\.uuid)
        XCTAssertEqual(central, Array(local), "each scan once, oldest first")
        // The read commands read PostgreSQL: the last two scans are a fixed rule.
        XCTAssertEqual(Vigil.run(["history", "--db", owner]), 0)
        XCTAssertEqual(Vigil.run(["drift", "--db", owner, "--fail-on-regression", "--out", f.dir + "/drift.txt"]), 0)
        let drift = try String(contentsOfFile: f.dir + "/drift.txt", encoding: .utf8)
        XCTAssertTrue(drift.contains("xccdf_org.example_rule_flag"), drift)
        XCTAssertEqual(Vigil.run(["drift", "3", "2", "--db", owner, "--fail-on-regression", "--out", f.dir + "/d2.txt"]), 3)
    }

    func testAKillBetweenSendingAndMarkingSentDoesNotDuplicate() throws {
        let (server, owner, name) = try database()
        _ = try PostgresStore.initialize(uri: owner)
        let f = try ScanFixture()
        defer { f.remove() }
        try server.stop()
        XCTAssertEqual(Vigil.run(f.scan(owner)), 2)
        // The command says the scan is pending, without the password; its exit code is the scan's.
        let scan = try runVigil(f.scan(owner).filter { $0 != "--quiet" })
        XCTAssertEqual(scan.status, 2)
        XCTAssertTrue(scan.stderr.contains("vigil: warning: the scan is stored in the journal \(f.journalPath) but was not sent: "), scan.stderr)
        XCTAssertTrue(scan.stderr.contains("2 scans pending, which `vigil sync` (or the next scan) sends"), scan.stderr)
        XCTAssertFalse(scan.stderr.contains("owner-pw") || scan.stdout.contains("owner-pw"), scan.stderr)
        try server.start()
        let killed = try runVigil(["sync", "--db", owner, "--journal", f.journalPath], environment: ["VIGIL_SYNC_TEST_KILL_AFTER_SEND": "1"])
        XCTAssertEqual(killed.signal, SIGKILL)
        XCTAssertEqual(try server.superSQL("SELECT count(*) FROM scans", database: name).first?.integer(0), 1, "sent, then killed")
        XCTAssertEqual(try f.journal().pendingScans(for: owner).count, 2, "killed before it was marked sent")
        XCTAssertEqual(Vigil.run(["sync", "--db", owner, "--journal", f.journalPath]), 0)
        let uuids = try server.superSQL("SELECT uuid FROM scans ORDER BY id", database: name).rows.map { $0.text(0)! }
        XCTAssertEqual(uuids.count, 2, "the scan sent again is not stored twice")
        XCTAssertEqual(Set(uuids), Set(try f.journal().history().map(\.uuid)))
    }
}

/// The built vigil binary, beside the test bundle.
func vigilBinary() -> String {
    let besides = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("vigil").path
    return FileManager.default.isExecutableFile(atPath: besides) ? besides : Bundle.main.bundleURL.appendingPathComponent("vigil").path
}

/// Runs the vigil binary; its exit status (or the signal that ended it) and its output.
func runVigil(_ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, signal: Int32?, stdout: String, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: vigilBinary())
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let dir = NSTemporaryDirectory() + "vigil-run-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    FileManager.default.createFile(atPath: dir + "/out", contents: nil)
    FileManager.default.createFile(atPath: dir + "/err", contents: nil)
    p.standardOutput = FileHandle(forWritingAtPath: dir + "/out")
    p.standardError = FileHandle(forWritingAtPath: dir + "/err")
    try p.run()
    p.waitUntilExit()
    let read = { (name: String) in (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
    let signalled = p.terminationReason == .uncaughtSignal
    return (signalled ? -1 : p.terminationStatus, signalled ? p.terminationStatus : nil, read("out"), read("err"))
}

/// A one-rule benchmark (a flag file must exist) and a root to scan, with a journal path.
struct ScanFixture {
    let dir = NSTemporaryDirectory() + "vigil-fwd-" + UUID().uuidString
    var content: String { dir + "/xccdf.xml" }
    var root: String { dir + "/root" }
    var journalPath: String { dir + "/journal/vigil.db" }

    init() throws {
        try FileManager.default.createDirectory(atPath: dir + "/root/etc", withIntermediateDirectories: true)
        try """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
          <definitions><definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
            <criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition></definitions>
          <tests><unix:file_test id="oval:x:tst:1" version="1" check="all" comment="the flag file">
            <unix:object object_ref="oval:x:obj:1"/></unix:file_test></tests>
          <objects><unix:file_object id="oval:x:obj:1" version="1"><unix:filepath>/etc/flag</unix:filepath></unix:file_object></objects>
        </oval_definitions>
        """.write(toFile: dir + "/oval.xml", atomically: true, encoding: .utf8)
        try """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_fwd" resolved="1">
          <status>draft</status><title>Forwarding</title><version>1</version>
          <Rule id="xccdf_org.example_rule_flag" selected="true" severity="high"><title>Flag</title>
            <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:1"/></check></Rule>
        </Benchmark>
        """.write(toFile: content, atomically: true, encoding: .utf8)
    }

    /// `vigil scan` of the root, stored in the journal and sent to `uri`.
    func scan(_ uri: String) -> [String] {
        ["scan", content, "--root", root, "--db", uri, "--journal", journalPath, "--quiet"]
    }

    func journal() throws -> ScanStore { try ScanStore(path: journalPath, access: .readOnly) }

    func setFlag(_ present: Bool) throws {
        if present {
            try "x".write(toFile: root + "/etc/flag", atomically: true, encoding: .utf8)
        } else if FileManager.default.fileExists(atPath: root + "/etc/flag") {
            try FileManager.default.removeItem(atPath: root + "/etc/flag")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }
}
