import Foundation
import XCTest

/// OpenShift content (ocp4, rhcos4) on a node that is not OpenShift: `vigil scan` warns, in
/// one line, that the verdicts say nothing about that node (their platform test only looks
/// for /etc/kubernetes/kubelet.conf, which a kubeadm node has too). Each piece of evidence
/// of an OpenShift node alone (RHCOS os-release, OpenShift static pod resources or
/// machine-config files, an API dump with config.openshift.io resources) silences it, and
/// other content on a kubeadm node never gives it.
final class OpenShiftWarningTests: XCTestCase {
    static let marker = "is OpenShift content"

    /// The `vigil: warning:` lines of a scan of one rule of `content` on `root`, less the
    /// note after the scan when the rule was not applicable (`--allow-empty`).
    func warnings(_ content: String, rule: String, root: URL) throws -> [String] {
        let r = try Shell.run(Shell.vigilBinary, ["scan", content, "--rule", rule, "--root", root.path,
                                                  "--no-store", "--quiet", "--allow-empty"])
        XCTAssertTrue([0, 2].contains(r.status), "vigil scan failed (\(r.status)): \(r.stderr)")
        return r.stderr.split(separator: "\n").map(String.init).filter { $0.contains("warning") && !$0.contains("no rule was evaluated") }
    }

    func testOpenShiftContentOnAKubeadmNodeWarnsOnce() throws {
        let ocp4 = try OpenShiftDifferentialTests.content(OpenShiftFixture.ocp4)
        let rhcos4 = try OpenShiftDifferentialTests.content(OpenShiftFixture.rhcos4)
        let work = try Shell.tempDir()
        let kubeadm = work.appendingPathComponent("kubeadm")
        _ = try KubernetesNode.kubeadmControlPlane.write(KubernetesNode.hardened, under: kubeadm)
        XCTAssertTrue(FileManager.default.fileExists(atPath: kubeadm.path + "/etc/kubernetes/kubelet.conf"),
                      "the kubeadm node has the file the ocp4 node platform looks for")
        // ocp4's node platform applies on kubeadm, so only the OpenShift warning is given; rhcos4's
        // (RHCOS os-release) does not, so the generic platform warning follows it.
        for (content, rule, count) in [(ocp4, "file_owner_kubelet_conf", 1), (ocp4, "kubelet_anonymous_auth", 1),
                                       (rhcos4, "sshd_disable_root_login", 2)] {
            let lines = try warnings(content, rule: rule, root: kubeadm)
            XCTAssertEqual(lines.filter { $0.contains(Self.marker) }.count, 1, "\(content) on kubeadm: \(lines)")
            XCTAssertEqual(lines.count, count, "\(lines)")
            XCTAssertTrue(lines.first?.contains("not an OpenShift node") == true, "\(lines)")
        }
        // A root with no kubelet.conf: the OpenShift warning, then the generic platform one.
        let bare = work.appendingPathComponent("bare")
        try FileManager.default.createDirectory(at: bare.appendingPathComponent("etc"), withIntermediateDirectories: true)
        let both = try warnings(ocp4, rule: "file_owner_kubelet_conf", root: bare)
        XCTAssertEqual(both.count, 2, "\(both)")
        XCTAssertTrue(both.first?.contains(Self.marker) == true && both.last?.contains("the content is for") == true, "\(both)")
        // Non-OpenShift content on the kubeadm node: no OpenShift warning.
        let baseline = try warnings(BaselineDifferentialTests.baseline, rule: "sshd_disable_root_login", root: kubeadm)
        XCTAssertFalse(baseline.contains { $0.contains(Self.marker) }, "\(baseline)")
    }

    func testEachPieceOfOpenShiftEvidenceSilencesTheWarning() throws {
        let ocp4 = try OpenShiftDifferentialTests.content(OpenShiftFixture.ocp4)
        let work = try Shell.tempDir()
        let evidence: [(String, String, String)] = [
            ("rhcos", "/etc/os-release", "NAME=\"Red Hat Enterprise Linux CoreOS\"\nID=\"rhcos\"\nVERSION_ID=\"4.12\"\n"),
            ("static-pods", "/etc/kubernetes/static-pod-resources/kube-apiserver-certs/configmaps/client-ca/ca-bundle.crt", "PEM\n"),
            ("machine-config", "/etc/machine-config-daemon/currentconfig", "{}\n"),
            ("api-dump", "/kubernetes-api-resources/apis/config.openshift.io/v1/apiservers/cluster", "{\"kind\":\"APIServer\"}"),
        ]
        for (name, path, text) in evidence {
            let root = work.appendingPathComponent(name)
            _ = try KubernetesNode.kubeadmControlPlane.write(KubernetesNode.hardened, under: root)
            let file = root.appendingPathComponent(String(path.dropFirst()))
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            let lines = try warnings(ocp4, rule: "file_owner_kubelet_conf", root: root)
            XCTAssertFalse(lines.contains { $0.contains(Self.marker) }, "\(name): \(lines)")
        }
        // The generated OpenShift node with its dump: no warning.
        let jq = try OpenShiftFixture.jq()
        let node = work.appendingPathComponent("openshift")
        try OpenShiftFixture.write(under: node, benchmark: try String(contentsOfFile: ocp4, encoding: .utf8), jq: jq)
        XCTAssertEqual(try warnings(ocp4, rule: "kubelet_anonymous_auth", root: node), [])
    }
}
