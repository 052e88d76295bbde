import Foundation
import XCTest
import Yams

/// `rules/kubernetes` built by `vigil build` and evaluated with the cis-1.12 profile by oscap
/// (`OSCAP_PROBE_ROOT`) and Vigil (`--root`) on every generated Kubernetes node
/// (`KubernetesNode`: hardened and each deviation). On every variant (a) both tools agree on
/// every rule; (b) a rule fails exactly where the variant breaks its CIS item, and every other
/// applicable rule passes; (c) a rule is notapplicable exactly where the node does not run its
/// component or lack its file (and always for the node's `notApplicable` items); and (d)
/// across all variants every rule of the profile is seen passing and failing.
final class KubernetesRulesDifferentialTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/kubernetes")
    static let profile = "xccdf_io.vigil_profile_cis-1.12"

    /// Rules that check one half of a CIS item (a certificate or its key): the deviations,
    /// as "node/variant", that break the item through the other half leave them passing.
    static let otherHalf: [String: Set<String>] = [
        "apiserver_kubelet_client_key": ["kubeadm-control-plane/apiserver-no-kubelet-client-cert"],
        "apiserver_kubelet_client_certificate": ["kubeadm-control-plane/apiserver-no-kubelet-client-key"],
        "apiserver_etcd_certfile": ["kubeadm-control-plane/apiserver-no-etcd-client-cert"],
        "apiserver_etcd_keyfile": ["kubeadm-control-plane/apiserver-no-etcd-certfile"],
        "etcd_key_file": ["kubeadm-control-plane/etcd-no-cert-file"],
        "etcd_cert_file": ["kubeadm-control-plane/etcd-no-key-file"],
        "etcd_peer_cert_file": ["kubeadm-control-plane/etcd-no-peer-key-file"],
        "etcd_peer_key_file": ["kubeadm-control-plane/etcd-no-peer-cert-file"],
    ]

    /// CIS items a node's hardened form does not meet, in every variant (as in
    /// ComponentFlagDifferentialTests): rke2 v1.31's `profile: cis` passes no
    /// --service-account-extend-token-expiration, whose upstream default is true.
    static let unmetByFixture: [KubernetesNode: Set<String>] = [.rke2Server: ["1.2.30"]]

    /// Rules of the profile that no fixture variant can make pass or fail, with the reason.
    static let neverSeen: [String: String] = [:]

    /// The platform names (`{kubernetes: X}`) that hold on each node kind.
    static let runs: [KubernetesNode: Set<String>] = {
        let controlPlane: Set = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"]
        return [
            .kubeadmControlPlane: controlPlane.union(["node", "kubeadm", "kubelet"]),
            .kubeadmWorker: ["node", "kubeadm", "kubelet"],
            .k3sServer: controlPlane.union(["node", "k3s", "kubelet", "kube-proxy"]),
            .k3sAgent: ["node", "k3s", "kubelet", "kube-proxy"],
            .rke2Server: controlPlane.union(["node", "rke2", "kubelet", "kube-proxy"]),
        ]
    }()

    /// A rule of the folder: its CIS items and its platform (kind and name).
    struct RuleInfo {
        var id: String
        var cis: Set<String>
        var platform: (kind: String, name: String)
    }

    /// One variant's outcome: xccdf-compare's verdict and Vigil's results by rule id.
    struct Outcome {
        var node: KubernetesNode
        var variant: String
        var spec: NodeSpec
        var compareStatus: Int32
        var compareOutput: String
        var results: [String: String]
        var label: String { "\(node.rawValue)/\(variant)" }
    }

    func testRulesAgreeWithOscapAndWithTheFixturesOnEveryVariant() throws {
        let work = try Shell.tempDir()
        let t = try Self.toolsWithTimeout(in: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let ds = work.appendingPathComponent("kubernetes-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", Self.folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let validate = try Shell.run(t.oscap, ["ds", "sds-validate", ds])
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        let rules = try Self.profileRules()
        XCTAssertGreaterThan(rules.count, 80)

        let variants = KubernetesNode.allCases.flatMap { node in node.variants.map { (node, $0) } }
        let outcomes = try Self.runAll(variants, t: t, ds: ds, work: work)
        var seen: [String: Set<String>] = [:]
        for o in outcomes {
            XCTAssertEqual(o.compareStatus, 0, "\(o.label): oscap and vigil differ:\n\(o.compareOutput)")
            let breaks = Set(try o.node.breaks(o.variant))
            for rule in rules {
                let got = o.results["xccdf_io.vigil_rule_\(rule.id)"] ?? "missing"
                seen[rule.id, default: []].insert(got)
                let want = Self.expected(rule, o, breaks: breaks)
                XCTAssertEqual(got, want, "\(o.label): \(rule.id) (CIS \(rule.cis.sorted().joined(separator: ", ")))")
            }
        }
        for rule in rules where Self.neverSeen[rule.id] == nil {
            XCTAssertTrue(seen[rule.id, default: []].isSuperset(of: ["pass", "fail"]),
                          "\(rule.id) is never seen both passing and failing: \(seen[rule.id, default: []].sorted())")
        }
    }

    /// The stig profile on every hardened node: both tools agree (the fixtures are hardened
    /// to CIS, so the STIG's stricter wording may fail; only agreement is asserted).
    func testStigProfileAgreesWithOscapOnHardenedNodes() throws {
        let work = try Shell.tempDir()
        let t = try Self.toolsWithTimeout(in: work)
        defer { try? FileManager.default.removeItem(at: work) }
        let ds = work.appendingPathComponent("kubernetes-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", Self.folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        for node in KubernetesNode.allCases {
            let dir = work.appendingPathComponent(node.rawValue)
            _ = try node.write(KubernetesNode.hardened, under: dir)
            let run = try DifferentialRun.run(t, content: ds, options: ["--profile", "xccdf_io.vigil_profile_stig"],
                                              root: dir.path, work: work, name: "stig-\(node.rawValue)")
            XCTAssertEqual(run.status, 0, "\(node.rawValue): oscap and vigil differ (stig):\n\(run.output)")
            XCTAssertGreaterThan(try DifferentialRun.counts(in: run.candidate)["pass", default: 0], 0, node.rawValue)
        }
    }

    /// The tools, with oscap behind a wrapper that gives each run 120 s (DifferentialRun runs
    /// oscap again when it wrote no results): oscap 1.3.7 now and then deadlocks in its probes
    /// under load (all threads waiting on futexes; the same tree evaluates in about 1 s alone).
    static func toolsWithTimeout(in work: URL) throws -> BaselineDifferentialTests.Tools {
        let t = try BaselineDifferentialTests.tools()
        let wrapper = work.appendingPathComponent("oscap-with-timeout.sh")
        try "#!/bin/sh\nexec timeout -s KILL 120 '\(t.oscap)' \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
        guard chmod(wrapper.path, 0o755) == 0 else { throw NodeSpecError(description: "chmod \(wrapper.path)") }
        return BaselineDifferentialTests.Tools(oscap: wrapper.path, compare: t.compare)
    }

    /// What a rule must give on a variant: notapplicable where its platform does not hold;
    /// fail where the variant breaks one of its CIS items (unless only the item's other half);
    /// pass otherwise.
    static func expected(_ rule: RuleInfo, _ o: Outcome, breaks: Set<String>) -> String {
        let applies: Bool
        switch rule.platform.kind {
        case "file": applies = o.spec[rule.platform.name] != nil
        case "static_pod":
            applies = [KubeadmNode.manifests, RKE2Node.manifests].contains { o.spec["\($0)/\(rule.platform.name).yaml"] != nil }
        default: applies = runs[o.node, default: []].contains(rule.platform.name)
        }
        if !rule.cis.isDisjoint(with: o.node.notApplicable) && applies {
            return "applicable, but the node's notApplicable items include CIS \(rule.cis.sorted())"
        }
        guard applies else { return "notapplicable" }
        if !rule.cis.isDisjoint(with: unmetByFixture[o.node, default: []]) { return "fail" }
        if !rule.cis.isDisjoint(with: breaks), !(otherHalf[rule.id]?.contains(o.label) ?? false) { return "fail" }
        return "pass"
    }

    /// Runs every variant, two at a time: each writes its tree and runs both tools on it.
    static func runAll(_ variants: [(KubernetesNode, String)], t: BaselineDifferentialTests.Tools, ds: String,
                       work: URL) throws -> [Outcome] {
        final class Collected: @unchecked Sendable {
            let lock = NSLock()
            var next = 0
            var outcomes: [Outcome] = []
            var errors: [String] = []
        }
        let box = Collected()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            while true {
                box.lock.lock()
                let n = box.next
                box.next += 1
                box.lock.unlock()
                guard n < variants.count else { return }
                let (node, variant) = variants[n]
                do {
                    let o = try runOne(node, variant, t: t, ds: ds, work: work.appendingPathComponent("v\(n)"))
                    box.lock.lock(); box.outcomes.append(o); box.lock.unlock()
                } catch {
                    box.lock.lock(); box.errors.append("\(node.rawValue)/\(variant): \(error)"); box.lock.unlock()
                }
            }
        }
        XCTAssertEqual(box.errors, [])
        XCTAssertEqual(box.outcomes.count, variants.count)
        return box.outcomes
    }

    static func runOne(_ node: KubernetesNode, _ variant: String, t: BaselineDifferentialTests.Tools, ds: String,
                       work: URL) throws -> Outcome {
        let root = work.appendingPathComponent("root")
        let fixture = try node.write(variant, under: root)
        let run = try DifferentialRun.run(t, content: ds, options: ["--profile", profile], root: root.path,
                                          work: work, name: "k8s")
        let results = try DifferentialRun.results(in: run.candidate)
        try? FileManager.default.removeItem(at: root)
        return Outcome(node: node, variant: variant, spec: fixture.spec, compareStatus: run.status,
                       compareOutput: run.output, results: results)
    }

    /// The rules of the cis-1.12 profile, read from the folder's YAML.
    static func profileRules() throws -> [RuleInfo] {
        let benchmark = try Yams.load(yaml: String(contentsOf: folder.appendingPathComponent("benchmark.yaml"), encoding: .utf8))
        let profiles = (benchmark as? [String: Any])?["profiles"] as? [String: Any]
        let selected = Set(((profiles?["cis-1.12"] as? [String: Any])?["rules"] as? [String]) ?? [])
        var rules: [RuleInfo] = []
        let walk = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = walk?.nextObject() as? URL {
            guard url.pathExtension == "yaml", url.lastPathComponent != "benchmark.yaml",
                  let rule = try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any],
                  let id = rule["id"] as? String, selected.contains(id) else { continue }
            let cis = ((rule["references"] as? [String: Any])?["cis"] as? [String]) ?? []
            let platform = (rule["platform"] as? [String: String])?.first
            XCTAssertNotNil(platform, "\(id) has no platform")
            rules.append(RuleInfo(id: id, cis: Set(cis), platform: (platform?.key ?? "", platform?.value ?? "")))
        }
        XCTAssertEqual(Set(rules.map(\.id)), selected, "rules of the cis-1.12 profile without a rule file")
        return rules.sorted { $0.id < $1.id }
    }
}
