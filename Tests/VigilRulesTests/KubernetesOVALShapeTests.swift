import Foundation
import XCTest
@testable import VigilRules

/// The OVAL that Kubernetes platforms, path maps and recursive trees compile to: which files
/// each platform looks for, how a path map combines its distributions, and the behaviors and
/// filter of a recursive object. (That oscap and Vigil agree on it: KubernetesPlatformDifferentialTests.)
final class KubernetesOVALShapeTests: XCTestCase {
    /// The `filepath`s and `path`s of every object the builder holds.
    func paths(_ oval: OVALBuilder) -> Set<String> {
        var out = Set<String>()
        let re = try! NSRegularExpression(pattern: "<unix:(?:filepath|path)>([^<]*)</unix:(?:filepath|path)>")
        for object in oval.objects {
            for m in re.matches(in: object, range: NSRange(object.startIndex..., in: object)) {
                out.insert(String(object[Range(m.range(at: 1), in: object)!]))
            }
        }
        return out
    }

    /// The files a platform's inventory definition looks for, and its criteria.
    func platform(_ p: RulePlatform) -> (paths: Set<String>, criteria: String) {
        let oval = OVALBuilder(namespace: "t")
        let c = RuleCheckOVAL(oval: oval, values: [:])
        let criteria: Criteria
        switch p {
        case .kubernetesComponent(let k): criteria = c.componentRuns(k)
        case .kubernetesDistribution(let d): criteria = c.distributionInstalled(d)
        case .kubernetesNode: criteria = c.kubernetesNode()
        default: criteria = .and([])
        }
        return (paths(oval), criteria.xml())
    }

    static let k3sServerUnits: Set<String> = ["/etc/systemd/system/k3s.service", "/usr/local/lib/systemd/system/k3s.service"]
    static func evidence(_ d: KubernetesDistribution) -> Set<String> { Set(KubernetesLayout.evidence(d)) }

    func testControlPlaneComponentsRunFromAManifestOrAK3sServer() {
        for (c, name) in [(KubernetesComponent.apiServer, "kube-apiserver"), (.controllerManager, "kube-controller-manager"),
                          (.scheduler, "kube-scheduler")] {
            let p = platform(.kubernetesComponent(c))
            XCTAssertEqual(p.paths, Self.k3sServerUnits.union(["/etc/kubernetes/manifests/\(name).yaml",
                                                               "/var/lib/rancher/rke2/agent/pod-manifests/\(name).yaml"]))
            XCTAssertEqual(p.criteria.components(separatedBy: "<criterion").count - 1, 1, "one test over the union: \(p.criteria)")
        }
    }

    func testEtcdRunsFromAManifestOrK3sEmbeddedEtcd() {
        let p = platform(.kubernetesComponent(.etcd))
        XCTAssertEqual(p.paths, Self.k3sServerUnits.union(["/etc/kubernetes/manifests/etcd.yaml",
                                                           "/var/lib/rancher/rke2/agent/pod-manifests/etcd.yaml",
                                                           "/var/lib/rancher/k3s/server/db/etcd"]))
        // A manifest, or (a k3s server unit and the embedded etcd directory).
        let shape = "^<criteria operator=\"OR\"><criterion test_ref=\"[^\"]+\"/><criteria operator=\"AND\">"
            + "<criterion test_ref=\"[^\"]+\"/><criterion test_ref=\"[^\"]+\"/></criteria></criteria>$"
        XCTAssertNotNil(p.criteria.range(of: shape, options: .regularExpression), p.criteria)
    }

    func testKubeletAndProxyRunWhereTheirDistributionRunsThem() {
        XCTAssertEqual(platform(.kubernetesComponent(.kubelet)).paths,
                       Self.evidence(.kubeadm).union(Self.evidence(.k3s)).union(Self.evidence(.rke2)))
        let proxy = platform(.kubernetesComponent(.proxy)).paths
        XCTAssertEqual(proxy, Self.evidence(.k3s).union(["/var/lib/rancher/rke2/agent/pod-manifests/kube-proxy.yaml"]))
        XCTAssertFalse(proxy.contains("/etc/kubernetes/manifests/kube-proxy.yaml"), "kubeadm runs kube-proxy as a DaemonSet")
    }

    func testDistributionsAndNodesAreTheirEvidence() {
        for d in KubernetesDistribution.allCases {
            XCTAssertEqual(platform(.kubernetesDistribution(d)).paths, Self.evidence(d))
        }
        let node = platform(.kubernetesNode)
        XCTAssertEqual(node.paths, Self.evidence(.kubeadm).union(Self.evidence(.k3s)).union(Self.evidence(.rke2)))
        XCTAssertEqual(node.criteria.components(separatedBy: "<criterion").count - 1, 3, node.criteria)
    }

    /// Each listed distribution: not installed, or its path passes; and one of them installed.
    func testPathMapChecksEveryInstalledDistribution() throws {
        let oval = OVALBuilder(namespace: "t")
        var c = RuleCheckOVAL(oval: oval, values: [:])
        let check = FileCheck(path: .perDistribution([(.kubeadm, "/etc/kubernetes/admin.conf"), (.k3s, "/var/lib/rancher/k3s/admin")]),
                              namePattern: nil, recursive: false, exists: true, mode: 0o600, owner: 0, group: nil, missingPasses: false)
        let rule = RuleSpec(id: "r", title: "r", severity: "low", description: "", rationale: "", references: [], remediation: "",
                            platform: nil, check: .file(check), group: "", file: "r.yaml", line: 1)
        let xml = try c.criteria(rule).xml()
        let installed = (kubeadm: "oval:t:tst:3", k3s: "oval:t:tst:4")
        XCTAssertEqual(xml, """
            <criteria operator="AND">\
            <criteria operator="OR"><criterion negate="true" test_ref="\(installed.kubeadm)"/><criterion test_ref="oval:t:tst:1"/></criteria>\
            <criteria operator="OR"><criterion negate="true" test_ref="\(installed.k3s)"/><criterion test_ref="oval:t:tst:2"/></criteria>\
            <criteria operator="OR"><criterion test_ref="\(installed.kubeadm)"/><criterion test_ref="\(installed.k3s)"/></criteria>\
            </criteria>
            """)
        XCTAssertTrue(oval.tests[0].contains("check_existence=\"at_least_one_exists\""), oval.tests[0])
        XCTAssertTrue(paths(oval).isSuperset(of: ["/etc/kubernetes/admin.conf", "/var/lib/rancher/k3s/admin"]))
    }

