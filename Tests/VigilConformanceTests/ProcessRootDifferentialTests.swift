import Foundation
import XCTest

/// A kubelet that runs in its own root (a chroot here; a container on a real node) is judged
/// by the configuration file it names with `--config` as seen from that root
/// (`/proc/PID/root/...`), not by a host file of the same name. Vigil and oscap agree, on
/// the live host, with a process this test starts.
final class ProcessRootDifferentialTests: XCTestCase {
    /// A root holding bash and its libraries, and a kubelet configuration at `config`.
    func chroot(_ work: URL, config: String) throws -> URL {
        let root = work.appendingPathComponent("kubelet-root")
        let fm = FileManager.default
        for file in ["/bin/bash", "/lib/x86_64-linux-gnu/libtinfo.so.6", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"] {
            let target = root.appendingPathComponent(String(file.dropFirst()))
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: URL(fileURLWithPath: file).resolvingSymlinksInPath(), to: target)
        }
        let file = root.appendingPathComponent("var/lib/kubelet/config.yaml")
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try config.write(to: file, atomically: true, encoding: .utf8)
        return root
    }

    func testARunningKubeletIsJudgedByTheConfigFileInItsOwnRoot() throws {
        guard getuid() == 0 else { throw XCTSkip("chroot needs root") }
        let libraries = ["/bin/bash", "/lib/x86_64-linux-gnu/libtinfo.so.6", "/lib64/ld-linux-x86-64.so.2"]
        guard libraries.allSatisfy(FileManager.default.fileExists(atPath:)) else { throw XCTSkip("bash's libraries are elsewhere here") }
        guard !FileManager.default.fileExists(atPath: "/var/lib/kubelet/config.yaml") else {
            throw XCTSkip("this host has a kubelet configuration of its own")
        }
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: live\ntitle: Live\nversion: \"1\"\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        try CheckKindsDifferentialTests.rule("kubelet_anonymous", """
              flag: {component: kubelet, name: anonymous-auth, config: .authentication.anonymous.enabled, value: "false", default: "true"}

            """).write(to: folder.appendingPathComponent("anonymous.yaml"), atomically: true, encoding: .utf8)
        let ds = work.appendingPathComponent("live-ds.xml").path
        XCTAssertEqual(try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds]).status, 0)
        let cases: [(config: String, flags: String, verdict: String)] = [
            ("authentication:\n  anonymous:\n    enabled: false\n", "--config=/var/lib/kubelet/config.yaml", "pass"),
            ("authentication:\n  anonymous:\n    enabled: true\n", "--config /var/lib/kubelet/config.yaml", "fail"),
            ("kind: KubeletConfiguration\n", "--config=/var/lib/kubelet/config.yaml", "fail"),  // absent: the default, true
            ("authentication:\n  anonymous:\n    enabled: true\n", "--config=/var/lib/kubelet/config.yaml --anonymous-auth=false", "pass"),
        ]
        for (n, c) in cases.enumerated() {
            let root = try chroot(work, config: c.config)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/chroot")
            process.arguments = [root.path, "/bin/bash", "-c", "exec -a /usr/bin/kubelet /bin/bash -c 'read -r x' \(c.flags)"]
            process.standardInput = Pipe()
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }
            Thread.sleep(forTimeInterval: 0.5)
            let run = try DifferentialRun.run(t, content: ds, work: work, name: "root\(n)")
            XCTAssertEqual(run.status, 0, "\(c.flags): oscap and vigil differ:\n\(run.output)")
            let results = try DifferentialRun.results(in: run.candidate)
            XCTAssertEqual(results["xccdf_io.vigil_rule_kubelet_anonymous"], c.verdict, "\(c.config) \(c.flags)")
        }
    }
}
