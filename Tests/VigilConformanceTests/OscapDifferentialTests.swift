import Foundation
import XCTest

/// Differential tests: the same content evaluated on this machine by `oscap` and by
/// `vigil`, compared rule by rule with ../shared/conformance/xccdf-compare.
/// CI installs oscap and the SCAP Security Guide, so these always run there.
final class OscapDifferentialTests: XCTestCase {
    static let ssgDebian11 = "/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml"

    /// The comparison tools live in the project's shared folder beside the checkout
    /// (`VIGIL_CONFORMANCE_DIR` overrides).
    static var conformanceDir: URL? {
        if let env = ProcessInfo.processInfo.environment["VIGIL_CONFORMANCE_DIR"] { return URL(fileURLWithPath: env) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("shared/conformance")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("xccdf-compare").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// The tools, or a skip with the reason; in CI (`CI=true`) a missing tool is a failure,
    /// since CI installs them so that these tests always run there.
    func requireTools() throws -> (oscap: String, compare: URL, adapt: URL) {
        func missing(_ why: String) -> Error {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("differential test cannot run in CI: \(why)")
            }
            return XCTSkip(why)
        }
        guard let oscap = Shell.which("oscap") else { throw missing("oscap is not installed (apt-get install openscap-scanner)") }
        guard FileManager.default.fileExists(atPath: Self.ssgDebian11) else { throw missing("ssg-debian is not installed") }
        guard let dir = Self.conformanceDir else { throw missing("shared/conformance not found beside the checkout") }
        return (oscap, dir.appendingPathComponent("xccdf-compare"), dir.appendingPathComponent("debian11-on-this-host"))
    }

    /// Runs both tools with `profile` and returns xccdf-compare's output and exit code.
    func compare(content: String, profile: String, tools: (oscap: String, compare: URL, adapt: URL), work: URL) throws -> (String, Int32) {
        let name = profile.replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
        let ref = work.appendingPathComponent("oscap-\(name).xml").path
        let cand = work.appendingPathComponent("vigil-\(name).xml").path
        // oscap exits 2 when rules fail; only a missing results file is a problem.
        _ = try Shell.run(tools.oscap, ["xccdf", "eval", "--profile", profile, "--results", ref, content])
        XCTAssertTrue(FileManager.default.fileExists(atPath: ref), "oscap wrote no results for \(profile)")
        let vigilProfile = profile == "(all)" ? "all" : profile
        let v = try Shell.run(Shell.vigilBinary, ["scan", content, "--profile", vigilProfile, "--results", cand, "--quiet", "--allow-empty"])
        XCTAssertTrue([0, 2].contains(v.status), "vigil scan failed (\(v.status)): \(v.stderr)")
        let c = try Shell.run("/usr/bin/env", ["python3", tools.compare.path, ref, cand])
        return (c.stdout, c.status)
    }

    func testDebian11AdaptedToThisHostAgreesWithOscapForEveryProfile() throws {
        let tools = try requireTools()
        let work = try Shell.tempDir()
        let content = work.appendingPathComponent("debian11-this-host.xml").path
        let adapt = try Shell.run("/bin/sh", [tools.adapt.path, content])
        XCTAssertEqual(adapt.status, 0, adapt.stderr)
        let info = try Shell.run(tools.oscap, ["info", "--profiles", content])
        let profiles = info.stdout.split(separator: "\n").compactMap { line -> String? in
            let id = line.split(separator: ":").first.map(String.init) ?? ""
            return id.hasPrefix("xccdf_") ? id : nil
        }
        XCTAssertFalse(profiles.isEmpty, "oscap info listed no profiles")
        for profile in ["(all)"] + profiles {
            let (out, status) = try compare(content: content, profile: profile, tools: tools, work: work)
            let summary = out.split(separator: "\n").last.map(String.init) ?? ""
            print("[differential] \(profile): \(summary)")
            XCTAssertEqual(status, 0, "vigil disagrees with oscap for profile \(profile):\n\(out)")
        }
    }

    func testJobsDoNotChangeVerdictsOnRealContent() throws {
        let tools = try requireTools()
        let work = try Shell.tempDir()
        let content = work.appendingPathComponent("debian11-this-host.xml").path
        XCTAssertEqual(try Shell.run("/bin/sh", [tools.adapt.path, content]).status, 0)
        var files: [String] = []
        for jobs in ["1", "8"] {
            let out = work.appendingPathComponent("vigil-jobs\(jobs).xml").path
            let v = try Shell.run(Shell.vigilBinary, ["scan", content, "--profile", "all", "--jobs", jobs, "--results", out, "--quiet"])
            XCTAssertTrue([0, 2].contains(v.status), v.stderr)
            files.append(out)
        }
        let c = try Shell.run("/usr/bin/env", ["python3", tools.compare.path, files[0], files[1]])
        print("[differential] --jobs 1 vs --jobs 8: \(c.stdout.split(separator: "\n").last ?? "")")
        XCTAssertEqual(c.status, 0, c.stdout)
    }

    func testUnmodifiedDebian11DataStreamAgreesWithOscap() throws {
        let tools = try requireTools()
        let work = try Shell.tempDir()
        let (out, status) = try compare(content: Self.ssgDebian11, profile: "(all)", tools: tools, work: work)
        print("[differential] unmodified debian11 (all): \(out.split(separator: "\n").last ?? "")")
        XCTAssertEqual(status, 0, out)
    }
}

/// Small helpers to run programs from tests.
enum Shell {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `vigil` executable that `swift build` put beside the test bundle.
    static var vigilBinary: String {
        let bundle = Bundle.main.bundleURL
        for dir in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("vigil")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        }
        return bundle.appendingPathComponent("vigil").path
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The scan database the tests' `vigil` runs use unless they set `VIGIL_DB`: never the
    /// machine's own (/var/lib/vigil when the tests run as root).
    static let testDatabase: String = {
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-tests-\(getpid())/vigil.db").path
    }()

    /// The environment of a `vigil` run: this process's, with `VIGIL_DB` set to the test
    /// database, and `extra` on top.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["VIGIL_DB"] = testDatabase
        env.merge(extra) { _, new in new }
        return env
    }

    static func run(_ exe: String, _ args: [String], environment extra: [String: String] = [:]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = environment(extra)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes while the program runs so that it never blocks on a full pipe.
        final class Box: @unchecked Sendable { var data = Data() }
        let outBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
