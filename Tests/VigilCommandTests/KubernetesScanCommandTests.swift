import Foundation
import XCTest
@testable import vigil

/// `vigil scan` without content on a Kubernetes node: the OS content and the Kubernetes
/// benchmark, each stored and reported, the exit code the worst of the two;
/// `--no-kubernetes` leaves the second out. Stand-in rule folders are found through
/// $VIGIL_BASELINE and $VIGIL_KUBERNETES_RULES.
final class KubernetesScanCommandTests: XCTestCase {
    func testScanWithoutContentOnANodeScansBothAndNoKubernetesTurnsItOff() throws {
        let dir = NSTemporaryDirectory() + "vigil-cmd-k8s-" + UUID().uuidString
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: dir + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        func rule(_ id: String, _ path: String) -> String {
            "id: \(id)\ntitle: \(id)\nseverity: medium\ndescription: d\ncheck:\n  file:\n    path: \(path)\n"
        }
        try write("baseline/benchmark.yaml", "id: linux-baseline\ntitle: Baseline\nversion: '1'\n")
        try write("baseline/os/os_release.yaml", rule("os_release", "/etc/os-release"))
        try write("kubernetes/benchmark.yaml", "id: kubernetes\ntitle: Kubernetes\nversion: '1'\nprofiles:\n  cis-1.12: {title: CIS, rules: [kubelet_conf]}\n")
        try write("kubernetes/4.1-worker-files/kubelet_conf.yaml", rule("kubelet_conf", "/var/lib/kubelet/config.yaml"))
        try write("root/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
        try write("root/etc/kubernetes/kubelet.conf", "kind: Config\n")
        setenv("VIGIL_BASELINE", dir + "/baseline", 1)
        setenv("VIGIL_KUBERNETES_RULES", dir + "/kubernetes", 1)
        defer {
            unsetenv("VIGIL_BASELINE")
            unsetenv("VIGIL_KUBERNETES_RULES")
        }
        let scan = ["scan", "--root", dir + "/root", "--db", dir + "/vigil.db", "--quiet"]
        XCTAssertEqual(Vigil.run(scan + ["--report", "json:\(dir)/report.json"]), 2, "the kubelet config is missing")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/report.json"))
        let kubernetes = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/report.kubernetes.json")))
        XCTAssertEqual(((kubernetes as? [String: Any])?["rules"] as? [[String: Any]])?.map { $0["result"] as? String }, ["fail"])
        XCTAssertEqual(Vigil.run(["show", "2", "--db", dir + "/vigil.db", "--format", "json"]), 0, "both scans are stored")
        XCTAssertEqual(Vigil.run(["show", "3", "--db", dir + "/vigil.db", "--format", "json"]), 1)

        XCTAssertEqual(Vigil.run(scan + ["--no-kubernetes", "--report", "json:\(dir)/only.json"]), 0, "the baseline alone passes")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/only.kubernetes.json"))
        try write("root/var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\n")
        XCTAssertEqual(Vigil.run(scan), 0)
        // Drift goes per benchmark: the latest scan (Kubernetes) against the Kubernetes scan
        // before it (scan 2), past the baseline-only scan 3 and the baseline scan 4.
        XCTAssertEqual(Vigil.run(["drift", "--db", dir + "/vigil.db", "--format", "json", "--out", dir + "/drift.json"]), 0)
        let drift = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/drift.json"))) as? [String: Any]
        XCTAssertEqual((drift?["fixed"] as? [Any])?.count, 1, "\(drift ?? [:])")
    }
}
