import Foundation
import XCTest

/// The `flag` check kind with `component:` (`rules/README.md`) on every variant of every
/// generated Kubernetes node: oscap (`OSCAP_PROBE_ROOT`) and Vigil agree on every rule, and
/// each verdict is the one the variant's deviations imply: a rule fails exactly when the
/// variant breaks its CIS item, and where the node does not run the component no source
/// exists, so the check fails (a `platform` makes that `notapplicable`).
final class ComponentFlagDifferentialTests: XCTestCase {
    /// (rule id, CIS item, the check's fields).
    static let rules: [(id: String, item: String, check: String)] = [
        ("apiserver_anonymous_auth", "1.2.1", "component: kube-apiserver, name: anonymous-auth, boolean: true, value: \"false\", default: \"true\""),
        ("apiserver_no_always_allow", "1.2.6", "component: kube-apiserver, name: authorization-mode, lacks: AlwaysAllow, default: AlwaysAllow"),
        ("apiserver_no_always_admit", "1.2.10", "component: kube-apiserver, name: enable-admission-plugins, lacks: AlwaysAdmit, missing: pass"),
        ("apiserver_node_restriction", "1.2.14", "component: kube-apiserver, name: enable-admission-plugins, contains: NodeRestriction"),
        ("apiserver_profiling", "1.2.15", "component: kube-apiserver, name: profiling, boolean: true, value: \"false\", default: \"true\""),
        ("apiserver_audit_maxage", "1.2.17", "component: kube-apiserver, name: audit-log-maxage, at_least: \"30\""),
        ("apiserver_extend_token", "1.2.30", "component: kube-apiserver, name: service-account-extend-token-expiration, boolean: true, value: \"false\", default: \"true\""),
        ("controller_profiling", "1.3.2", "component: kube-controller-manager, name: profiling, boolean: true, value: \"false\", default: \"true\""),
        ("controller_bind", "1.3.7", "component: kube-controller-manager, name: bind-address, value: 127.0.0.1, default: 0.0.0.0"),
        ("scheduler_profiling", "1.4.1", "component: kube-scheduler, name: profiling, boolean: true, value: \"false\", default: \"true\""),
        ("scheduler_bind", "1.4.2", "component: kube-scheduler, name: bind-address, value: 127.0.0.1, default: 0.0.0.0"),
        ("etcd_client_cert_auth", "2.2", "component: etcd, name: client-cert-auth, boolean: true, value: \"true\", default: \"false\", config: .client-transport-security.client-cert-auth"),
        ("etcd_peer_auto_tls", "2.6", "component: etcd, name: peer-auto-tls, boolean: true, value: \"false\", default: \"false\", config: .peer-transport-security.auto-tls"),
        ("kubelet_anonymous_auth", "4.2.1", "component: kubelet, name: anonymous-auth, boolean: true, value: \"false\", default: \"true\", config: .authentication.anonymous.enabled"),
        ("kubelet_authorization_mode", "4.2.2", "component: kubelet, name: authorization-mode, value: Webhook, default: AlwaysAllow, config: .authorization.mode"),
        ("kubelet_read_only_port", "4.2.4", "component: kubelet, name: read-only-port, value: \"0\", default: \"10255\", config: .readOnlyPort"),
        ("kubelet_iptables_chains", "4.2.6", "component: kubelet, name: make-iptables-util-chains, boolean: true, value: \"true\", default: \"true\", config: .makeIPTablesUtilChains"),
        ("proxy_metrics_local", "4.3.1", "component: kube-proxy, name: metrics-bind-address, value_pattern: '127\\.0\\.0\\.1:[0-9]+', default: \"127.0.0.1:10249\""),
    ]

    /// Items the fixture's hardened form does not meet as the upstream default reads: the
    /// rke2 fixture (like rke2 v1.31's `profile: cis`) passes no
    /// --service-account-extend-token-expiration, whose default is true.
    static let unmetByFixture: [KubernetesNode: Set<String>] = [.rke2Server: ["1.2.30"]]

    /// Whether `node` has a source for the rule's component at all (else the check fails).
    static func runs(_ node: KubernetesNode, _ item: String) -> Bool {
        if node.notApplicable.contains(item) { return false }
        // kubeadm runs kube-proxy as a DaemonSet: no file on the node sets its flags.
        return !(item.hasPrefix("4.3.") && (node == .kubeadmControlPlane || node == .kubeadmWorker))
    }

    static func folder(in work: URL) throws -> URL {
        let folder = work.appendingPathComponent("components")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: components\ntitle: Components\nversion: \"1\"\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        for r in rules {
            try CheckKindsDifferentialTests.rule(r.id, "  flag: {\(r.check)}\n")
                .write(to: folder.appendingPathComponent(r.id + ".yaml"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    func testKubeadmControlPlane() throws { try check(.kubeadmControlPlane) }
    func testKubeadmWorker() throws { try check(.kubeadmWorker) }
    func testK3sServer() throws { try check(.k3sServer) }
    func testK3sAgent() throws { try check(.k3sAgent) }
    func testRKE2Server() throws { try check(.rke2Server) }

    func check(_ node: KubernetesNode) throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let ds = work.appendingPathComponent("components-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", try Self.folder(in: work).path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(try Shell.run(t.oscap, ["ds", "sds-validate", ds]).status, 0)
        for variant in node.variants {
            let root = work.appendingPathComponent("\(node.rawValue)-\(variant)")
            _ = try node.write(variant, under: root)
            let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: variant)
            XCTAssertEqual(run.status, 0, "\(node.rawValue)/\(variant): oscap and vigil differ:\n\(run.output)")
            let results = try DifferentialRun.results(in: run.candidate)
            let breaks = try node.breaks(variant)
            for r in Self.rules {
                let unmet = breaks.contains(r.item) || Self.unmetByFixture[node, default: []].contains(r.item)
                let expected = Self.runs(node, r.item) && !unmet ? "pass" : "fail"
                XCTAssertEqual(results["xccdf_io.vigil_rule_\(r.id)"], expected, "\(node.rawValue)/\(variant): \(r.id) (CIS \(r.item))")
            }
        }
    }
}
