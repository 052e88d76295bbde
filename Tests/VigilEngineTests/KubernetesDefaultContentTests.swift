import Foundation
@testable import VigilEngine
import VigilProbes
import VigilRules
import VigilStore
import XCTest

/// With no content, on a Kubernetes node, a scan also evaluates Vigil's Kubernetes
/// benchmark: stored and reported apart, with the worst exit code of the two. The test
/// writes stand-ins for `rules/linux-baseline` (found through $VIGIL_BASELINE) and
/// `rules/kubernetes` (`ScanOptions.kubernetesRules`).
final class KubernetesDefaultContentTests: XCTestCase {
    var dir: URL!

    func write(_ path: String, _ text: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func rule(_ id: String, path: String, severity: String = "medium") -> String {
        "id: \(id)\ntitle: \(id)\nseverity: \(severity)\ndescription: d\ncheck:\n  file:\n    path: \(path)\n"
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-k8s-default-\(UUID().uuidString)")
        // The OS content: one rule, which passes on the node.
        try write("baseline/benchmark.yaml", "id: linux-baseline\ntitle: Baseline\nversion: '1'\n")
        try write("baseline/os/os_release.yaml", rule("os_release", path: "/etc/os-release"))
        // The Kubernetes benchmark: cis-1.12 selects the k3s config rule, cis-1.11 another.
        try write("kubernetes/benchmark.yaml", """
            id: kubernetes
            title: Kubernetes
            version: '1'
            profiles:
              cis-1.12: {title: CIS 1.12, rules: [k3s_config]}
              cis-1.11: {title: CIS 1.11, rules: [other]}
            """)
        try write("kubernetes/1.1-files/k3s_config.yaml", rule("k3s_config", path: "/etc/rancher/k3s/config.yaml"))
        try write("kubernetes/1.1-files/other.yaml", rule("other", path: "/nowhere"))
        try write("root/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
        try write("root/etc/systemd/system/k3s.service", "[Service]\nExecStart=/usr/local/bin/k3s server\n")
        setenv("VIGIL_BASELINE", dir.appendingPathComponent("baseline").path, 1)
    }

    override func tearDown() {
        unsetenv("VIGIL_BASELINE")
    }

    func options(_ change: (inout ScanOptions) -> Void = { _ in }) -> ScanOptions {
        var o = ScanOptions(vigilVersion: "test")
        o.root = dir.appendingPathComponent("root").path
        o.kubernetesRules = dir.appendingPathComponent("kubernetes").path
        o.jobs = 1
        change(&o)
        return o
    }

    func testANodeIsAlsoScannedWithTheKubernetesBenchmarkStoredAndReportedApart() throws {
        let db = dir.path + "/db/vigil.db"
        let events = EventLog()
        let outcome = try ScanSession(options {
            $0.store = db
            $0.reports = ["json:\(dir.path)/report.json", "junit:\(dir.path)/junit"]
        }).run { events.add($0) }
        let chosen = events.defaultContents
        XCTAssertEqual(chosen.map(\.content.path), [dir.appendingPathComponent("baseline").path, dir.appendingPathComponent("kubernetes").path])
        XCTAssertEqual(chosen.last?.profile, "cis-1.12")
        XCTAssertTrue(chosen.last?.content.reason.contains("k3s (/etc/systemd/system/k3s.service)") ?? false, "\(chosen)")
        XCTAssertEqual(events.names.filter { $0 == "scanned" }.count, 2, "two summaries")
        XCTAssertTrue(events.notes.contains { $0.contains("report.kubernetes.json") && $0.contains("junit.kubernetes") }, "\(events.notes)")

        XCTAssertEqual(outcome.ownExitCode, 0, "the baseline's rule passes")
        let kubernetes = try XCTUnwrap(outcome.companions.first)
        XCTAssertEqual(outcome.companions.count, 1)
        XCTAssertEqual(kubernetes.ownExitCode, 2, "/etc/rancher/k3s/config.yaml is missing")
        XCTAssertEqual(outcome.exitCode, 2, "the worst of the two")
        XCTAssertEqual(kubernetes.result.profileID, "xccdf_io.vigil_profile_cis-1.12")
        XCTAssertEqual(kubernetes.result.ruleResults.filter { $0.result != .notselected }.map(\.ruleID), ["xccdf_io.vigil_rule_k3s_config"])

        // Both stored, each with its own content and profile (history and drift per benchmark).
        let store = try ScanStore(path: db)
        XCTAssertEqual(outcome.storedID, 1)
        XCTAssertEqual(kubernetes.storedID, 2)
        XCTAssertEqual(try store.scan("1").benchmarkID, "xccdf_io.vigil_benchmark_linux-baseline")
        XCTAssertEqual(try store.scan("2").benchmarkID, "xccdf_io.vigil_benchmark_kubernetes")
        XCTAssertEqual(try store.scan("2").profileID, "xccdf_io.vigil_profile_cis-1.12")
        XCTAssertEqual(try store.scan("2").contentPath, dir.appendingPathComponent("kubernetes").path)

        // The reports of each, the Kubernetes one named with .kubernetes.
        func results(_ name: String) throws -> [String: String] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent(name))) as? [String: Any]
            let rules = json?["rules"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: rules.compactMap { r in
                (r["id"] as? String).map { ($0, r["result"] as? String ?? "") }
            })
        }
        XCTAssertEqual(try results("report.json"), ["xccdf_io.vigil_rule_os_release": "pass"])
        XCTAssertEqual(try results("report.kubernetes.json"), ["xccdf_io.vigil_rule_k3s_config": "fail"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path + "/junit.kubernetes"))

