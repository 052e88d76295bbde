import Foundation
import VigilEngine
import VigilXML
import XCTest

/// CKL and CKLB of a scan of Kubernetes STIG content (rules citing `SV-..._rule`, `V-...`
/// and `CNTR-K8-...`) on a node whose OS has no STIG of its own in the content: the
/// CNTR-K8 id is Rule_Ver, STIG_INFO names the Kubernetes STIG, and the asset is a server.
final class KubernetesChecklistTests: XCTestCase {
    func scan() throws -> (ckl: Data, cklb: Data) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-k8s-ckl-\(UUID().uuidString)")
        let rules = dir.appendingPathComponent("rules"), root = dir.appendingPathComponent("root")
        func write(_ path: String, _ text: String, under base: URL) throws {
            let url = base.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("benchmark.yaml", """
            id: kubernetes
            title: Vigil Kubernetes node benchmark
            version: 0.3.0
            profiles:
              stig:
                title: DISA Kubernetes STIG V2R3
                rules: [apiserver_manifest_owner, kubelet_conf_mode]
            """, under: rules)
        try write("1.1-control-plane-files/apiserver_manifest_owner.yaml", """
            id: apiserver_manifest_owner
            title: The API server manifest is owned by root
            severity: medium
            description: Owned by root.
            references:
              stig: [SV-242405r918137_rule, V-242405, CNTR-K8-003110]
              cci: [CCI-001499]
            check:
              file:
                path: /etc/kubernetes/manifests/kube-apiserver.yaml
                owner: root
            """, under: rules)
        try write("4.1-worker-files/kubelet_conf_mode.yaml", """
            id: kubelet_conf_mode
            title: kubelet.conf must not exist here
            severity: high
            description: Absent.
            references:
              stig: [SV-242406r879887_rule, V-242406, CNTR-K8-003120]
            check:
              file:
                path: /etc/kubernetes/kubelet.conf
                exists: false
            """, under: rules)
        try write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", under: root)
        try write("etc/kubernetes/manifests/kube-apiserver.yaml", "kind: Pod\n", under: root)
        try write("etc/kubernetes/kubelet.conf", "kind: Config\n", under: root)
        var options = ScanOptions(vigilVersion: "test")
        options.content = rules.path
        options.profile = "stig"
        options.root = root.path
        options.jobs = 1
        options.reports = ["ckl:\(dir.path)/node.ckl", "cklb:\(dir.path)/node.cklb"]
        let outcome = try ScanSession(options).run()
        XCTAssertTrue(outcome.problems.isEmpty, "\(outcome.problems)")
        return (try Data(contentsOf: dir.appendingPathComponent("node.ckl")), try Data(contentsOf: dir.appendingPathComponent("node.cklb")))
    }

    func testCKLNamesTheKubernetesSTIGAndItsIds() throws {
        let root = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try scan().ckl), label: "node.ckl").root)
        let asset = try XCTUnwrap(root.child("ASSET"))
        XCTAssertEqual(asset.child("ROLE")?.text, "Member Server")
        XCTAssertEqual(asset.child("TECH_AREA")?.text, "Other Review")
        XCTAssertEqual(asset.child("ASSET_TYPE")?.text, "Computing")
        let istig = try XCTUnwrap(root.child("STIGS")?.child("iSTIG"))
        let info = Dictionary(uniqueKeysWithValues: try XCTUnwrap(istig.child("STIG_INFO")).children("SI_DATA").map {
            ($0.child("SID_NAME")?.text ?? "", $0.child("SID_DATA")?.text ?? "")
        })
        XCTAssertEqual(info["stigid"], "Kubernetes_STIG")
        XCTAssertEqual(info["title"], "Kubernetes Security Technical Implementation Guide")
        XCTAssertEqual(info["version"], "2", "from the profile's title, DISA Kubernetes STIG V2R3")
        XCTAssertEqual(info["releaseinfo"], "Release: 3")
        func attribute(_ vuln: VigilXML.XMLElement, _ name: String) -> String? {
            vuln.children("STIG_DATA").first { $0.child("VULN_ATTRIBUTE")?.text == name }?.child("ATTRIBUTE_DATA")?.text
        }
        let vulns = istig.children("VULN")
        XCTAssertEqual(vulns.map { attribute($0, "Vuln_Num") }, ["V-242405", "V-242406"])
        XCTAssertEqual(vulns.map { attribute($0, "Rule_ID") }, ["SV-242405r918137_rule", "SV-242406r879887_rule"])
        XCTAssertEqual(vulns.map { attribute($0, "Rule_Ver") }, ["CNTR-K8-003110", "CNTR-K8-003120"])
        XCTAssertEqual(vulns.map { attribute($0, "STIGRef") }, Array(repeating: "Kubernetes Security Technical Implementation Guide :: Version 2, Release: 3", count: 2))
        XCTAssertEqual(vulns.map { $0.child("STATUS")?.text }, ["NotAFinding", "Open"])
        XCTAssertEqual(vulns[0].children("STIG_DATA").filter { $0.child("VULN_ATTRIBUTE")?.text == "CCI_REF" }
            .map { $0.child("ATTRIBUTE_DATA")?.text }, ["CCI-001499"])
    }

    func testCKLBNamesTheKubernetesSTIGAndItsIds() throws {
        let checklist = try XCTUnwrap(JSONSerialization.jsonObject(with: try scan().cklb) as? [String: Any])
        let target = try XCTUnwrap(checklist["target_data"] as? [String: Any])
        XCTAssertEqual(target["role"] as? String, "Member Server")
        XCTAssertEqual(target["technology_area"] as? String, "Other Review")
        let stig = try XCTUnwrap((checklist["stigs"] as? [[String: Any]])?.first)
        XCTAssertEqual(stig["stig_id"] as? String, "Kubernetes_STIG")
        XCTAssertEqual(stig["stig_name"] as? String, "Kubernetes Security Technical Implementation Guide")
        XCTAssertEqual(stig["version"] as? String, "2")
        XCTAssertEqual(stig["release_info"] as? String, "Release: 3")
        let rules = try XCTUnwrap(stig["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["rule_version"] as? String }, ["CNTR-K8-003110", "CNTR-K8-003120"])
        XCTAssertEqual(rules.map { $0["group_id"] as? String }, ["V-242405", "V-242406"])
        XCTAssertEqual(rules.map { $0["rule_id"] as? String }, ["SV-242405r918137_rule", "SV-242406r879887_rule"])
        XCTAssertEqual(rules.map { $0["status"] as? String }, ["not_a_finding", "open"])
        for key in ["uuid", "stig_uuid", "group_title", "rule_title", "severity", "ccis", "finding_details", "comments"] {
            XCTAssertNotNil(rules[0][key], key)
        }
    }
}
