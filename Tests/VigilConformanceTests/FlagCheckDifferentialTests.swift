import Foundation
import XCTest

/// The `flag` check kind (`rules/README.md`) on a generated tree of kube-apiserver static
/// pod manifests: oscap (`OSCAP_PROBE_ROOT`) and Vigil agree on every rule, and every
/// verdict is the one pflag's parsing gives (last occurrence wins, `--f=v` and `--f v`,
/// a boolean flag alone means true).
final class FlagCheckDifferentialTests: XCTestCase {
    /// (the manifest's command items after the binary, the check's fields, pflag's verdict).
    static let cases: [(items: [String], check: String, expected: String)] = [
        (["--anonymous-auth=false"], "name: anonymous-auth, boolean: true, value: \"false\"", "pass"),
        (["--anonymous-auth"], "name: anonymous-auth, boolean: true, value: \"false\"", "fail"),
        (["--anonymous-auth"], "name: anonymous-auth, boolean: true, value: \"true\"", "pass"),
        (["--anonymous-auth=F"], "name: anonymous-auth, boolean: true, value: \"false\"", "pass"),
        (["--secure-port=6443"], "name: anonymous-auth, boolean: true, value: \"false\", default: \"true\"", "fail"),
        (["--anonymous-auth=false", "--anonymous-auth=true"], "name: anonymous-auth, boolean: true, value: \"false\"", "fail"),
        (["--anonymous-auth=true", "--anonymous-auth=false"], "name: anonymous-auth, boolean: true, value: \"false\"", "pass"),
        (["--anonymous-auth", "false"], "name: anonymous-auth, boolean: true, value: \"false\"", "fail"),
        (["\"--profiling=false\""], "name: profiling, boolean: true, value: \"false\"", "pass"),
        (["--secure-port", "\"6443\""], "name: secure-port, value: \"6443\"", "pass"),
        (["--secure-port", "'6443'"], "name: secure-port, at_least: \"1\", at_most: \"65535\"", "pass"),
        (["--secure-port", "1", "--secure-port=6443"], "name: secure-port, value: \"6443\"", "pass"),
        (["--secure-port=6443", "--secure-port", "1"], "name: secure-port, value: \"6443\"", "fail"),
        (["--bind-address=0.0.0.0"], "name: secure-port, value: \"6443\", default: \"6443\"", "pass"),
        (["--bind-address=0.0.0.0"], "name: secure-port, value: \"443\", default: \"6443\"", "fail"),
        (["--enable-admission-plugins=NodeRestriction,PodSecurity"], "name: enable-admission-plugins, contains: NodeRestriction", "pass"),
        (["--enable-admission-plugins=PodSecurity,NodeRestrictionX"], "name: enable-admission-plugins, contains: NodeRestriction", "fail"),
        (["--enable-admission-plugins=NodeRestriction,AlwaysAdmit"], "name: enable-admission-plugins, lacks: AlwaysAdmit", "fail"),
        (["--enable-admission-plugins=AlwaysAdmitX"], "name: enable-admission-plugins, lacks: AlwaysAdmit", "pass"),
        (["--authorization-mode=Node,RBAC"], "name: authorization-mode, value_pattern: '(?:.*,)?RBAC(?:,.*)?'", "pass"),
        (["--authorization-mode=AlwaysAllow"], "name: authorization-mode, value_pattern: '(?:.*,)?RBAC(?:,.*)?'", "fail"),
        (["--tls-cipher-suites-extra=TLS_RSA"], "name: tls-cipher-suites, present: true", "fail"),
        (["--tls-cipher-suites-extra=TLS_RSA"], "name: tls-cipher-suites, present: false", "pass"),
        (["--tls-cipher-suites=TLS_AES_128_GCM_SHA256"], "name: tls-cipher-suites, present: true", "pass"),
        (["--tls-cipher-suites-extra", "TLS_RSA", "--tls-cipher-suites", "TLS_AES_128_GCM_SHA256"],
         "name: tls-cipher-suites, lacks: TLS_RSA", "pass"),
        (["--audit-log-maxage=30"], "name: audit-log-maxage, at_least: \"30\"", "pass"),
        (["--audit-log-maxage=7"], "name: audit-log-maxage, at_least: \"30\"", "fail"),
        (["--audit-log-maxage=7"], "name: audit-log-maxage, at_most: \"10\"", "pass"),
        (["--audit-log-maxage=7", "--audit-log-maxage=90"], "name: audit-log-maxage, at_most: \"10\"", "fail"),
        (["--audit-log-path", "/var/log/audit.log"], "name: audit-log-path, present: true", "pass"),
        (["--request-timeout", "--profiling=false"], "name: profiling, boolean: true, value: \"false\"", "pass"),
        (["--request-timeout", "--profiling=false"], "name: request-timeout, value: \"--profiling=false\"", "pass"),
        (["--audit-log-path="], "name: audit-log-path, value: \"\"", "pass"),
        (["--audit-log-path=", "--audit-log-path=-"], "name: audit-log-path, value: \"-\"", "pass"),
        (["--audit-log-maxage=30 # a month"], "name: audit-log-maxage, value: \"30\"", "pass"),
        (["--secure-port", "# the port", "", "\"6443\""], "name: secure-port, value: \"6443\"", "pass"),
        (["--secure-port\r", "\r", "args:\r", "6443\r"], "name: secure-port, value: \"6443\"", "pass"),
        (["--secure-port=6443\r"], "name: secure-port, value: \"6443\"", "pass"),
        (["--anonymous-auth=false\r", "--anonymous-auth\r"], "name: anonymous-auth, boolean: true, value: \"false\"", "fail"),
        (["--service-account-key-file=/etc/kubernetes/pki/sa.pub"], "name: service-account-key-file, value_pattern: '.+'", "pass"),
        (["--service-account-key-file=/etc/kubernetes/pki/sa.pub"], "name: service-account, present: true", "fail"),
        (["args:", "--anonymous-auth=false"], "name: anonymous-auth, boolean: true, value: \"false\"", "pass"),
        (["--anonymous-auth=true", "args:", "--anonymous-auth=false"], "name: anonymous-auth, boolean: true, value: \"false\"", "pass"),
        (["--secure-port", "args:", "\"6443\""], "name: secure-port, value: \"6443\"", "pass"),
        (["--audit-log-maxage=7"], "name: audit-log-maxage, at_least: \"${max_age}\"", "fail"),
        (["--audit-log-maxage", "45"], "name: audit-log-maxage, at_least: \"${max_age}\"", "pass"),
        (["--profiling=false"], "name: audit-log-maxage, at_least: \"${max_age}\", missing: pass", "pass"),
        (["--request-timeout=60s"], "name: request-timeout, at_most: \"60\"", "error"),
        (["--min-tls-version=VersionTLS12"], "name: tls-min-version, present: true", "fail"),
    ]