        // Fixed: both pass, exit 0.
        try write("root/etc/rancher/k3s/config.yaml", "protect-kernel-defaults: true\n")
        XCTAssertEqual(try ScanSession(options()).run().exitCode, 0)
    }

    func testNoKubernetesScanOffANodeWithNoKubernetesOrWithNamedContent() throws {
        XCTAssertTrue(try ScanSession(options { $0.kubernetes = false }).run().companions.isEmpty, "--no-kubernetes")
        XCTAssertTrue(try ScanSession(options { $0.content = dir.appendingPathComponent("baseline").path }).run().companions.isEmpty,
                      "content named")
        let events = EventLog()
        XCTAssertTrue(try ScanSession(options { $0.rules = ["os_release"] }).run { events.add($0) }.companions.isEmpty)
        XCTAssertTrue(events.notes.contains { $0.contains("--rule") }, "\(events.notes)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("root/etc/systemd/system/k3s.service"))
        let plain = EventLog()
        XCTAssertTrue(try ScanSession(options()).run { plain.add($0) }.companions.isEmpty, "not a Kubernetes node")
        XCTAssertEqual(plain.defaultContents.count, 1)
        XCTAssertTrue(plain.warnings.isEmpty, "\(plain.warnings)")
    }

    func testEachDistributionIsDetectedThroughTheTargetAndGetsTheOneProfile() throws {
        for d in KubernetesDistribution.allCases {
            for evidence in KubernetesLayout.evidence(d) {
                let root = dir.appendingPathComponent("node-\(d.rawValue)-\(UUID().uuidString)")
                let file = root.appendingPathComponent(String(evidence.dropFirst()))
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try "x".write(to: file, atomically: true, encoding: .utf8)
                let found = DefaultKubernetesContent.choose(target: try RootTarget(root.path), folder: "/k")
                XCTAssertEqual(found?.installed, [d], evidence)
                XCTAssertEqual(found?.content?.profile, "cis-1.12")
                XCTAssertEqual(found?.content?.path, "/k")
                XCTAssertNil(DefaultKubernetesContent.choose(target: try RootTarget(root.path), folder: nil)?.content, "not found: no content")
            }
        }
        // A link out of the root does not count: the target confines it.
        let root = dir.appendingPathComponent("linked")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc/kubernetes"), withIntermediateDirectories: true)
        try "x".write(to: dir.appendingPathComponent("outside"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("etc/kubernetes/kubelet.conf").path,
                                                   withDestinationPath: dir.appendingPathComponent("outside").path)
        XCTAssertNil(DefaultKubernetesContent.choose(target: try RootTarget(root.path), folder: "/k"))
    }

    func testReportNamesAreCheckedBeforeTheScan() throws {
        let db = dir.path + "/db2/vigil.db"
        XCTAssertThrowsError(try ScanSession(options {
            $0.store = db
            $0.reports = ["json:\(dir.path)/a.json", "junit:\(dir.path)/a.kubernetes.json"]
        }).run()) { error in
            XCTAssertTrue("\(error)".contains("a.kubernetes.json would hold two reports"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "nothing stored")
        // A report to standard output is the first scan's alone.
        let events = EventLog()
        let outcome = try ScanSession(options { $0.reports = ["junit:-"] }).run { events.add($0) }
        XCTAssertEqual(outcome.companions.count, 1)
        XCTAssertTrue(events.notes.contains { $0.contains("not written to standard output") }, "\(events.notes)")
    }

    /// A checklist is written for the scan whose rules have STIG ids; the other says it has none.
    func testAChecklistIsWrittenForTheScanWithSTIGIds() throws {
        let stigRule = rule("k3s_config", path: "/etc/rancher/k3s/config.yaml")
            + "references:\n  stig: [SV-242400r960759_rule, V-242400, CNTR-K8-000001]\n"
        try write("kubernetes/1.1-files/k3s_config.yaml", stigRule)
        let events = EventLog()
        let outcome = try ScanSession(options { $0.reports = ["ckl:\(dir.path)/node.ckl"] }).run { events.add($0) }
        XCTAssertTrue(outcome.all.allSatisfy { $0.problems.isEmpty }, "\(outcome.all.map(\.problems))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/node.ckl"), "the baseline has no STIG id")
        let ckl = try String(contentsOfFile: dir.path + "/node.kubernetes.ckl", encoding: .utf8)
        XCTAssertTrue(ckl.contains("<SID_DATA>Kubernetes_STIG</SID_DATA>") && ckl.contains("CNTR-K8-000001"))
        XCTAssertTrue(events.notes.contains { $0.contains("writes no ckl checklist") }, "\(events.notes)")
        // With --no-kubernetes no scan has STIG ids: an error before the scan, as before.
        XCTAssertThrowsError(try ScanSession(options {
            $0.reports = ["ckl:\(dir.path)/node.ckl"]
            $0.kubernetes = false
        }).run())
    }

    /// A Kubernetes benchmark that cannot be loaded, or lacks the profile, stops the scan
    /// before any rule runs, naming the way out.
    func testABrokenKubernetesBenchmarkIsAnErrorBeforeTheScan() throws {
        let db = dir.path + "/db3/vigil.db"
        try write("kubernetes/benchmark.yaml", "id: kubernetes\ntitle: Kubernetes\nversion: '1'\nprofiles:\n  cis-1.11: {title: CIS, rules: [other]}\n")
        let events = EventLog()
        XCTAssertThrowsError(try ScanSession(options { $0.store = db }).run { events.add($0) }) { error in
            XCTAssertTrue("\(error)".contains("unknown profile 'cis-1.12'") && "\(error)".contains("--no-kubernetes"), "\(error)")
        }
        XCTAssertFalse(events.names.contains("progress"), "no rule ran")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
        try write("kubernetes/1.1-files/other.yaml", "id: other\ntitle: [broken\n")
        XCTAssertThrowsError(try ScanSession(options()).run()) { error in
            XCTAssertTrue("\(error)".contains("other.yaml:"), "\(error)")
        }
        XCTAssertEqual(try ScanSession(options { $0.kubernetes = false }).run().exitCode, 0)
    }

    func testReportFilesAreNamedWithTheTagBeforeTheExtension() {
        XCTAssertEqual(ReportRequests.tagged("/r/report.json", "kubernetes"), "/r/report.kubernetes.json")
        XCTAssertEqual(ReportRequests.tagged("report", "kubernetes"), "report.kubernetes")
        XCTAssertEqual(ReportRequests.tagged("/a.d/results", "kubernetes"), "/a.d/results.kubernetes")
        XCTAssertEqual(ReportRequests.tagged("out/a.tar.xml", "kubernetes"), "out/a.tar.kubernetes.xml")
    }

    func testWaiversMatchRulesOfEitherBenchmark() throws {
        try write("waivers.yaml", """
            waivers:
              - rule: k3s_config
                reason: r
                owner: o
                expires: 2999-01-01
              - rule: nothing_like_it
                reason: r
                owner: o
                expires: 2999-01-01
            """)
        let events = EventLog()
        let outcome = try ScanSession(options { $0.waivers = dir.path + "/waivers.yaml" }).run { events.add($0) }
        XCTAssertEqual(outcome.exitCode, 0, "the Kubernetes failure is waived")
        XCTAssertEqual(events.warnings.filter { $0.contains("waiver for rule") }.count, 1, "\(events.warnings)")
        XCTAssertTrue(events.warnings.contains { $0.contains("'nothing_like_it'") })
    }

    func testTheKubernetesFolderIsFoundNextToTheExecutableLikeTheBaseline() throws {
        try write("checkout/rules/kubernetes/benchmark.yaml", "id: kubernetes\n")
        let exe = dir.appendingPathComponent("checkout/.build/debug/vigil").path
        XCTAssertEqual(DefaultKubernetesContent.folder(executable: exe), dir.appendingPathComponent("checkout/rules/kubernetes").path)
        setenv("VIGIL_KUBERNETES_RULES", "/elsewhere", 1)
        defer { unsetenv("VIGIL_KUBERNETES_RULES") }
        XCTAssertEqual(DefaultKubernetesContent.folder(executable: exe), "/elsewhere")
    }
}

extension EventLog {
    var defaultContents: [(content: DefaultContent, profile: String?)] {
        all.compactMap { event in
            if case .defaultContent(let content, let profile) = event { return (content, profile) }
            return nil
        }
    }

    var notes: [String] {
        all.compactMap { event in
            if case .note(let message) = event { return message }
            return nil
        }
    }
}
