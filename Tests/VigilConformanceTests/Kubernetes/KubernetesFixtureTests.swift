import Foundation
import XCTest
import Yams

/// The generated Kubernetes node trees: every variant (hardened and each deviation) of every
/// fixture has on disk exactly the files, links, modes and owners its spec claims, every
/// YAML it wrote parses, and every deviation changes the tree and names known CIS items.
final class KubernetesFixtureTests: XCTestCase {
    func testKubeadmControlPlane() throws { try checkAllVariants(.kubeadmControlPlane) }
    func testKubeadmWorker() throws { try checkAllVariants(.kubeadmWorker) }
    func testK3sServer() throws { try checkAllVariants(.k3sServer) }
    func testK3sAgent() throws { try checkAllVariants(.k3sAgent) }
    func testRKE2Server() throws { try checkAllVariants(.rke2Server) }

    func testDeviationsAreUniqueChangeTheTreeAndNameKnownCISItems() throws {
        for node in KubernetesNode.allCases {
            let names = node.deviations.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(node.rawValue): duplicate deviation names")
            XCTAssertFalse(names.contains(KubernetesNode.hardened))
            let hardened = node.hardenedSpec
            for deviation in node.deviations {
                XCTAssertNotEqual(try node.spec(deviation.name), hardened, "\(node.rawValue)/\(deviation.name) changes nothing")
                for item in deviation.breaks {
                    XCTAssertNotNil(CISKubernetesItems.automated[item], "\(node.rawValue)/\(deviation.name): unknown CIS item \(item)")
                    XCTAssertFalse(node.notApplicable.contains(item), "\(node.rawValue)/\(deviation.name): \(item) is not applicable")
                }
            }
            let controls = node.deviations.filter(\.breaks.isEmpty).map(\.name)
            XCTAssertEqual(controls, node == .k3sServer || node == .k3sAgent ? ["unit-env-file-644"] : [], node.rawValue)
            XCTAssertEqual(try node.breaks(KubernetesNode.hardened), [])
        }
        XCTAssertThrowsError(try KubernetesNode.kubeadmWorker.spec("no-such-deviation"))
    }

    /// Every automated item of sections 1, 2 and 4 is broken by at least one kubeadm
    /// control-plane or worker deviation, so each can be seen failing; 4.3.1 (kube-proxy
    /// metrics) has no node file under kubeadm (a DaemonSet's ConfigMap) and is covered by
    /// the k3s and rke2 fixtures.
    func testKubeadmDeviationsCoverEveryAutomatedItem() {
        let broken = Set((KubernetesNode.kubeadmControlPlane.deviations + KubernetesNode.kubeadmWorker.deviations).flatMap(\.breaks))
        let automated = CISKubernetesItems.automated.filter { $0.value && $0.key != "4.3.1" }.map(\.key)
        XCTAssertEqual(automated.filter { !broken.contains($0) }.sorted(), [])
    }

    /// The manifests parse back to the command lines the fixture code holds: kubeadm's
    /// flags in `command`, rke2's in `args`.
    func testManifestsCarryTheirFlags() throws {
        let cases: [(KubernetesNode, String, [String])] = [
            (.kubeadmControlPlane, KubeadmDeviations.apiServer, ["kube-apiserver"] + KubeadmNode.apiServerFlags),
            (.kubeadmControlPlane, KubeadmDeviations.etcd, ["etcd"] + KubeadmNode.etcdFlags),
            (.rke2Server, RKE2Deviations.apiServer, ["kube-apiserver"] + RKE2Flags.apiServer),
            (.rke2Server, RKE2Node.manifests + "/kube-proxy.yaml", ["kube-proxy"] + RKE2Flags.proxy),
        ]
        for (node, path, expected) in cases {
            guard case .file(let text)? = node.hardenedSpec[path]?.kind else { return XCTFail("\(path) missing") }
            let pod = try XCTUnwrap(try Yams.load(yaml: text) as? [String: Any])
            let container = try XCTUnwrap(((pod["spec"] as? [String: Any])?["containers"] as? [[String: Any]])?.first)
            let line = (container["command"] as? [String] ?? []) + (container["args"] as? [String] ?? [])
            XCTAssertEqual(line, expected, path)
        }
    }