    /// Rules over an rke2 manifest folder with two manifests (`files` with '*': each must pass).
    static let rke2: [(check: String, expected: String)] = [
        ("name: profiling, boolean: true, value: \"false\"", "fail"),
        ("name: secure-port, present: true", "pass"),
        ("name: secure-port, at_least: \"7000\"", "fail"),
        ("name: etcd-servers, present: false", "pass"),
    ]

    /// Rules over a manifest whose command is a flow list (`command: [kube-apiserver, --profiling=true]`),
    /// which the item pattern cannot read: each fails rather than pass on the unread flag.
    static let flow: [(check: String, expected: String)] = [
        ("name: profiling, boolean: true, value: \"false\", default: \"false\"", "fail"),
        ("name: profiling, present: false", "fail"),
        ("name: profiling, present: true", "fail"),
    ]

    /// A kube-apiserver static pod manifest whose command holds `items` (an empty item, one
    /// starting with '#', and `args:` are written as a blank, comment or key line, not a list item).
    static func manifest(_ items: [String]) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: kube-apiserver
          namespace: kube-system
        spec:
          containers:
          - name: kube-apiserver
            image: registry.k8s.io/kube-apiserver:v1.31.0
            command:
            - kube-apiserver

        """ + items.map { item in
            let bare = item.trimmingCharacters(in: .whitespacesAndNewlines)
            return bare.isEmpty || bare.hasPrefix("#") || bare == "args:" ? "    \(item)\n" : "    - \(item)\n"
        }.joined() + "    ports:\n    - containerPort: 6443\n"
    }

    func testFlagChecksAgreeWithOscapAndWithPflag() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let folder = work.appendingPathComponent("flags"), root = work.appendingPathComponent("root")
        let manifests = root.appendingPathComponent("etc/kubernetes/manifests")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        try "id: flags\ntitle: Flags\nversion: \"1\"\nvalues:\n  max_age: {title: Days, type: number, default: \"30\"}\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        for (n, c) in Self.cases.enumerated() {
            try Self.manifest(c.items).write(to: manifests.appendingPathComponent("case\(n).yaml"), atomically: true, encoding: .utf8)
            let check = "  flag: {files: [/etc/kubernetes/manifests/case\(n).yaml], \(c.check)}\n"
            try CheckKindsDifferentialTests.rule("case\(n)", check)
                .write(to: folder.appendingPathComponent("case\(n).yaml"), atomically: true, encoding: .utf8)
        }
        let rke2 = root.appendingPathComponent("var/lib/rancher/rke2/agent/pod-manifests")
        try FileManager.default.createDirectory(at: rke2, withIntermediateDirectories: true)
        try Self.manifest(["--profiling=false", "--secure-port=6443"]).write(to: rke2.appendingPathComponent("kube-apiserver.yaml"), atomically: true, encoding: .utf8)
        try Self.manifest(["--profiling", "--secure-port", "10257"]).write(to: rke2.appendingPathComponent("kube-controller-manager.yaml"), atomically: true, encoding: .utf8)
        for (n, c) in Self.rke2.enumerated() {
            let check = "  flag: {files: [/var/lib/rancher/rke2/agent/pod-manifests/*.yaml], \(c.check)}\n"
            try CheckKindsDifferentialTests.rule("rke2_\(n)", check)
                .write(to: folder.appendingPathComponent("rke2_\(n).yaml"), atomically: true, encoding: .utf8)
        }
        let flowManifest = Self.manifest([]).replacingOccurrences(of: "    command:\n    - kube-apiserver\n",
                                                                  with: "    command: [kube-apiserver, --profiling=true]\n")
        try flowManifest.write(to: manifests.appendingPathComponent("flow.yaml"), atomically: true, encoding: .utf8)
        for (n, c) in Self.flow.enumerated() {
            let check = "  flag: {files: [/etc/kubernetes/manifests/flow.yaml], \(c.check)}\n"
            try CheckKindsDifferentialTests.rule("flow_\(n)", check)
                .write(to: folder.appendingPathComponent("flow_\(n).yaml"), atomically: true, encoding: .utf8)
        }
        let ds = work.appendingPathComponent("flags-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try Shell.run(t.oscap, ["ds", "sds-validate", ds]).status, 0)

        let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: "flags")
        XCTAssertEqual(run.status, 0, "oscap and vigil differ:\n\(run.output)")
        let results = try DifferentialRun.results(in: run.candidate)
        for (n, c) in Self.cases.enumerated() {
            XCTAssertEqual(results["xccdf_io.vigil_rule_case\(n)"], c.expected, "case\(n): \(c.items) with \(c.check)")
        }
        for (n, c) in Self.rke2.enumerated() {
            XCTAssertEqual(results["xccdf_io.vigil_rule_rke2_\(n)"], c.expected, "rke2_\(n): \(c.check)")
        }
        for (n, c) in Self.flow.enumerated() {
            XCTAssertEqual(results["xccdf_io.vigil_rule_flow_\(n)"], c.expected, "flow_\(n): \(c.check)")
        }
    }
}
