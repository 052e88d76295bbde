import Foundation
import VigilEngine
import XCTest
@testable import VigilWatch

/// On a Kubernetes node a scan without content has a companion (the Kubernetes
/// benchmark's): its reports are named with `.kubernetes`, as `vigil scan` names them,
/// rotated on their own, and its metrics are a series of their own. Stand-in rule folders
/// are found through $VIGIL_BASELINE and $VIGIL_KUBERNETES_RULES.
final class CompanionReportTests: XCTestCase {
    func testCompanionFilesAndSeries() throws {
        let dir = NSTemporaryDirectory() + "vigil-watch-k8s-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
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
        var options = ScanOptions(vigilVersion: "test")
        options.root = dir + "/root"
        options.store = dir + "/vigil.db"
        options.jobs = 1
        let reports = try ReportDirectory(path: dir + "/reports", keep: 1)
        let metrics = WatchMetrics()
        var outcome = try ScanSession(options).run()
        XCTAssertEqual(outcome.companions.count, 1)
        try reports.write(outcome)
        outcome.record.metadata.startedAt.addTimeInterval(-3600)
        outcome.companions[0].record.metadata.startedAt.addTimeInterval(-3600)
        try reports.write(outcome)
        metrics.record(outcome, duration: 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/reports").sorted()
        XCTAssertEqual(names.filter { $0.hasPrefix("latest") }, ["latest.html", "latest.json", "latest.kubernetes.html", "latest.kubernetes.json"])
        let dated = names.filter { $0.hasPrefix("vigil-") }
        XCTAssertEqual(dated.count, 4, "keep 1 of each of the four: \(names)")
        XCTAssertEqual(dated.filter { $0.hasSuffix(".kubernetes.json") }.count, 1)
        let kubernetes = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/reports/latest.kubernetes.json")))
        XCTAssertEqual(((kubernetes as? [String: Any])?["rules"] as? [[String: Any]])?.map { $0["result"] as? String }, ["fail"])
        let samples = try PrometheusSample.parse(String(decoding: metrics.text(), as: UTF8.self))
        XCTAssertEqual(Set(samples.named("vigil_score").map { $0.labels["benchmark"]! }),
                       ["xccdf_io.vigil_benchmark_linux-baseline", "xccdf_io.vigil_benchmark_kubernetes"])
        XCTAssertEqual(samples.named("vigil_rule_failing").map { $0.labels["rule_id"] }, ["xccdf_io.vigil_rule_kubelet_conf"])
    }
}
