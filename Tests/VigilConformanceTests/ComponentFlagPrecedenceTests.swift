import Foundation
import XCTest

/// The spellings and precedence of a `flag` check with `component:` on small node trees
/// built here (one root per case): k3s's list, string and flow forms, unit arguments, k3s
/// options, the kubelet's flag over its `--config` file over the default, and rke2's etcd
/// `--config-file`. oscap (`OSCAP_PROBE_ROOT`) and Vigil agree, with the verdict stated.
final class ComponentFlagPrecedenceTests: XCTestCase {
    static let k3sUnit = ("/etc/systemd/system/k3s.service", "[Service]\nExecStart=/usr/local/bin/k3s \\\n    server \\\n\n")
    static let k3sConfig = "/etc/rancher/k3s/config.yaml"
    static let kubeadmDropIn = "/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"
    static let kubeadmBase: [(String, String)] = [
        ("/etc/kubernetes/kubelet.conf", "apiVersion: v1\nkind: Config\n"),
        (kubeadmDropIn, "[Service]\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nEnvironmentFile=-/etc/default/kubelet\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS $KUBELET_EXTRA_ARGS\n"),
        ("/var/lib/kubelet/config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\nreadOnlyPort: 10255\n"),
    ]
    static let profiling = "component: kube-apiserver, name: profiling, boolean: true, value: \"false\", default: \"true\""
    static let anonymous = "component: kubelet, name: anonymous-auth, boolean: true, value: \"false\", default: \"true\", config: .authentication.anonymous.enabled"
    static let k3sKubeletConf = "/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf"
    static let protectKernel = "component: kubelet, name: protect-kernel-defaults, boolean: true, value: \"true\", default: \"false\", "
        + "k3s_default: \"true\", k3s_option: protect-kernel-defaults, config: .protectKernelDefaults"
    static let readOnly = "component: kubelet, name: read-only-port, value: \"0\", default: \"10255\", config: .readOnlyPort"

