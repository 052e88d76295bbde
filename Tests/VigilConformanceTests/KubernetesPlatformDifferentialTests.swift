import Foundation
import XCTest

/// Kubernetes platforms, path maps and recursive trees (`rules/README.md`) on every variant of
/// every generated node (KubernetesNode): oscap (`OSCAP_PROBE_ROOT`) and Vigil agree on every
/// rule of KubernetesPlatformRules, and each verdict is the one the fixture implies:
/// notapplicable exactly where the node does not run the component or distribution, fail
/// exactly on the deviations that break the item. Each PKI folder also holds symbolic links
/// out of the root (absolute and `../..`), to a folder and to files that would fail the PKI
/// items if followed: neither tool follows them, and a link is judged as itself.
final class KubernetesPlatformDifferentialTests: XCTestCase {
    /// The PKI folders the recursive rules walk, per node (where the node has them).
    static func pkiFolders(_ node: KubernetesNode) -> [String] {
        switch node {
        case .kubeadmControlPlane: ["/etc/kubernetes/pki", "/etc/kubernetes/pki/etcd"]
        case .kubeadmWorker: ["/etc/kubernetes/pki"]
        case .k3sServer: ["/var/lib/rancher/k3s/server/tls", "/var/lib/rancher/k3s/server/tls/etcd"]
        case .k3sAgent: []
        case .rke2Server: ["/var/lib/rancher/rke2/server/tls", "/var/lib/rancher/rke2/server/tls/etcd"]
        }
    }

    /// A folder outside every root whose files break CIS 1.1.19-1.1.21 (mode 666/644, not root's).
    static func outside(in work: URL) throws -> String {
        let dir = work.appendingPathComponent("outside/evil")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested"), withIntermediateDirectories: true)
        for (name, mode) in [("bad.crt", 0o666), ("bad.key", 0o644), ("nested/worse.crt", 0o666), ("nested/worse.key", 0o666)] {
            let path = dir.appendingPathComponent(name).path
            try Data("-----BEGIN X-----\n".utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(chmod(path, mode_t(mode)), 0)
            if getuid() == 0 { XCTAssertEqual(chown(path, 1000, 1000), 0) }
        }
        return dir.path
    }

    /// Links out of the root in each PKI folder: to the outside folder (by absolute path and by
    /// enough `../` to climb past the root) and to its files under names only CIS 1.1.19's
    /// pattern selects (`.pem`: judged as the link, root's; followed, they would be uid 1000's).
    /// A link back to the folder itself (a cycle) and, under /opt/pki-links, a key and a link
    /// to it (KubernetesPlatformRules.links).
    static func addLinks(_ fixture: NodeFixture, to outside: String) throws {
        let fm = FileManager.default
        let up = String(repeating: "../", count: 64) + outside.dropFirst()
        for folder in pkiFolders(fixture.node) {
            let dir = fixture.url(folder).path
            for (name, target) in [("escape-abs", outside), ("escape-rel", up), ("escape-abs.pem", outside + "/bad.crt"),
                                   ("escape-rel.pem", up + "/nested/worse.key")] {
                try fm.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: target)
                // Followed on the host, each link reaches the outside folder.
                XCTAssertTrue(fm.fileExists(atPath: dir + "/" + name), "\(folder)/\(name) dangles")
            }
            try fm.createSymbolicLink(atPath: dir + "/loop", withDestinationPath: folder)
        }
        let links = fixture.url(KubernetesPlatformRules.linkFolder)
        try fm.createDirectory(at: links, withIntermediateDirectories: true)
        try Data("-----BEGIN KEY-----\n".utf8).write(to: links.appendingPathComponent("real.key"))
        XCTAssertEqual(chmod(links.appendingPathComponent("real.key").path, 0o600), 0)
        try fm.createSymbolicLink(atPath: links.appendingPathComponent("current.key").path, withDestinationPath: "real.key")
    }

    /// The node kinds and the fixtures' `notApplicable` say the same: a covered item is not
    /// applicable on a node exactly when its component does not run there (kubeadm's
    /// kube-proxy, a DaemonSet with no node file, is the one case the fixtures leave to the node kind).
    func testComponentTableAgreesWithTheFixtures() {
        for node in KubernetesNode.allCases {
            for i in KubernetesPlatformRules.items {
                if i.component == "kube-proxy" && node.rawValue.hasPrefix("kubeadm") { continue }
                XCTAssertEqual(!KubernetesPlatformRules.runs(i.component, on: node), node.notApplicable.contains(i.item),
                               "\(node.rawValue) \(i.item)")
            }
        }
    }

    func testPlatformsPathMapsAndTreesAgreeWithOscapOnEveryFixture() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let folder = work.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: k8s-platforms\ntitle: Kubernetes platforms\nversion: \"1\"\n"
            .write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        for rule in KubernetesPlatformRules.all {
            try CheckKindsDifferentialTests.rule(rule.id, platform: rule.platform, rule.check)
                .write(to: folder.appendingPathComponent(rule.id + ".yaml"), atomically: true, encoding: .utf8)
        }
        let ds = work.appendingPathComponent("k8s-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let v = try Shell.run(t.oscap, ["ds", "sds-validate", ds])
        XCTAssertEqual(v.status, 0, v.stdout + v.stderr)
        let outside = try Self.outside(in: work)
        let ownersChecked = getuid() == 0
        var runs = 0
        for node in KubernetesNode.allCases {
            for variant in KubernetesPlatformRules.variants(node) {
                let name = "\(node.rawValue)-\(variant)"
                let root = work.appendingPathComponent("nodes/\(name)")
                let fixture = try node.write(variant, under: root)
                try Self.addLinks(fixture, to: outside)
                let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: name)
                XCTAssertEqual(run.status, 0, "\(name): oscap and vigil differ:\n\(run.output)")
                let results = try DifferentialRun.results(in: run.candidate)
                for rule in KubernetesPlatformRules.all where ownersChecked || !rule.check.contains("owner:") {
                    let expected = try rule.expected(node, variant, fixture.spec)
                    XCTAssertEqual(results["xccdf_io.vigil_rule_\(rule.id)"], expected, "\(name): \(rule.id)")
                }
                try? FileManager.default.removeItem(at: root)
                runs += 1
            }
        }
        XCTAssertGreaterThan(runs, 60)
        print("KubernetesPlatformDifferentialTests: \(KubernetesPlatformRules.all.count) rules on \(runs) fixture variants")
    }
}
