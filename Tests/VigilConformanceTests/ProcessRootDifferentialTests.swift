import Foundation
import XCTest

/// A kubelet that runs in its own root (a chroot here; a container on a real node) is judged
/// by the configuration file it names with `--config` as seen from that root
/// (`/proc/PID/root/...`), not by a host file of the same name. Vigil and oscap agree, on
/// the live host, with a process this test starts.
final class ProcessRootDifferentialTests: XCTestCase {
    /// A root holding bash and its libraries, and `config` at `path`.
    func chroot(_ work: URL, config: String, at path: String = "/var/lib/kubelet/config.yaml") throws -> URL {
        let root = work.appendingPathComponent("kubelet-root")
        let fm = FileManager.default
        for file in ["/bin/bash", "/lib/x86_64-linux-gnu/libtinfo.so.6", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"] {
            let target = root.appendingPathComponent(String(file.dropFirst()))
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: URL(fileURLWithPath: file).resolvingSymlinksInPath(), to: target)
        }
        let file = root.appendingPathComponent(String(path.dropFirst()))
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try config.write(to: file, atomically: true, encoding: .utf8)
        return root
    }

    /// Skips where the test cannot chroot or where the host has files of its own that would count.
    func requirements() throws {
        guard getuid() == 0 else { throw XCTSkip("chroot needs root") }
        let libraries = ["/bin/bash", "/lib/x86_64-linux-gnu/libtinfo.so.6", "/lib64/ld-linux-x86-64.so.2"]
        guard libraries.allSatisfy(FileManager.default.fileExists(atPath:)) else { throw XCTSkip("bash's libraries are elsewhere here") }
        for path in ["/var/lib/kubelet/config.yaml", "/etc/kubernetes/manifests/etcd.yaml", "/etc/etcd/config.yaml"]
        where FileManager.default.fileExists(atPath: path) {
            throw XCTSkip("this host has \(path) of its own")
        }
    }

    /// Builds a one-rule folder, then for each case starts `argv0` in a chroot holding the
    /// case's file at `path`, and runs both tools on the live host.
    func run(rule check: String, argv0: String, path: String, cases: [(config: String, flags: String, verdict: String)]) throws {
        try requirements()
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: live\ntitle: Live\nversion: \"1\"\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        try CheckKindsDifferentialTests.rule("live_rule", check).write(to: folder.appendingPathComponent("rule.yaml"), atomically: true, encoding: .utf8)
        let ds = work.appendingPathComponent("live-ds.xml").path
        XCTAssertEqual(try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds]).status, 0)
        for (n, c) in cases.enumerated() {
            let root = try chroot(work, config: c.config, at: path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/chroot")
            process.arguments = [root.path, "/bin/bash", "-c", "exec -a \(argv0) /bin/bash -c 'read -r x' \(c.flags)"]
            process.standardInput = Pipe()
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }
            Thread.sleep(forTimeInterval: 0.5)
            let run = try DifferentialRun.run(t, content: ds, work: work, name: "root\(n)")
            XCTAssertEqual(run.status, 0, "\(c.flags): oscap and vigil differ:\n\(run.output)")
            let results = try DifferentialRun.results(in: run.candidate)
            XCTAssertEqual(results["xccdf_io.vigil_rule_live_rule"], c.verdict, "\(c.config) \(c.flags)")
        }
    }

    func testARunningKubeletIsJudgedByTheConfigFileInItsOwnRoot() throws {
        try run(rule: """
              flag: {component: kubelet, name: anonymous-auth, config: .authentication.anonymous.enabled, value: "false", default: "true"}

            """, argv0: "/usr/bin/kubelet", path: "/var/lib/kubelet/config.yaml", cases: [
            ("authentication:\n  anonymous:\n    enabled: false\n", "--config=/var/lib/kubelet/config.yaml", "pass"),
            ("authentication:\n  anonymous:\n    enabled: true\n", "--config /var/lib/kubelet/config.yaml", "fail"),
            ("kind: KubeletConfiguration\n", "--config=/var/lib/kubelet/config.yaml", "fail"),  // absent: the default, true
            ("authentication:\n  anonymous:\n    enabled: true\n", "--config=/var/lib/kubelet/config.yaml --anonymous-auth=false", "pass"),
        ])
    }

    /// etcd given `--config-file` reads only that file (its flags are ignored); without one,
    /// its flags and defaults decide.
    func testARunningEtcdIsJudgedByTheConfigFileInItsOwnRoot() throws {
        try run(rule: """
              flag: {component: etcd, name: client-cert-auth, boolean: true, value: "true", default: "false", config: .client-transport-security.client-cert-auth}

            """, argv0: "/usr/local/bin/etcd", path: "/etc/etcd/config.yaml", cases: [
            ("client-transport-security:\n  client-cert-auth: true\n", "--config-file=/etc/etcd/config.yaml", "pass"),
            ("client-transport-security:\n  client-cert-auth: false\n", "--config-file /etc/etcd/config.yaml --client-cert-auth=true", "fail"),
            ("name: etcd-1\n", "--config-file=/etc/etcd/config.yaml", "fail"),  // absent: the default, false
            ("client-transport-security:\n  client-cert-auth: false\n", "--client-cert-auth=true", "pass"),  // no file named: the flag
            ("client-transport-security:\n  client-cert-auth: true\n", "--data-dir=/var/lib/etcd", "fail"),
        ])
    }
}
