import Foundation
import XCTest

/// Reports and the gate through the `vigil` command.
final class ReportCommandLineTests: XCTestCase {
    func testReportsAreWrittenFromTheScanAndFromTheStore() throws {
        let store = StoreCommandLineTests.self
        let (content, root, db) = try store.writeContent(rules: 3)
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent().deletingLastPathComponent()
        let json = dir.appendingPathComponent("r.json").path
        let junit = dir.appendingPathComponent("r.xml").path
        let scan = try store.vigil(["scan", content, "--root", root.path, "--quiet",
                                    "--report", "json:\(json)", "--report", "junit:\(junit)"], db: db)
        XCTAssertEqual(scan.status, 2, scan.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        XCTAssertEqual((report["scan"] as? [String: Any])?["id"] as? Int, 1, "the report names the stored scan")
        XCTAssertEqual((report["rules"] as? [Any])?.count, 3)
        XCTAssertTrue(try String(contentsOfFile: junit, encoding: .utf8).contains("failures=\"3\""))

        let sarif = try store.vigil(["report", "last", "--format", "sarif"], db: db)
        XCTAssertEqual(sarif.status, 0, sarif.stderr)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(((log["runs"] as? [[String: Any]])?.first?["results"] as? [Any])?.count, 3)

        let stdoutJSON = try store.vigil(["scan", content, "--root", root.path, "--format", "json"], db: db)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(stdoutJSON.stdout.utf8)) as? [String: Any])?["schemaVersion"] as? String, "1.3")
    }

    func testWaiversAndSeverityGateTheExitCode() throws {
        let store = StoreCommandLineTests.self
        let (content, root, db) = try store.writeContent(rules: 2)
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent().deletingLastPathComponent()
        let waivers = dir.appendingPathComponent("waivers.yaml")
        try """
            waivers:
              - rule: flag0
                reason: accepted for the demo
                owner: qa
                expires: 2099-12-31
              - rule: flag1
                reason: lapsed
                owner: qa
                expires: 2001-01-01
              - rule: no_such_rule
                reason: typo
                owner: qa
                expires: 2099-12-31
            """.write(to: waivers, atomically: true, encoding: .utf8)
        let gated = try store.vigil(["scan", content, "--root", root.path, "--quiet", "--waivers", waivers.path], db: db)
        XCTAssertEqual(gated.status, 2, "flag1's waiver expired")
        XCTAssertTrue(gated.stderr.contains("waivers.yaml:10: waiver for rule 'no_such_rule'"), gated.stderr)
        XCTAssertTrue(gated.stderr.contains("expired on 2001-01-01"), gated.stderr)
        // The rules are "high": --fail-on high still fails; a threshold above them cannot exist,
        // so check the waiver alone passes when only flag0 is evaluated.
        let one = try store.vigil(["scan", content, "--root", root.path, "--quiet", "--waivers", waivers.path,
                                   "--rule", "xccdf_org.example_rule_flag0"], db: db)
        XCTAssertEqual(one.status, 0, "the only failure is waived")
        XCTAssertEqual(try store.vigil(["scan", content, "--root", root.path, "--quiet", "--rule", "xccdf_org.example_rule_flag0",
                                        "--fail-on", "high"], db: db).status, 2)
    }

    /// Mistakes in the arguments are found before the scan, all of them at once: the
    /// command exits 1, no rule runs, nothing is stored (the database is not even made).
    func testBadArgumentsAreAllReportedBeforeTheScanAndNothingIsStored() throws {
        let store = StoreCommandLineTests.self
        let (content, root, db) = try store.writeContent(rules: 1)
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent().deletingLastPathComponent()
        let badWaivers = dir.appendingPathComponent("bad.yaml")
        try "waivers:\n  - rule: a\n    reason: b\n    owner: c\n    expires: soon\n".write(to: badWaivers, atomically: true, encoding: .utf8)
        let html = dir.appendingPathComponent("r.html").path
        let out = try store.vigil(["scan", content, "--root", root.path,
                                   "--report", "pdf:x.pdf", "--report", "json:/nonexistent-dir/r.json", "--report", "html:\(html)",
                                   "--waivers", badWaivers.path], db: db)
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("unknown report format 'pdf'"), out.stderr)
        XCTAssertTrue(out.stderr.contains("--report json:/nonexistent-dir/r.json: the folder /nonexistent-dir does not exist"), out.stderr)
        XCTAssertTrue(out.stderr.contains("bad.yaml:5: 'expires' must be a date"), out.stderr)
        XCTAssertEqual(out.stderr.components(separatedBy: "vigil: error:").count - 1, 3, "one line per problem: \(out.stderr)")
        XCTAssertFalse(out.stdout.contains("Failed rules") || out.stdout.contains("gate:"), "no rule ran: \(out.stdout)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "nothing was stored")
        XCTAssertFalse(FileManager.default.fileExists(atPath: html), "no report was written")
        let history = try store.vigil(["history", "--format", "json"], db: db)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count, 0, history.stdout)
        let unknown = try store.vigil(["report", "last", "--format", "docx"], db: db)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown report format 'docx'"), unknown.stderr)
    }

    /// A report that cannot be written after the scan (standard output on a full device)
    /// cannot be checked before it: the scan is stored and the command exits 1.
    func testAReportThatCannotBeWrittenAfterTheScanLeavesTheScanStored() throws {
        let store = StoreCommandLineTests.self
        let (content, root, db) = try store.writeContent(rules: 1)
        let out = try Shell.run("/bin/sh", ["-c", "exec \"$@\" >/dev/full", "sh", Shell.vigilBinary,
                                            "scan", content, "--root", root.path, "--report", "json:-"],
                                environment: ["VIGIL_DB": db])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.contains("cannot write the json report to standard output: No space left on device"), out.stderr)
        let history = try store.vigil(["history", "--format", "json"], db: db)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count, 1, "the scan was stored")
    }
}

