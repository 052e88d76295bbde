import Foundation
import XCTest

/// Stored scans through the `vigil` command: history, show, drift and its gate, prune,
/// and what a kill at any moment leaves in the database.
final class StoreCommandLineTests: XCTestCase {
    /// Content with `count` rules that all pass when /etc/flag exists under the root, and
    /// a root directory to scan; with `stig`, each rule has a STIG id (for STIG checklists).
    static func writeContent(rules count: Int = 3, stig: Bool = false) throws -> (content: String, root: URL, db: String) {
        let dir = try Shell.tempDir()
        let oval = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
          <definitions>
            <definition id="oval:x:def:1" version="1" class="compliance"><metadata><title>t</title></metadata>
              <criteria><criterion test_ref="oval:x:tst:1"/></criteria></definition>
          </definitions>
          <tests><unix:file_test id="oval:x:tst:1" version="1" check="all" comment="the flag file">
            <unix:object object_ref="oval:x:obj:1"/></unix:file_test></tests>
          <objects><unix:file_object id="oval:x:obj:1" version="1"><unix:filepath>/etc/flag</unix:filepath></unix:file_object></objects>
        </oval_definitions>
        """
        let rules = (0..<count).map { i in
            let stigID = stig ? "<reference href=\"https://public.cyber.mil/stigs/downloads/\">TEST-01-00000\(i)</reference>" : ""
            return """
            <Rule id="xccdf_org.example_rule_flag\(i)" selected="true" severity="high"><title>Flag \(i)</title>
              <reference href="http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53r4.pdf">CM-6(a)</reference>\(stigID)
              <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:1"/></check></Rule>
            """
        }.joined(separator: "\n")
        let xccdf = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_store" resolved="1">
          <status>draft</status><title>Store</title><version>1</version>
          \(rules)
        </Benchmark>
        """
        try oval.write(to: dir.appendingPathComponent("oval.xml"), atomically: true, encoding: .utf8)
        let content = dir.appendingPathComponent("xccdf.xml")
        try xccdf.write(to: content, atomically: true, encoding: .utf8)
        let root = dir.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        return (content.path, root, dir.appendingPathComponent("db/vigil.db").path)
    }

    static func vigil(_ args: [String], db: String, env: [String: String] = [:]) throws -> Shell.Output {
        try Shell.run(Shell.vigilBinary, args, environment: env.merging(["VIGIL_DB": db]) { _, new in new })
    }

    static func setFlag(_ root: URL, _ present: Bool) throws {
        let flag = root.appendingPathComponent("etc/flag")
        if present {
            try "x".write(to: flag, atomically: true, encoding: .utf8)
        } else {
            try? FileManager.default.removeItem(at: flag)
        }
    }

    func testScansAreStoredAndDriftGatesRegressions() throws {
        let (content, root, db) = try Self.writeContent()
        try Self.setFlag(root, true)
        let first = try Self.vigil(["scan", content, "--root", root.path], db: db)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("Stored as scan 1 in \(db)"), first.stdout)
        let alone = try Self.vigil(["drift"], db: db)
        XCTAssertEqual(alone.status, 1, "one scan has nothing to compare with")
        XCTAssertTrue(alone.stderr.contains("no stored scan before scan 1"), alone.stderr)

