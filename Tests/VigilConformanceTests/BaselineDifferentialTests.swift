import Foundation
import XCTest

/// Vigil's own rules (`rules/linux-baseline`) compiled by `vigil build`, validated by
/// `oscap ds sds-validate`, and evaluated by both tools on this machine and on a
/// prepared offline root where some rules must pass and others fail.
final class BaselineDifferentialTests: XCTestCase {
    static let baseline = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/linux-baseline").path

    struct Tools { var oscap: String; var compare: String }

    static func tools() throws -> Tools {
        func missing(_ why: String) -> Error {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("differential test cannot run in CI: \(why)") }
            return XCTSkip(why)
        }
        guard let oscap = Shell.which("oscap") else { throw missing("oscap is not installed (apt-get install openscap-scanner)") }
        guard let dir = OscapDifferentialTests.conformanceDir else { throw missing("shared/conformance not found beside the checkout") }
        return Tools(oscap: oscap, compare: dir.appendingPathComponent("xccdf-compare").path)
    }

    /// Builds the baseline into `work` and checks it with oscap's validator.
    static func build(_ t: Tools, _ work: URL) throws -> String {
        let ds = work.appendingPathComponent("linux-baseline-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", Self.baseline, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let v = try Shell.run(t.oscap, ["ds", "sds-validate", ds])
        XCTAssertEqual(v.status, 0, "oscap ds sds-validate rejects the built data stream:\n\(v.stdout)\(v.stderr)")
        return ds
    }

    /// Results of both tools for `profile` (nil: the default selection, every rule), on
    /// the live host or `root`; returns xccdf-compare's output and Vigil's result counts.
    static func compare(_ t: Tools, ds: String, profile: String?, root: String?, work: URL, name: String) throws -> (String, Int32, [String: Int]) {
        let ref = work.appendingPathComponent("oscap-\(name).xml").path
        let cand = work.appendingPathComponent("vigil-\(name).xml").path
        var oscapArgs = ["xccdf", "eval", "--results", ref]
        var vigilArgs = ["scan", ds, "--results", cand, "--quiet", "--no-store", "--format", "json"]
        if let profile { oscapArgs += ["--profile", profile]; vigilArgs += ["--profile", profile] }
        if let root { vigilArgs += ["--root", root] }
        var env: [String: String] = [:]
        if let root { env = ["OSCAP_PROBE_ROOT": root, "APT_CONFIG": try OscapAptWorkaround.config(in: work)] }
        _ = try Shell.run(t.oscap, oscapArgs + [ds], environment: env)
        XCTAssertTrue(FileManager.default.fileExists(atPath: ref), "oscap wrote no results")
        let v = try Shell.run(Shell.vigilBinary, vigilArgs)
        XCTAssertTrue([0, 2].contains(v.status), "vigil scan failed (\(v.status)): \(v.stderr)")
        var counts: [String: Int] = [:]
        if let json = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as? [String: Any],
           let rules = json["rules"] as? [[String: Any]] {
            for r in rules { counts[r["result"] as? String ?? "?", default: 0] += 1 }
        }
        let c = try Shell.run("/usr/bin/env", ["python3", t.compare, ref, cand])
        return (c.stdout, c.status, counts)
    }

    func testBaselineBuildsValidatesAndAgreesWithOscapOnThisMachine() throws {
        let t = try Self.tools()
        let work = try Shell.tempDir()
        let ds = try Self.build(t, work)
        for profile in [nil, "fips-essentials", "stig-essentials", "cis-essentials"] as [String?] {
            let (out, status, counts) = try Self.compare(t, ds: ds, profile: profile.map { "xccdf_io.vigil_profile_\($0)" }, root: nil,
                                                    work: work, name: profile ?? "default")
            XCTAssertEqual(status, 0, "oscap and vigil differ (\(profile ?? "default selection")):\n\(out)")
            XCTAssertTrue(out.contains("(100.0%)"), out)
            XCTAssertGreaterThan(counts.values.reduce(0, +), 0)
        }
        // Scanning the folder directly is scanning what vigil build wrote.
        let direct = try Shell.run(Shell.vigilBinary, ["scan", Self.baseline, "--no-store", "--quiet", "--results",
                                                        work.appendingPathComponent("vigil-folder.xml").path])
        XCTAssertTrue([0, 2].contains(direct.status), direct.stderr)
        let same = try Shell.run("/usr/bin/env", ["python3", t.compare, work.appendingPathComponent("vigil-default.xml").path,
                                                  work.appendingPathComponent("vigil-folder.xml").path])
        XCTAssertEqual(same.status, 0, same.stdout)
    }

    func testBaselineAgreesWithOscapOnAPreparedRootWithBothOutcomes() throws {
        let t = try Self.tools()
        let work = try Shell.tempDir()
        let ds = try Self.build(t, work)
        let root = try PreparedRoot.make(in: work.appendingPathComponent("root"))
        let (out, status, counts) = try Self.compare(t, ds: ds, profile: nil, root: root, work: work, name: "root")
        XCTAssertEqual(status, 0, "oscap and vigil differ on the prepared root:\n\(out)")
        XCTAssertTrue(out.contains("(100.0%)"), out)
        XCTAssertGreaterThanOrEqual(counts["pass"] ?? 0, 15, "the prepared root passes many rules: \(counts)")
        XCTAssertGreaterThanOrEqual(counts["fail"] ?? 0, 15, "and fails many: \(counts)")
    }

    /// The prepared root made hostile: a home directory whose name is not UTF-8 holding a
    /// `.rhosts` (which a lossy walk would miss, passing no_rsh_trust_files), /etc/hostname a
    /// character device (never to be read from the scanning host), /etc/issue a FIFO (never
    /// to block on). Both tools must give the same verdict on every rule, and the `.rhosts`
    /// rule must fail.
    func testBaselineAgreesWithOscapOnAHostileRoot() throws {
        let t = try Self.tools()
        let work = try Shell.tempDir()
        let ds = try Self.build(t, work)
        let root = try PreparedRoot.make(in: work.appendingPathComponent("root"))
        func cPath(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>) -> Int32) -> Int32 {
            (bytes + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) } }
        }
        let home = Array((root + "/home/bad").utf8) + [0xFF, 0xFE]
        _ = cPath(Array((root + "/home").utf8)) { mkdir($0, 0o755) }
        XCTAssertEqual(cPath(home) { mkdir($0, 0o755) }, 0, "mkdir: \(errno)")
        XCTAssertEqual(cPath(home + Array("/.ssh".utf8)) { mkdir($0, 0o700) }, 0, "mkdir: \(errno)")
        let fd = cPath(home + Array("/.rhosts".utf8)) { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = Array("+ +\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        // The prepared root's /etc/hosts.equiv would fail the rule on its own.
        for path in ["/etc/hostname", "/etc/issue", "/etc/hosts.equiv"] { unlink(root + path) }
        // Device 1,5 (/dev/zero): glibc encodes a small major and minor as major << 8 | minor.
        guard mknod(root + "/etc/hostname", S_IFCHR | 0o644, dev_t(1 << 8 | 5)) == 0 else {
            throw XCTSkip("mknod is not permitted here (errno \(errno))")
        }
        XCTAssertEqual(mkfifo(root + "/etc/issue", 0o644), 0)
        let (out, status, _) = try Self.compare(t, ds: ds, profile: nil, root: root, work: work, name: "hostile-root")
        XCTAssertEqual(status, 0, "oscap and vigil differ on the hostile root:\n\(out)")
        XCTAssertTrue(out.contains("(100.0%)"), out)
        let results = try DifferentialRun.results(in: work.appendingPathComponent("vigil-hostile-root.xml").path)
        XCTAssertEqual(results["xccdf_io.vigil_rule_no_rsh_trust_files"], "fail", "the .rhosts under a non-UTF-8 name is found")
    }
}
