import Foundation
import XCTest
@testable import VigilRules

/// Reading the Kubernetes parts of the rule format (`rules/README.md`): platforms
/// `{kubernetes: COMPONENT | DISTRIBUTION | node}`, `path` maps per distribution in `file`
/// and `yaml`, and `recursive` trees. Every mistake is refused with its file and line.
final class KubernetesRuleFileTests: XCTestCase {
    /// The demo folder of `RuleFolderTests` and one rule `k8s/rule.yaml` whose body after
    /// `description` is `body` (indented as written).
    func folder(_ body: String) -> [String: String] {
        let rule = "id: k8s_rule\ntitle: A Kubernetes rule\nseverity: medium\ndescription: A rule.\n" + body
        return ["benchmark.yaml": benchmarkYAML, "ssh/root_login.yaml": rootLoginYAML, "ssh/max_tries.yaml": maxTriesYAML,
                "k8s/rule.yaml": rule]
    }

    func problems(_ body: String) throws -> [String] {
        folderProblems(try ruleFolder(folder(body)))
    }

    func loaded(_ body: String) throws -> RuleSpec {
        let b = try RuleFolder.load(try ruleFolder(folder(body)))
        return try XCTUnwrap(b.rules.first(where: { $0.id == "k8s_rule" }))
    }

    static let fileCheck = "check:\n  file: {path: /etc/kubernetes/admin.conf, mode: \"0600\"}\n"

    func testPlatformsNameAComponentADistributionOrAnyNode() throws {
        XCTAssertEqual(try loaded("platform: {kubernetes: kube-apiserver}\n" + Self.fileCheck).platform, .kubernetesComponent(.apiServer))
        XCTAssertEqual(try loaded("platform: {kubernetes: etcd}\n" + Self.fileCheck).platform, .kubernetesComponent(.etcd))
        XCTAssertEqual(try loaded("platform: {kubernetes: kube-proxy}\n" + Self.fileCheck).platform, .kubernetesComponent(.proxy))
        XCTAssertEqual(try loaded("platform: {kubernetes: k3s}\n" + Self.fileCheck).platform, .kubernetesDistribution(.k3s))
        XCTAssertEqual(try loaded("platform:\n  kubernetes: rke2\n" + Self.fileCheck).platform, .kubernetesDistribution(.rke2))
        XCTAssertEqual(try loaded("platform: {kubernetes: node}\n" + Self.fileCheck).platform, .kubernetesNode)
        XCTAssertEqual(try loaded("platform: {package: kubelet}\n" + Self.fileCheck).platform, .package("kubelet"))
        XCTAssertEqual(try loaded("platform: {static_pod: etcd}\n" + Self.fileCheck).platform, .staticPod(.etcd))
        XCTAssertEqual(try loaded("platform: {static_pod: kube-proxy}\n" + Self.fileCheck).platform, .staticPod(.proxy))
    }

    func testAStaticPodPlatformNamesAComponentThatRunsAsOne() throws {
        let pods = "kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kube-proxy"
        XCTAssertEqual(try problems("platform: {static_pod: kubelet}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: 'kubelet' never runs as a static pod; expected one of: \(pods)"])
        XCTAssertEqual(try problems("platform: {static_pod: k3s}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: 'k3s' never runs as a static pod; expected one of: \(pods)"])
    }

    func testBadPlatformsAreRefusedWithTheirLine() throws {
        let known = "kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet, kube-proxy, kubeadm, k3s, rke2, node"
        XCTAssertEqual(try problems("platform: {kubernetes: apiserver}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: unknown Kubernetes component or distribution 'apiserver'; expected one of: \(known)"])
        XCTAssertEqual(try problems("platform:\n  kubernetes: K3S\n" + Self.fileCheck),
                       ["k8s/rule.yaml:6: unknown Kubernetes component or distribution 'K3S'; expected one of: \(known)"])
        XCTAssertEqual(try problems("platform: {kubernetes: ''}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: 'kubernetes' in the platform of rule 'k8s_rule' is empty"])
        XCTAssertEqual(try problems("platform: {kubernetes: [k3s, rke2]}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: 'kubernetes' in the platform of rule 'k8s_rule' must be a single value, not a list or mapping"])
        XCTAssertEqual(try problems("platform: {kubernetes: k3s, package: k3s}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: a platform is one of {package: NAME}, {file: PATH}, {kubernetes: NAME} or {static_pod: COMPONENT}"])
        XCTAssertEqual(try problems("platform: {k8s: k3s}\n" + Self.fileCheck),
                       ["k8s/rule.yaml:5: unknown key 'k8s' in the platform of rule 'k8s_rule'; expected one of: package, file, kubernetes, static_pod"])
    }

