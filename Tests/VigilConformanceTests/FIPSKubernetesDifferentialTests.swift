import Foundation
import XCTest

/// The Kubernetes TLS rules of `rules/fips` (standard OVAL: the `flag` kind), and the kernel's,
/// built by `vigil build` and evaluated by oscap (`OSCAP_PROBE_ROOT`) and Vigil (`--root`) on every
/// generated Kubernetes node, hardened to CIS and moved to FIPS-approved TLS. Both tools agree
/// on every variant; CIS's hardened suites (ChaCha20-Poly1305 among them) fail the FIPS
/// cipher-suite rules; the FIPS form of the kubeadm control plane passes every rule but the
/// kernel's (no running kernel offline); every rule is seen passing and failing.
final class FIPSKubernetesDifferentialTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/fips")
    static let profile = "xccdf_io.vigil_profile_kubernetes-node-crypto"
    static let fipsSuites = [
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    ].joined(separator: ",")
    static let cipherRules = ["apiserver_tls_cipher_suites", "kubelet_tls_cipher_suites", "etcd_tls_cipher_suites"]
    /// The profile's SCAP-pure rules; its native ones (PKI, Go builds, OpenSSL) are tested
    /// against expected verdicts elsewhere, oscap evaluating only their fallbacks.
    static let rules = cipherRules + ["kernel_fips_mode", "apiserver_tls_min_version", "controller_manager_tls_min_version",
                                      "scheduler_tls_min_version", "kubelet_tls_min_version"]

    func testTLSRulesAgreeWithOscapOnHardenedAndFIPSNodes() throws {
        let work = try Shell.tempDir()
        let t = try KubernetesRulesDifferentialTests.toolsWithTimeout(in: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let ds = work.appendingPathComponent("fips-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", Self.folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        var seen: [String: Set<String>] = [:]
        for node in KubernetesNode.allCases {
            for fips in [false, true] {
                var spec = node.hardenedSpec
                if fips { try Self.moveToFIPS(&spec, node) }
                let label = "\(node.rawValue)/\(fips ? "fips" : "hardened")"
                let root = work.appendingPathComponent(label.replacingOccurrences(of: "/", with: "-"))
                _ = try NodeTreeWriter.write(spec, under: root)
                let run = try DifferentialRun.run(t, content: ds, options: ["--profile", Self.profile] + Self.rules.flatMap { ["--rule", "xccdf_io.vigil_rule_\($0)"] }, root: root.path,
                                                  work: work, name: "fips-k8s")
                XCTAssertEqual(run.status, 0, "\(label): oscap and vigil differ:\n\(run.output)")
                let results = try DifferentialRun.results(in: run.candidate).filter { $0.value != "notselected" }
                for (rule, result) in results { seen[rule, default: []].insert(result) }
                XCTAssertEqual(results["xccdf_io.vigil_rule_kernel_fips_mode"], "notapplicable", label)
                for rule in Self.cipherRules where !fips {
                    let got = results["xccdf_io.vigil_rule_\(rule)"] ?? "missing"
                    XCTAssertTrue(got == "fail" || got == "notapplicable", "\(label): \(rule) gave \(got) on CIS's suites")
                }
                if fips && node == .kubeadmControlPlane {
                    for (rule, result) in results where !rule.hasSuffix("kernel_fips_mode") {
                        XCTAssertEqual(result, "pass", "\(label): \(rule)")
                    }
                }
            }
        }
        XCTAssertEqual(seen.count, 8)
        for (rule, results) in seen where !rule.hasSuffix("kernel_fips_mode") {
            XCTAssertTrue(results.isSuperset(of: ["pass", "fail"]), "\(rule) never seen both passing and failing: \(results.sorted())")
        }
    }

    /// CIS's suites replaced by the FIPS ones everywhere; on kubeadm the etcd, controller
    /// manager and scheduler flags the FIPS rules ask for, added to their manifests. Suites
    /// listed one a line (kubelet configuration files) lose their ChaCha20 lines.
    static func moveToFIPS(_ spec: inout NodeSpec, _ node: KubernetesNode) throws {
        for path in spec.paths {
            while case .file(let text)? = spec[path]?.kind, text.contains(PodManifest.strongCiphers) {
                try spec.replace(path, PodManifest.strongCiphers, with: fipsSuites)
            }
            if case .file(let text)? = spec[path]?.kind, text.contains("_CHACHA20_POLY1305") {
                try spec.dropLines(path, containing: "_CHACHA20_POLY1305")   // YAML lists, one suite a line
            }
        }
        guard node == .kubeadmControlPlane else { return }
        let manifests = KubeadmNode.manifests
        try spec.insertLine("\(manifests)/etcd.yaml", after: "- --cert-file=", "    - --cipher-suites=\(fipsSuites)")
        for component in ["kube-controller-manager", "kube-scheduler"] {
            try spec.insertLine("\(manifests)/\(component).yaml", after: "- --kubeconfig=", "    - --tls-min-version=VersionTLS12")
        }
    }
}
