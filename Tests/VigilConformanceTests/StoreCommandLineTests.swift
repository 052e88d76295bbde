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
        XCTAssertTrue(html.contains("Trend: score and failing rules, last 2 scans"), html)
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

        // The database's directory cannot be made: a file is in the way. A command that
        // writes says so; one that reads never makes it, and cannot read there either.
        let blocker = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let blocked = try Self.vigil(["prune", "--keep", "1"], db: blocker.appendingPathComponent("sub/vigil.db").path)
        XCTAssertEqual(blocked.status, 1)
        XCTAssertTrue(blocked.stderr.contains("\(blocker.path)/sub: cannot create the directory: \(blocker.path): Not a directory; give a database you can write with --db PATH"),
                      blocked.stderr)
        let unread = try Self.vigil(["history"], db: blocker.appendingPathComponent("sub/vigil.db").path)
        XCTAssertEqual(unread.status, 1)
        XCTAssertTrue(unread.stderr.contains("\(blocker.path)/sub/vigil.db: cannot read the database: Not a directory; give a database you can read with --db PATH"),
                      unread.stderr)

        // A report or a drift page into a missing directory.
        let missing = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("missing/r.html").path
        // `report --out` is checked before any work, as `scan --report` is; drift says so on writing.
        let folder = URL(fileURLWithPath: missing).deletingLastPathComponent().path
        for (args, ending) in [(["report", "last", "--format", "html", "--out", missing], "--out \(missing): the folder \(folder) does not exist\n"),
                               (["drift", "1", "1", "--out", missing], "report to \(missing): No such file or directory\n")] {
            let out = try Self.vigil(args, db: db)
            XCTAssertEqual(out.status, 1, "\(args)")
            XCTAssertTrue(out.stderr.hasSuffix(ending), "\(args): \(out.stderr)")
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

/// Drift across hosts and profiles, the policy a scan records, lookups by UUID prefix,
/// and the commands that only read a database the user cannot write.
extension StoreCommandLineTests {
    /// Content whose one rule compares /etc/maxdays with an XCCDF value (60 by default)
    /// through `check-export`, with a profile; and a tailoring that sets the value.
    static func writePolicyContent(maxDays: Int) throws -> (dir: URL, root: URL) {
        let (content, root, _) = try writeContent(rules: 1)
        let dir = URL(fileURLWithPath: content).deletingLastPathComponent()
        try "90\n".write(to: root.appendingPathComponent("etc/maxdays"), atomically: true, encoding: .utf8)
        let oval = """
        <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
          xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
          <definitions><definition id="oval:x:def:9" version="1" class="compliance"><metadata><title>t</title></metadata>
            <criteria><criterion test_ref="oval:x:tst:9"/></criteria></definition></definitions>
          <tests><ind:textfilecontent54_test id="oval:x:tst:9" version="1" check="all" comment="max days">
            <ind:object object_ref="oval:x:obj:9"/><ind:state state_ref="oval:x:ste:9"/></ind:textfilecontent54_test></tests>
          <objects><ind:textfilecontent54_object id="oval:x:obj:9" version="1"><ind:filepath>/etc/maxdays</ind:filepath>
            <ind:pattern operation="pattern match">^(\\d+)$</ind:pattern><ind:instance datatype="int">1</ind:instance>
          </ind:textfilecontent54_object></objects>
          <states><ind:textfilecontent54_state id="oval:x:ste:9" version="1">
            <ind:subexpression datatype="int" operation="less than or equal" var_ref="oval:x:var:9"/></ind:textfilecontent54_state></states>
          <variables><external_variable id="oval:x:var:9" version="1" datatype="int" comment="max days"/></variables>
        </oval_definitions>
        """
        let xccdf = """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_policy" resolved="1">
          <status>draft</status><title>Policy</title><version>1</version>
          <Profile id="xccdf_org.example_profile_base"><title>Base</title>
            <select idref="xccdf_org.example_rule_max_days" selected="true"/></Profile>
          <Value id="xccdf_org.example_value_password_max_days" type="number"><title>max</title><value>60</value></Value>
          <Rule id="xccdf_org.example_rule_max_days" selected="false" severity="medium"><title>Max days</title>
            <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">
              <check-export value-id="xccdf_org.example_value_password_max_days" export-name="oval:x:var:9"/>
              <check-content-ref href="policy-oval.xml" name="oval:x:def:9"/></check></Rule>
        </Benchmark>
        """
        try oval.write(to: dir.appendingPathComponent("policy-oval.xml"), atomically: true, encoding: .utf8)
        try xccdf.write(to: dir.appendingPathComponent("policy.xml"), atomically: true, encoding: .utf8)
        try writeTailoring(dir, maxDays: maxDays)
        return (dir, root)
    }

    static func writeTailoring(_ dir: URL, maxDays: Int) throws {
        try """
        <xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_tailoring_t">
          <xccdf:benchmark href="policy.xml"/>
          <xccdf:version time="2026-01-01T00:00:00">\(maxDays)</xccdf:version>
          <xccdf:Profile id="xccdf_org.example_profile_tailored" extends="xccdf_org.example_profile_base">
            <xccdf:title>Tailored</xccdf:title>
            <xccdf:set-value idref="xccdf_org.example_value_password_max_days">\(maxDays)</xccdf:set-value>
          </xccdf:Profile>
        </xccdf:Tailoring>
        """.write(to: dir.appendingPathComponent("tailoring.xml"), atomically: true, encoding: .utf8)
    }

    /// `vigil scan` run from `dir`, naming the content and tailoring by relative paths.
    static func scanFrom(_ dir: URL, root: URL, db: String) throws -> Shell.Output {
        try Shell.run("/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", dir.path, Shell.vigilBinary, "scan",
                                  "policy.xml", "--tailoring", "./tailoring.xml", "--profile", "tailored",
                                  "--root", root.path, "--quiet"], environment: ["VIGIL_DB": db])
    }

    func testAScanRecordsItsPolicyAndDriftCallsAChangeOfItAChangeOfPolicy() throws {
        let (dir, root) = try Self.writePolicyContent(maxDays: 60)
        let db = dir.appendingPathComponent("db/vigil.db").path
        XCTAssertEqual(try Self.scanFrom(dir, root: root, db: db).status, 2, "90 days is over 60")
        let show = try Self.vigil(["show", "1", "--format", "json"], db: db)
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((shown["scan"] as? [String: Any])?["contentPath"] as? String, dir.appendingPathComponent("policy.xml").path,
                       "stored absolute")
        let policy = try XCTUnwrap(shown["policy"] as? [String: Any])
        let tailoring = dir.appendingPathComponent("tailoring.xml").path
        XCTAssertEqual(policy["tailoringPath"] as? String, tailoring)
        let sha = try Shell.run("/usr/bin/sha256sum", [tailoring]).stdout.split(separator: " ").first.map(String.init)
        XCTAssertEqual(policy["tailoringSHA256"] as? String, sha)
        XCTAssertEqual(policy["values"] as? [String: String], ["xccdf_org.example_value_password_max_days": "60"])
        XCTAssertEqual(policy["ruleValues"] as? [String: [String]],
                       ["xccdf_org.example_rule_max_days": ["xccdf_org.example_value_password_max_days"]])
        let text = try Self.vigil(["show", "1"], db: db).stdout
        XCTAssertTrue(text.contains("Tailoring: \(tailoring)  sha256 \(sha!.prefix(16))…"), text)
        XCTAssertTrue(text.contains("Values set by the profile or tailoring (1):\n  password_max_days = 60"), text)

        // The tailoring allows 365 days: the rule passes, and the host did not change.
        try Self.writeTailoring(dir, maxDays: 365)
        XCTAssertEqual(try Self.scanFrom(dir, root: root, db: db).status, 0)
        let drift = try Self.vigil(["drift", "--fail-on-regression"], db: db)
        XCTAssertEqual(drift.status, 0, drift.stderr)
        XCTAssertTrue(drift.stdout.contains("Policy changes (1):"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("password_max_days: 60 -> 365 (tailoring changed)"), drift.stdout)
        XCTAssertTrue(drift.stdout.contains("Fixed (0)"), drift.stdout)
        let json = try Self.vigil(["drift", "--format", "json"], db: db)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["policyChanges"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual((report["fixed"] as? [Any])?.count, 0)

        // Back to 60 days, and the host fixed: a fix of the host, as before.
        try Self.writeTailoring(dir, maxDays: 60)
        try "30\n".write(to: root.appendingPathComponent("etc/maxdays"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Self.scanFrom(dir, root: root, db: db).status, 0)
        let fixed = try Self.vigil(["drift", "1", "3"], db: db)
        XCTAssertTrue(fixed.stdout.contains("Fixed (1):") && !fixed.stdout.contains("Policy changes"), fixed.stdout)
    }

    func testDriftRefusesScansOfDifferentHostsOrProfilesUnlessForced() throws {
        let (dir, root) = try Self.writePolicyContent(maxDays: 60)
        let db = dir.appendingPathComponent("db/vigil.db").path
        let content = dir.appendingPathComponent("policy.xml").path
        let otherRoot = dir.appendingPathComponent("other-root")
        try FileManager.default.createDirectory(at: otherRoot, withIntermediateDirectories: true)
        for (profile, scanned) in [("base", root), ("all", root), ("base", otherRoot)] {
            XCTAssertNotEqual(try Self.vigil(["scan", content, "--profile", profile, "--root", scanned.path, "--quiet"], db: db).status, 1)
        }
        let profiles = try Self.vigil(["drift", "1", "2"], db: db)
        XCTAssertEqual(profiles.status, 1)
        XCTAssertTrue(profiles.stderr.contains("scans 1 and 2 are of different profiles: xccdf_org.example_profile_base and (all)"), profiles.stderr)
        XCTAssertTrue(profiles.stderr.contains("--force"), profiles.stderr)
        let hosts = try Self.vigil(["drift", "1", "3"], db: db)
        XCTAssertEqual(hosts.status, 1)
        XCTAssertTrue(hosts.stderr.contains("different hosts: \(root.path)"), hosts.stderr)
        XCTAssertFalse(hosts.stderr.contains("profiles"), hosts.stderr)
        XCTAssertEqual(try Self.vigil(["drift", "1", "3", "--force"], db: db).status, 0)
        // One scan named is compared with the scan before it of its own series: none here.
        XCTAssertTrue(try Self.vigil(["drift", "3"], db: db).stderr.contains("no stored scan before scan 3"))
    }

    func testScansAreFoundByTheStartOfTheirUUID() throws {
        let (content, root, db) = try Self.writeContent(rules: 1)
        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2)
        XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2)
        let history = try Self.vigil(["history", "--format", "json"], db: db)
        let scans = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        let uuid = try XCTUnwrap(scans.last?["uuid"] as? String)
        let prefix = String(uuid.prefix(8))
        let show = try Self.vigil(["show", prefix], db: db)
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.hasPrefix("Scan 1  \(uuid)"), show.stdout)
        XCTAssertEqual(try Self.vigil(["report", prefix, "--format", "json", "--out", "-"], db: db).status, 0)
        XCTAssertEqual(try Self.vigil(["drift", prefix, "2"], db: db).status, 0)
    }

    /// history, show, drift and report open the database read-only: they work on a file
    /// and directory the user cannot write, and change nothing. Run as root, they are run
    /// as `nobody` (through setpriv), for whom the modes bind.
    func testReadOnlyCommandsNeedNoWriteAccess() throws {
        let (content, root, db) = try Self.writeContent(rules: 2)
        for _ in 0..<2 { XCTAssertEqual(try Self.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2) }
        let folder = (db as NSString).deletingLastPathComponent
        var prefix: [String] = []
        if geteuid() == 0 {
            guard let setpriv = Shell.which("setpriv") else { throw XCTSkip("root without setpriv: file modes do not bind") }
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        }
        func asUser(_ args: [String], db path: String = db) throws -> Shell.Output {
            let argv = prefix + [Shell.vigilBinary] + args
            return try Shell.run(argv[0], Array(argv.dropFirst()), environment: ["VIGIL_DB": path])
        }
        chmod(db, 0o444)
        chmod(folder, 0o555)
        defer { chmod(folder, 0o700) }
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let history = try asUser(["history"])
        if history.status == 126 || history.status == 127 { throw XCTSkip("vigil cannot be run as another user here") }
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertEqual(history.stdout.split(separator: "\n").count, 3, history.stdout)
        for args in [["show", "1"], ["drift"], ["report", "last", "--format", "json", "--out", "-"]] {
            let out = try asUser(args)
            XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before, "nothing was written")
        // Commands that write say where to turn.
        let prune = try asUser(["prune", "--keep", "1"])
        XCTAssertEqual(prune.status, 1)
        XCTAssertTrue(prune.stderr.contains("\(db): ") && prune.stderr.contains("--db PATH"), prune.stderr)
        let scan = try asUser(["scan", content, "--root", root.path, "--quiet"])
        XCTAssertEqual(scan.status, 1)
        XCTAssertTrue(scan.stderr.contains("--db PATH") && scan.stderr.contains("--no-store"), scan.stderr)
        let unmade = try asUser(["scan", content, "--root", root.path, "--quiet"], db: folder + "/sub/vigil.db")
        XCTAssertEqual(unmade.status, 1)
        XCTAssertTrue(unmade.stderr.contains("cannot create the directory: \(folder)/sub: Permission denied; give a database you can write with --db PATH (or VIGIL_DB), or scan with --no-store"),
                      unmade.stderr)
        // A database that is not there is not made by a command that reads.
        let missing = try asUser(["show", "1"], db: folder + "/none.db")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("\(folder)/none.db: no database here"), missing.stderr)
        XCTAssertEqual(try asUser(["history"], db: folder + "/none.db").stdout, "No stored scans in \(folder)/none.db.\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/none.db"))
    }
}