        try Self.setFlag(root, false)
        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2)
        let drift = try Self.vigil(["drift", "--fail-on-regression"], db: db)
        XCTAssertEqual(drift.status, 3, drift.stdout + drift.stderr)
        XCTAssertTrue(drift.stdout.contains("Newly failing (3):"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("the flag file: nothing found"), "evidence is shown: \(drift.stdout)")
        let json = try Self.vigil(["drift", "--format", "json"], db: db)
        XCTAssertEqual(json.status, 0)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["newlyFailing"] as? [[String: Any]])?.count, 3)
        XCTAssertEqual((report["from"] as? [String: Any])?["id"] as? Int, 1)
        let page = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("drift.html").path
        XCTAssertEqual(try Self.vigil(["drift", "--format", "html", "--out", page], db: db).status, 0)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        XCTAssertTrue(html.contains("Newly failing (3)"), html)
        XCTAssertTrue(html.contains("Trend: score and failures, last 2 scans"), html)
        XCTAssertEqual(html.components(separatedBy: "<title>scan ").count - 1, 2, "one bar per stored scan of the series")
        XCTAssertFalse(html.contains("src=\"http"))

        try Self.setFlag(root, true)
        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 0)
        let fixed = try Self.vigil(["drift", "--fail-on-regression"], db: db)
        XCTAssertEqual(fixed.status, 0)
        XCTAssertTrue(fixed.stdout.contains("Fixed (3):"), fixed.stdout)

        let history = try Self.vigil(["history"], db: db)
        XCTAssertEqual(history.stdout.split(separator: "\n").count, 4, history.stdout)
        let show = try Self.vigil(["show", "2", "--format", "json"], db: db)
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let rules = try XCTUnwrap(shown["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["result"] as? String }, ["fail", "fail", "fail"])
        let refs = try XCTUnwrap(rules.first?["references"] as? [[String: Any]])
        XCTAssertEqual(refs.first?["kind"] as? String, "nist-800-53")
        XCTAssertEqual(refs.first?["id"] as? String, "CM-6(a)")

        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet", "--no-store"], db: db).status, 0)
        let pruned = try Self.vigil(["prune", "--keep", "1"], db: db)
        XCTAssertEqual(pruned.status, 0)
        XCTAssertTrue(pruned.stdout.contains("Deleted 2 scans"), pruned.stdout)
        XCTAssertEqual(try Self.vigil(["prune"], db: db).status, 1, "prune needs --keep or --older-than")
    }

    func testBadDatabaseFilesGiveOneLineErrorsAndStayUntouched() throws {
        let (content, root, db) = try Self.writeContent()
        try FileManager.default.createDirectory(atPath: (db as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "my notes\n".write(toFile: db, atomically: true, encoding: .utf8)
        for args in [["history"], ["drift"], ["show", "1"], ["scan", content, "--root", root.path, "--quiet"]] {
            let out = try Self.vigil(args, db: db)
            XCTAssertEqual(out.status, 1, "\(args)")
            XCTAssertTrue(out.stderr.contains("\(db) is not a Vigil database"), "\(args): \(out.stderr)")
        }
        XCTAssertEqual(try String(contentsOfFile: db, encoding: .utf8), "my notes\n")
    }

    /// SQLite's and Foundation's errors reach the user as Vigil's: the path, then the
    /// cause in plain words.
    func testStoreAndFileErrorsNameThePathAndTheCause() throws {
        let (content, root, db) = try Self.writeContent(rules: 1)
        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2)
        // A database SQLite opens read-only: its header's write version is above 2.
        let readOnly = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("ro.db").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        bytes[18] = 3
        try bytes.write(to: URL(fileURLWithPath: readOnly))
        let ro = try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: readOnly)
        XCTAssertEqual(ro.status, 1)
        XCTAssertTrue(ro.stderr.contains("\(readOnly): the database cannot be written: it or its directory is read-only"), ro.stderr)

        // The database's directory cannot be made: a file is in the way.
        let blocker = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let blocked = try Self.vigil(["history"], db: blocker.appendingPathComponent("sub/vigil.db").path)
        XCTAssertEqual(blocked.status, 1)
        XCTAssertTrue(blocked.stderr.hasSuffix("\(blocker.path)/sub: cannot create the directory: \(blocker.path): Not a directory\n"),
                      blocked.stderr)

        // A report or a drift page into a missing directory.
        let missing = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("missing/r.html").path
        for args in [["report", "last", "--format", "html", "--out", missing], ["drift", "1", "1", "--out", missing]] {
            let out = try Self.vigil(args, db: db)
            XCTAssertEqual(out.status, 1, "\(args)")
            XCTAssertTrue(out.stderr.hasSuffix("report to \(missing): No such file or directory\n"), "\(args): \(out.stderr)")
            XCTAssertFalse(out.stderr.contains("couldn"), out.stderr)
        }
    }

    /// Kills `vigil scan` with SIGKILL during the scan, and in the middle of storing it
    /// (a test hook slows the write down and says when it starts): every earlier scan
    /// stays whole and no part of the killed scan is ever listed.
    func testKillDuringScanOrWriteLosesNoStoredScan() throws {
        let (content, root, db) = try Self.writeContent(rules: 400)
        try Self.setFlag(root, true)
        for _ in 0..<2 { XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 0) }
        var killedWhileWriting = 0
        for attempt in 0..<6 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Shell.vigilBinary)
            p.arguments = ["scan", content, "--root", root.path, "--quiet"]
            p.environment = Shell.environment(["VIGIL_DB": db, "VIGIL_STORE_TEST_DELAY_US": "30000"])
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            if attempt % 2 == 0 {
                // During the write: wait for the hook's line, then kill.
                var seen = Data()
                while !String(decoding: seen, as: UTF8.self).contains("storing scan") {
                    let chunk = err.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    seen.append(chunk)
                }
                usleep(UInt32(50_000 + attempt * 20_000))
                if p.isRunning { killedWhileWriting += 1 }
            } else {
                usleep(UInt32(5_000 * attempt))
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal)

            let history = try Self.vigil(["history", "--format", "json", "--limit", "0"], db: db)
            XCTAssertEqual(history.status, 0, history.stderr)
            let scans = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
            XCTAssertEqual(scans.count, 2, "only the two completed scans are listed")
            for scan in scans {
                let id = try XCTUnwrap(scan["id"] as? Int)
                let show = try Self.vigil(["show", String(id), "--format", "json"], db: db)
                let rules = (try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])?["rules"] as? [Any]
                XCTAssertEqual(rules?.count, 400, "scan \(id) is whole")
            }
        }
        XCTAssertGreaterThan(killedWhileWriting, 0, "at least one kill landed while the scan was being stored")
        // The database still takes new scans.
        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 0)
        XCTAssertEqual(try Self.vigil(["history", "--limit", "0"], db: db).stdout.split(separator: "\n").count, 4)
    }
}