    func testPathMapsAreReadInOrder() throws {
        let rule = try loaded("""
            check:
              file:
                path: {kubeadm: /etc/kubernetes/admin.conf,
                       k3s: /var/lib/rancher/k3s/server/cred/admin.kubeconfig}
                mode: "0600"

            """)
        guard case .file(let f) = rule.check, case .perDistribution(let entries) = f.path else { return XCTFail("\(rule.check)") }
        XCTAssertEqual(entries.map(\.distribution), [.kubeadm, .k3s])
        XCTAssertEqual(entries.map(\.path), ["/etc/kubernetes/admin.conf", "/var/lib/rancher/k3s/server/cred/admin.kubeconfig"])
        XCTAssertFalse(f.recursive)

        let yaml = try loaded("check:\n  yaml:\n    path:\n      rke2: /etc/rancher/rke2/config.yaml\n    yamlpath: .profile\n    value: cis\n")
        guard case .yaml(let y) = yaml.check, case .perDistribution(let one) = y.path else { return XCTFail("\(yaml.check)") }
        XCTAssertEqual(one.map(\.distribution), [.rke2])
        let single = try loaded("check:\n  yaml: {path: /var/lib/kubelet/config.yaml, yamlpath: .readOnlyPort, value: \"0\"}\n")
        guard case .yaml(let s) = single.check, case .single(let p) = s.path else { return XCTFail("\(single.check)") }
        XCTAssertEqual(p, "/var/lib/kubelet/config.yaml")
    }

    func testBadPathMapsAreRefusedWithTheirLine() throws {
        XCTAssertEqual(try problems("check:\n  file:\n    path: {kubeadm: /etc/kubernetes/admin.conf, openshift: /etc/x}\n"),
                       ["k8s/rule.yaml:7: unknown Kubernetes distribution 'openshift' in 'path'; expected one of: kubeadm, k3s, rke2"])
        XCTAssertEqual(try problems("check:\n  file:\n    mode: \"0600\"\n    path: {}\n"),
                       ["k8s/rule.yaml:8: 'path' maps no distribution to a path; give at least one of: kubeadm, k3s, rke2"])
        XCTAssertEqual(try problems("check:\n  yaml:\n    yamlpath: .a\n    value: b\n    path:\n      k3s: etc/rancher/k3s/config.yaml\n"),
                       ["k8s/rule.yaml:10: 'etc/rancher/k3s/config.yaml' must be an absolute path without '..'"])
        XCTAssertEqual(try problems("check:\n  file:\n    path:\n      rke2: /var/lib/rancher/rke2/../../../etc/shadow\n"),
                       ["k8s/rule.yaml:8: '/var/lib/rancher/rke2/../../../etc/shadow' must be an absolute path without '..'"])
        XCTAssertEqual(try problems("check:\n  file:\n    path:\n      k3s: [/a, /b]\n"),
                       ["k8s/rule.yaml:8: each entry of 'path' in check 'file' must map a name to a single value"])
        let twice = try problems("check:\n  file:\n    path:\n      k3s: /a\n      k3s: /b\n")
        // The YAML reader refuses a duplicate key before the map is read.
        XCTAssertEqual(twice.count, 1)
        XCTAssertTrue(twice.first?.contains("duplicated key(s): 'k3s'") == true && twice.first?.contains("in line 8") == true, "\(twice)")
    }

    func testRecursiveTreesNeedANamePattern() throws {
        let rule = try loaded("check:\n  file:\n    path: {kubeadm: /etc/kubernetes/pki}\n    name_pattern: '\\.key$'\n    recursive: true\n    mode: \"0600\"\n")
        guard case .file(let f) = rule.check else { return XCTFail("\(rule.check)") }
        XCTAssertTrue(f.recursive)
        XCTAssertEqual(f.namePattern, "\\.key$")
        XCTAssertEqual(try problems("check:\n  file:\n    path: /etc/kubernetes/pki\n    recursive: true\n    mode: \"0600\"\n"),
                       ["k8s/rule.yaml:8: 'recursive' needs a 'name_pattern' for the files to select below the path"])
        XCTAssertEqual(try problems("check:\n  file: {path: /etc/kubernetes/pki, name_pattern: x, recursive: yes}\n"),
                       ["k8s/rule.yaml:6: 'recursive' in check 'file' must be true or false, not 'yes'"])
        XCTAssertEqual(try problems("check:\n  yaml: {path: /etc/a.yaml, yamlpath: .a, value: b, recursive: true}\n"), [
            "k8s/rule.yaml:6: unknown key 'recursive' in check 'yaml'; expected one of: path, yamlpath, value, value_pattern, missing",
        ])
    }
}