    func testRecursiveObjectsDescendRealDirectoriesOnly() throws {
        let oval = OVALBuilder(namespace: "t")
        var c = RuleCheckOVAL(oval: oval, values: [:])
        let check = FileCheck(path: .single("/etc/kubernetes/pki"), namePattern: "\\.key$", recursive: true, exists: true,
                              mode: 0o600, owner: 0, group: nil, missingPasses: false)
        let rule = RuleSpec(id: "r", title: "r", severity: "low", description: "", rationale: "", references: [], remediation: "",
                            platform: nil, check: .file(check), group: "", file: "r.yaml", line: 1)
        _ = try c.criteria(rule)
        XCTAssertEqual(oval.objects, ["""
            <unix:file_object id="oval:t:obj:1" version="1">\
            <unix:behaviors recurse="directories" recurse_direction="down" max_depth="-1" recurse_file_system="all"/>\
            <unix:path>/etc/kubernetes/pki</unix:path><unix:filename operation="pattern match">\\.key$</unix:filename>\
            </unix:file_object>
            """])
        // textfilecontent54 objects take the same behaviors.
        let text = RuleCheckOVAL(oval: OVALBuilder(namespace: "t"), values: [:])
            .fileEntities(FileSelection(path: "/etc/rancher", namePattern: "x", recursive: true), prefix: "ind")
        XCTAssertTrue(text.hasPrefix("<ind:behaviors recurse=\"directories\" recurse_direction=\"down\""), text)
        // Without `recursive` the same selection looks at the folder's own entries only.
        let flat = RuleCheckOVAL(oval: OVALBuilder(namespace: "t"), values: [:])
            .fileEntities(FileSelection(path: "/etc/kubernetes/pki", namePattern: "x"), prefix: "unix")
        XCTAssertEqual(flat, "<unix:path>/etc/kubernetes/pki</unix:path><unix:filename operation=\"pattern match\">x</unix:filename>")
    }

    /// A single path names a file or a directory (an etcd data directory, /etc/cron.d): a
    /// `filepath` object never selects a directory, so the path is also looked up as a
    /// directory, a `path` with a nil `filename`.
    func testASinglePathNamesAFileOrADirectory() {
        let oval = OVALBuilder(namespace: "t")
        let object = RuleCheckOVAL(oval: oval, values: [:]).fileObject(FileSelection(path: "/var/lib/etcd", namePattern: nil))
        XCTAssertEqual(oval.objects, [
            "<unix:file_object id=\"oval:t:obj:1\" version=\"1\"><unix:filepath>/var/lib/etcd</unix:filepath></unix:file_object>",
            "<unix:file_object id=\"oval:t:obj:2\" version=\"1\"><unix:path>/var/lib/etcd</unix:path><unix:filename xsi:nil=\"true\"/></unix:file_object>",
            "<unix:file_object id=\"oval:t:obj:3\" version=\"1\"><set><object_reference>oval:t:obj:1</object_reference>"
                + "<object_reference>oval:t:obj:2</object_reference></set></unix:file_object>",
        ])
        XCTAssertEqual(object, "oval:t:obj:3")
        XCTAssertTrue(OVALBuilder.namespaces.contains("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""))
    }

    /// Each kind of platform becomes one CPE name with an inventory definition in the CPE OVAL.
    func testPlatformsBecomeCPENames() throws {
        let dir = try ruleFolder([
            "benchmark.yaml": "id: k8s\ntitle: K\nversion: \"1\"\n",
            "a.yaml": "id: a\ntitle: A\nseverity: low\ndescription: d\nplatform: {kubernetes: kube-apiserver}\ncheck:\n  file: {path: /a}\n",
            "b.yaml": "id: b\ntitle: B\nseverity: low\ndescription: d\nplatform: {kubernetes: k3s}\ncheck:\n  file: {path: /b}\n",
            "c.yaml": "id: c\ntitle: C\nseverity: low\ndescription: d\nplatform: {kubernetes: node}\ncheck:\n  file: {path: /c}\n",
            "d.yaml": "id: d\ntitle: D\nseverity: low\ndescription: d\nplatform: {kubernetes: k3s}\ncheck:\n  file: {path: /d}\n",
        ])
        let xml = try DataStreamBuilder.build(try RuleFolder.load(dir))
        for name in ["kubernetes-kube-apiserver", "kubernetes-k3s", "kubernetes-node"] {
            XCTAssertEqual(xml.components(separatedBy: "<cpe-item name=\"cpe:/a:io.vigil:\(name)\">").count, 2, name)
        }
        XCTAssertEqual(xml.components(separatedBy: "<platform idref=\"cpe:/a:io.vigil:kubernetes-k3s\"/>").count, 3)
        XCTAssertEqual(xml.components(separatedBy: "<definition class=\"inventory\"").count, 4)
    }
}