/// Reports on standard output, and reports of a scan that could not be stored.
final class ReportOutputCommandLineTests: XCTestCase {
    /// With a report on standard output, standard output is that report alone: the
    /// summary and the "stored as" line go to standard error.
    func testAReportOnStandardOutputIsAllThatIsThere() throws {
        let store = StoreCommandLineTests.self
        let (content, root, db) = try store.writeContent(rules: 2, stig: true)
        for format in ["json", "sarif", "cklb"] {
            let out = try store.vigil(["scan", content, "--root", root.path, "--report", "\(format):-"], db: db)
            XCTAssertEqual(out.status, 2, out.stderr)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)), "\(format): \(out.stdout.prefix(300))")
            XCTAssertTrue(out.stderr.contains("Failed rules by severity") && out.stderr.contains("Stored as scan"), out.stderr)
        }
        let junit = try store.vigil(["scan", content, "--root", root.path, "--report", "junit:-"], db: db)
        XCTAssertTrue(junit.stdout.hasPrefix("<?xml") && junit.stdout.hasSuffix("</testsuites>\n"), junit.stdout)
        // Two reports cannot share standard output: a mistake found before the scan, which
        // does not run; nothing is written or stored.
        let scans = try store.vigil(["history", "--format", "json"], db: db).stdout
        let two = try store.vigil(["scan", content, "--root", root.path, "--report", "json:-", "--report", "junit:-"], db: db)
        XCTAssertEqual(two.status, 1)
        XCTAssertTrue(two.stderr.contains("only one report can go to standard output"), two.stderr)
        XCTAssertEqual(two.stdout, "")
        XCTAssertEqual(try store.vigil(["history", "--format", "json"], db: db).stdout, scans, "nothing was stored")
        // Without a report there, the summary stays on standard output.
        let plain = try store.vigil(["scan", content, "--root", root.path], db: db)
        XCTAssertTrue(plain.stdout.contains("Stored as scan"), plain.stdout)
    }

    /// Storing fails for real: the database's file may grow by no more than 128 KiB
    /// (RLIMIT_FSIZE, as a full disk does; root is bound by it too) and the scan's rules
    /// carry 300 KB of text. The reports are written all the same and the command exits 1
    /// naming the database and the cause.
    func testReportsAreWrittenWhenTheScanCannotBeStored() throws {
        let dir = try Shell.tempDir()
        let description = String(repeating: "A long description. ", count: 15_000)
        let rules = (0..<2).map { i in
            """
            <Rule id="xccdf_org.example_rule_r\(i)" selected="true" severity="high"><title>R\(i)</title>
              <description>\(description)</description><fixtext>Fix \(i)</fixtext></Rule>
            """
        }.joined(separator: "\n")
        let content = dir.appendingPathComponent("big.xml").path
        try """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_big" resolved="1">
              <status>draft</status><title>Big</title><version>1</version>
            \(rules)
            </Benchmark>
            """.write(toFile: content, atomically: true, encoding: .utf8)
        let db = dir.appendingPathComponent("db/vigil.db").path
        // The database is made (and migrated) before the limit applies: prune opens it for
        // writing (history only reads, and makes nothing).
        XCTAssertEqual(try StoreCommandLineTests.vigil(["prune", "--keep", "1"], db: db).status, 0)
        let junit = dir.appendingPathComponent("r.xml").path
        let out = try Shell.run("/bin/sh", ["-c", "trap '' XFSZ; ulimit -f 256; exec \"$@\"", "sh", Shell.vigilBinary,
                                            "scan", content, "--report", "junit:\(junit)", "--report", "json:-", "--allow-empty"],
                                environment: ["VIGIL_DB": db])
        XCTAssertEqual(out.status, 1, out.stderr)
        XCTAssertTrue(out.stderr.contains("the scan was not stored: \(db): writing the database to disk failed")
                      || out.stderr.contains("the scan was not stored: \(db): the disk is full"), out.stderr)
        XCTAssertTrue(out.stderr.contains("its reports were written all the same"), out.stderr)
        XCTAssertEqual(out.stderr.components(separatedBy: "vigil: error:").count - 1, 1, out.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((report["rules"] as? [Any])?.count, 2)
        XCTAssertEqual((report["scan"] as? [String: Any])?["id"] as? Int, 0, "the report says the scan is not stored")
        XCTAssertTrue(try String(contentsOfFile: junit, encoding: .utf8).contains("<testsuites"))
        let history = try StoreCommandLineTests.vigil(["history", "--format", "json"], db: db)
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count, 0, "nothing was stored")
    }
}