    /// An edit that finds nothing to change throws instead of leaving the hardened tree.
    func testEditsThatMissThrow() {
        var spec = KubernetesNode.kubeadmControlPlane.hardenedSpec
        let manifest = KubeadmDeviations.etcd
        XCTAssertThrowsError(try spec.setFlag(manifest, "--no-such-flag", "x"))
        XCTAssertThrowsError(try spec.replace(manifest, "no such text", with: "x"))
        XCTAssertThrowsError(try spec.setMode("/no/such/file", 0o600))
        // A whole flag: --client-cert-auth does not touch --peer-client-cert-auth.
        XCTAssertNoThrow(try spec.setFlag(manifest, "--client-cert-auth", "false"))
        guard case .file(let text)? = spec[manifest]?.kind else { return XCTFail("no etcd manifest") }
        XCTAssertTrue(text.contains("- --client-cert-auth=false\n"))
        XCTAssertTrue(text.contains("- --peer-client-cert-auth=true\n"))
    }

    private func checkAllVariants(_ node: KubernetesNode) throws {
        for variant in node.variants {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-k8s-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let fixture = try node.write(variant, under: dir)
            try checkTree(fixture)
        }
    }

    private func checkTree(_ fixture: NodeFixture) throws {
        let label = "\(fixture.node.rawValue)/\(fixture.variant)"
        var claimed = Set<String>()
        var yamlFiles = 0
        for path in fixture.spec.paths {
            guard let entry = fixture.spec[path] else { continue }
            var info = stat()
            XCTAssertEqual(lstat(fixture.url(path).path, &info), 0, "\(label): \(path) missing")
            if getuid() == 0 {
                XCTAssertEqual([Int(info.st_uid), Int(info.st_gid)], [entry.uid, entry.gid], "\(label): \(path) owner")
            }
            switch entry.kind {
            case .directory:
                XCTAssertEqual(info.st_mode & S_IFMT, S_IFDIR, "\(label): \(path) not a directory")
            case .link(let target):
                XCTAssertEqual(info.st_mode & S_IFMT, S_IFLNK, "\(label): \(path) not a link")
                XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.url(path).path), target)
                claimed.insert(path)
                continue
            case .file(let text):
                XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG, "\(label): \(path) not a file")
                XCTAssertEqual(try String(contentsOf: fixture.url(path), encoding: .utf8), text, "\(label): \(path) content")
                claimed.insert(path)
                if entry.yaml {
                    yamlFiles += 1
                    try checkYAML(text, "\(label): \(path)")
                }
            }
            XCTAssertEqual(Int(info.st_mode & 0o7777), entry.mode, "\(label): \(path) mode")
        }
        XCTAssertEqual(try filesOnDisk(fixture.root), claimed, "\(label): files on disk that the spec does not claim")
        XCTAssertGreaterThanOrEqual(yamlFiles, 2, label)
        if getuid() == 0 { XCTAssertEqual(fixture.ownersNotSet, [], label) }
    }

    /// Every YAML document parses to a mapping (manifests, kubeconfigs, configs, drop-ins).
    private func checkYAML(_ text: String, _ label: String) throws {
        var documents = 0
        do {
            for document in try Yams.load_all(yaml: text) {
                documents += 1
                XCTAssertTrue(document is [String: Any], "\(label): not a mapping")
            }
        } catch {
            return XCTFail("\(label): YAML does not parse: \(error)")
        }
        XCTAssertEqual(documents, 1, label)
    }

    private func filesOnDisk(_ root: URL) throws -> Set<String> {
        var found = Set<String>()
        let prefix = root.resolvingSymlinksInPath().path
        guard let walk = FileManager.default.enumerator(atPath: prefix) else { return found }
        while let relative = walk.nextObject() as? String {
            let type = walk.fileAttributes?[.type] as? FileAttributeType
            if type == .typeRegular || type == .typeSymbolicLink { found.insert("/" + relative) }
        }
        return found
    }
}