    /// (case name, files of the root, the check's fields, the verdict).
    static let cases: [(name: String, files: [(String, String)], check: String, expected: String)] = [
        ("k3s-default", [k3sUnit], profiling, "pass"),
        ("k3s-block-list", [k3sUnit, (k3sConfig, "kube-apiserver-arg:\n  - \"audit-log-maxage=30\"\n  # debugging\n\n  - 'profiling=true'\n")], profiling, "fail"),
        ("k3s-every-occurrence", [k3sUnit, (k3sConfig, "kube-apiserver-arg:\n- profiling=true\n- profiling=false\n")], profiling, "fail"),
        ("k3s-block-list-passes", [k3sUnit, (k3sConfig, "kube-apiserver-arg:\n  - \"audit-log-maxage=30\"\n  - profiling=false # CIS\n")], profiling, "pass"),
        ("k3s-other-component", [k3sUnit, (k3sConfig, "kube-scheduler-arg:\n  - profiling=true\nkube-apiserver-arg:\n  - audit-log-maxage=30\n")], profiling, "pass"),
        ("k3s-string", [k3sUnit, (k3sConfig, "kube-apiserver-arg: \"profiling=true\"\n")], profiling, "fail"),
        ("k3s-flow", [k3sUnit, (k3sConfig, "kube-apiserver-arg: [\"audit-log-maxage=30\", profiling=true]\n")], profiling, "fail"),
        ("k3s-flow-comma", [k3sUnit, (k3sConfig, "kube-apiserver-arg: [\"enable-admission-plugins=NodeRestriction,AlwaysAdmit\"]\n")],
         "component: kube-apiserver, name: enable-admission-plugins, lacks: AlwaysAdmit, missing: pass", "fail"),
        ("k3s-dropin-append", [k3sUnit, ("/etc/rancher/k3s/config.yaml.d/50-x.yaml", "kube-apiserver-arg+:\n  - profiling=true\n")], profiling, "fail"),
        ("k3s-unit-space", [("/etc/systemd/system/k3s.service", "[Service]\nExecStart=/usr/local/bin/k3s server --kube-apiserver-arg profiling=true\n")], profiling, "fail"),
        ("k3s-number", [k3sUnit, (k3sConfig, "kube-apiserver-arg:\n  - audit-log-maxage=7\n")], "component: kube-apiserver, name: audit-log-maxage, at_least: \"30\"", "fail"),
        ("k3s-agent-runs-no-apiserver", [("/etc/systemd/system/k3s-agent.service", "[Service]\nExecStart=/usr/local/bin/k3s agent\n")], profiling, "fail"),
        ("k3s-option-set", [k3sUnit, (k3sConfig, "protect-kernel-defaults: true\n")],
         "component: kubelet, name: protect-kernel-defaults, boolean: true, value: \"true\", default: \"false\", k3s_option: protect-kernel-defaults", "pass"),
        ("k3s-option-unit", [("/etc/systemd/system/k3s.service", "[Service]\nExecStart=/usr/local/bin/k3s server --protect-kernel-defaults\n")],
         "component: kubelet, name: protect-kernel-defaults, boolean: true, value: \"true\", default: \"false\", k3s_option: protect-kernel-defaults", "pass"),
        ("k3s-option-unset", [k3sUnit],
         "component: kubelet, name: protect-kernel-defaults, boolean: true, value: \"true\", default: \"false\", k3s_option: protect-kernel-defaults", "fail"),
        ("k3s-option-over-config-file", [k3sUnit, (k3sConfig, "protect-kernel-defaults: true\n"), (k3sKubeletConf, "protectKernelDefaults: false\n")],
         protectKernel, "pass"),
        ("k3s-config-file-without-option", [k3sUnit, (k3sKubeletConf, "protectKernelDefaults: false\n")], protectKernel, "fail"),
        ("root-proc-passes", process(["--profiling=false", "--bind-address=127.0.0.1"]), scheduler, "pass"),
        ("root-proc-last-wins", process(["--profiling=false", "--profiling"]), scheduler, "fail"),
        ("root-proc-other-name", process(["--profiling=false"], name: "/usr/bin/kube-scheduler-helper"), scheduler, "fail"),
        ("root-proc-value", process(["--bind-address=127.0.0.1"]), "component: kube-scheduler, name: bind-address, value: \"${bind}\"", "pass"),
        ("root-proc-value-differs", process(["--bind-address=127.0.0.10"]), "component: kube-scheduler, name: bind-address, value: \"${bind}\"", "fail"),
        ("kubeadm-config-decides", kubeadmBase, readOnly, "fail"),
        ("kubeadm-flag-over-config", kubeadmBase + [("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=--read-only-port=0\n")], readOnly, "pass"),
        ("kubeadm-config-passes", kubeadmBase, anonymous, "pass"),
        ("kubeadm-flag-fails", kubeadmBase + [("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=\"--anonymous-auth\"\n")], anonymous, "fail"),
        ("kubeadm-other-config-file", kubeadmBase.map { $0.0 == kubeadmDropIn ? ($0.0, $0.1.replacingOccurrences(of: "/var/lib/kubelet/config.yaml", with: "/etc/kubelet/custom.yaml")) : $0 }
            + [("/etc/kubelet/custom.yaml", "authentication:\n  anonymous:\n    enabled: true\n")], anonymous, "fail"),
        ("kubeadm-no-config", [kubeadmBase[0]], anonymous, "fail"),
        ("kubeadm-flag-unset", kubeadmBase, "component: kubelet, name: hostname-override, present: false", "pass"),
        ("kubeadm-flag-set", kubeadmBase + [("/etc/default/kubelet", "KUBELET_EXTRA_ARGS=--hostname-override=node-1\n")],
         "component: kubelet, name: hostname-override, present: false", "fail"),
        ("kubeadm-flag-required", kubeadmBase, "component: kubelet, name: hostname-override, present: true", "fail"),
        ("rke2-kubelet-arg", [("/usr/local/lib/systemd/system/rke2-server.service", "[Service]\nExecStart=/usr/local/bin/rke2 server\n"),
                              ("/etc/rancher/rke2/config.yaml", "kubelet-arg:\n  - anonymous-auth=true\n"),
                              ("/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/00-rke2-defaults.conf", "authentication:\n  anonymous:\n    enabled: false\n")],
         anonymous, "fail"),
        ("rke2-kubelet-conf-d", [("/usr/local/lib/systemd/system/rke2-server.service", "[Service]\nExecStart=/usr/local/bin/rke2 server\n"),
                                 ("/var/lib/rancher/rke2/agent/etc/kubelet.conf.d/00-rke2-defaults.conf", "authentication:\n  anonymous:\n    enabled: false\n")],
         anonymous, "pass"),
        ("rke2-etcd-config-file-decides", [("/usr/local/lib/systemd/system/rke2-server.service", "[Service]\nExecStart=/usr/local/bin/rke2 server\n"),
                                           ("/var/lib/rancher/rke2/agent/pod-manifests/etcd.yaml", etcdManifest(["--client-cert-auth=false", "--config-file=/var/lib/rancher/rke2/server/db/etcd/config"])),
                                           ("/var/lib/rancher/rke2/server/db/etcd/config", "client-transport-security:\n  client-cert-auth: true\n")],
         "component: etcd, name: client-cert-auth, boolean: true, value: \"true\", default: \"false\", config: .client-transport-security.client-cert-auth", "pass"),
        ("rke2-etcd-flags", [("/usr/local/lib/systemd/system/rke2-server.service", "[Service]\nExecStart=/usr/local/bin/rke2 server\n"),
                             ("/var/lib/rancher/rke2/agent/pod-manifests/etcd.yaml", etcdManifest(["--client-cert-auth=false"]))],
         "component: etcd, name: client-cert-auth, boolean: true, value: \"true\", default: \"false\", config: .client-transport-security.client-cert-auth", "fail"),
    ]