/// XCCDF results and ARF, checked with oscap's own validators.
final class SCAPReportTests: XCTestCase {
    func testXCCDFAndARFValidateWithOscapFromTheScanAndTheStore() throws {
        guard let oscap = Shell.which("oscap") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("oscap is missing in CI"); return }
            throw XCTSkip("oscap is not installed")
        }
        let store = StoreCommandLineTests.self
        let (content, root, db) = try store.writeContent(rules: 2)
        let dir = URL(fileURLWithPath: db).deletingLastPathComponent().deletingLastPathComponent()
        let xccdf = dir.appendingPathComponent("results.xml").path
        let arf = dir.appendingPathComponent("arf.xml").path
        let scan = try store.vigil(["scan", content, "--root", root.path, "--quiet",
                                    "--report", "xccdf:\(xccdf)", "--report", "arf:\(arf)"], db: db)
        XCTAssertEqual(scan.status, 2, scan.stderr)
        XCTAssertEqual(try Shell.run(oscap, ["xccdf", "validate", xccdf]).status, 0)
        XCTAssertEqual(try Shell.run(oscap, ["ds", "rds-validate", arf]).status, 0)
        let arfText = try String(contentsOfFile: arf, encoding: .utf8)
        XCTAssertTrue(arfText.contains("<TestResult"), "the ARF report holds the TestResult")
        XCTAssertTrue(arfText.contains("xccdf_org.example_rule_flag1"))

        // The validator does fail on a broken report, so the check above means something.
        let broken = dir.appendingPathComponent("broken.xml").path
        try arfText.replacingOccurrences(of: "<arf:assets>", with: "<arf:assetz>")
            .replacingOccurrences(of: "</arf:assets>", with: "</arf:assetz>").write(toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try Shell.run(oscap, ["ds", "rds-validate", broken]).status, 0)

        let fromStore = try store.vigil(["report", "last", "--format", "arf", "--out", arf], db: db)
        XCTAssertEqual(fromStore.status, 0, fromStore.stderr)
        XCTAssertEqual(try Shell.run(oscap, ["ds", "rds-validate", arf]).status, 0)
        let xccdfFromStore = try store.vigil(["report", "1", "--format", "xccdf", "--out", xccdf], db: db)
        XCTAssertEqual(xccdfFromStore.status, 0, xccdfFromStore.stderr)
        XCTAssertEqual(try Shell.run(oscap, ["xccdf", "validate", xccdf]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: xccdf, encoding: .utf8).contains("<result>fail</result>"))

        // Content changed since the scan: XCCDF and ARF cannot be made faithfully.
        try (try String(contentsOfFile: content, encoding: .utf8) + "\n").write(toFile: content, atomically: true, encoding: .utf8)
        let changed = try store.vigil(["report", "last", "--format", "xccdf"], db: db)
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("has changed since scan"), changed.stderr)
    }

    /// A scan of a rule folder is stored with the SHA-256 of the data stream compiled from
    /// it; its XCCDF and ARF reports are made from the folder, compiled again.
    func testStoredScanOfARuleFolderGivesValidSCAPReports() throws {
        guard let oscap = Shell.which("oscap") else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("oscap is missing in CI"); return }
            throw XCTSkip("oscap is not installed")
        }
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: t\ntitle: T\nversion: '1'\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        try """
            id: passwd_mode
            title: passwd is not writable by others
            severity: medium
            description: x
            references: {stig: [V-1]}
            check:
              file: {path: /etc/passwd, mode: "0644"}
            """.write(to: folder.appendingPathComponent("passwd.yaml"), atomically: true, encoding: .utf8)
        let db = work.appendingPathComponent("db/vigil.db").path
        let scan = try StoreCommandLineTests.vigil(["scan", folder.path, "--quiet"], db: db)
        XCTAssertTrue([0, 2].contains(scan.status), scan.stderr)
        let arf = work.appendingPathComponent("arf.xml").path
        let report = try StoreCommandLineTests.vigil(["report", "last", "--format", "arf", "--out", arf], db: db)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(try Shell.run(oscap, ["ds", "rds-validate", arf]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: arf, encoding: .utf8).contains("xccdf_io.vigil_rule_passwd_mode"))

        try "id: t\ntitle: T changed\nversion: '1'\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        let changed = try StoreCommandLineTests.vigil(["report", "last", "--format", "xccdf"], db: db)
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("has changed since scan"), changed.stderr)
    }
}