    static let scheduler = "component: kube-scheduler, name: profiling, boolean: true, value: \"false\", default: \"true\""

    /// A process in the root's own /proc (read by both tools on an offline root): its
    /// NUL-separated command line, `stat` and `status`; no distribution is installed, so the
    /// process is the only source.
    static func process(_ args: [String], name: String = "/usr/local/bin/kube-scheduler") -> [(String, String)] {
        let stat = "4242 (\((name as NSString).lastPathComponent.prefix(15))) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 1 0 0 20 0 1 0 12345 "
            + "1000000 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        return [("/proc/4242/cmdline", ([name] + args).map { $0 + "\u{0}" }.joined()), ("/proc/4242/stat", stat),
                ("/proc/4242/status", "Name:\tkube-scheduler\nUid:\t0\t0\t0\t0\n")]
    }

    static func etcdManifest(_ args: [String]) -> String {
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - args:\n" + args.map { "    - \($0)\n" }.joined() + "    command:\n    - etcd\n    name: etcd\n"
    }

    func testSpellingsAndPrecedenceAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        for (n, c) in Self.cases.enumerated() {
            let folder = work.appendingPathComponent("rules\(n)"), root = work.appendingPathComponent("root\(n)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "id: precedence\ntitle: Precedence\nversion: \"1\"\nvalues:\n  bind: {title: Bind, type: string, default: 127.0.0.1}\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
            try CheckKindsDifferentialTests.rule("case", "  flag: {\(c.check)}\n")
                .write(to: folder.appendingPathComponent("case.yaml"), atomically: true, encoding: .utf8)
            for (path, text) in c.files {
                let url = root.appendingPathComponent(String(path.dropFirst()))
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            let ds = work.appendingPathComponent("ds\(n).xml").path
            let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
            XCTAssertEqual(b.status, 0, b.stderr)
            let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: "case\(n)")
            XCTAssertEqual(run.status, 0, "\(c.name): oscap and vigil differ:\n\(run.output)")
            XCTAssertEqual(try DifferentialRun.results(in: run.candidate)["xccdf_io.vigil_rule_case"], c.expected, c.name)
        }
    }

    /// On the live host the running process is a source: a process started here whose
    /// argv[0] is `kube-scheduler` decides the verdict (no distribution is installed on this
    /// machine, so it is the only source), and oscap reads the same command line.
    func testTheRunningProcessDecidesOnTheLiveHost() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("live")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: live\ntitle: Live\nversion: \"1\"\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        try CheckKindsDifferentialTests.rule("scheduler_profiling", "  flag: {component: kube-scheduler, name: profiling, boolean: true, value: \"false\", default: \"true\"}\n")
            .write(to: folder.appendingPathComponent("profiling.yaml"), atomically: true, encoding: .utf8)
        try CheckKindsDifferentialTests.rule("scheduler_maxage", "  flag: {component: kube-scheduler, name: kube-api-burst, at_least: \"100\"}\n")
            .write(to: folder.appendingPathComponent("burst.yaml"), atomically: true, encoding: .utf8)
        let ds = work.appendingPathComponent("live-ds.xml").path
        XCTAssertEqual(try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds]).status, 0)
        let cases: [(args: String, profiling: String, burst: String)] = [
            ("--profiling=false --kube-api-burst=100", "pass", "pass"),
            ("--profiling=true --kube-api-burst 99", "fail", "fail"),
            ("--profiling=false --profiling --kube-api-burst=1000 --kube-api-burst=250", "fail", "pass"),
        ]
        for (n, c) in cases.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "exec -a /usr/local/bin/kube-scheduler /usr/bin/python3 -c 'import time; time.sleep(60)' \(c.args)"]
            try process.run()
            defer { process.terminate(); process.waitUntilExit() }
            Thread.sleep(forTimeInterval: 0.5)
            let run = try DifferentialRun.run(t, content: ds, work: work, name: "live\(n)")
            XCTAssertEqual(run.status, 0, "\(c.args): oscap and vigil differ:\n\(run.output)")
            let results = try DifferentialRun.results(in: run.candidate)
            XCTAssertEqual(results["xccdf_io.vigil_rule_scheduler_profiling"], c.profiling, c.args)
            XCTAssertEqual(results["xccdf_io.vigil_rule_scheduler_maxage"], c.burst, c.args)
        }
    }
}
