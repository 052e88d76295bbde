import Foundation
import XCTest

/// Across every fixture root (and the live run-time scans), every rule of `rules/fips` is seen
/// passing and failing, but kernel_fips_mode (no FIPS kernel on a test machine, see
/// `FIPSRuntimeRulesTests`). oscap evaluates the data stream `vigil build` writes on every
/// root (`OSCAP_PROBE_ROOT`) without an `error` on any rule, and agrees with Vigil on the
/// SCAP-pure rules.
final class FIPSCoverageDifferentialTests: XCTestCase {
    /// Rules never seen passing in the tests, with the reason.
    static let neverPassing = ["kernel_fips_mode": "reads the running kernel's crypto.fips_enabled; no test machine runs a FIPS kernel"]

    func testEveryRuleSeenPassingAndFailingAndOscapAgrees() throws {
        let work = try Shell.tempDir()
        defer { try? FileManager.default.removeItem(at: work) }
        let t = try KubernetesRulesDifferentialTests.toolsWithTimeout(in: work)
        let kubelets = try FIPSKubelets.build(in: work)
        let ds = work.appendingPathComponent("fips-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", FIPSScan.folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        var seen: [String: Set<String>] = [:]
        func record(_ verdicts: [String: FIPSVerdict]) {
            for (rule, v) in verdicts { seen[rule, default: []].insert(v.result) }
        }
        for kind in FIPSRoot.allCases {
            let root = try kind.build(under: work, kubelets: kubelets)
            record(try FIPSScan.run(root: root, work: work, name: kind.rawValue))
            if kind == .fips {
                record(try FIPSScan.run(root: root, work: work, name: "fips-tailored",
                                        options: try FIPSRootVerdictTests.allowlistTailoring(root: root, work: work)))
            }
            try Self.oscapHasNoError(t, ds: ds, root: root, work: work)
            let run = try DifferentialRun.run(t, content: ds, options: FIPSExpectedVerdicts.scapPure.flatMap { ["--rule", FIPSScan.rulePrefix + $0] },
                                              root: root.path, work: work, name: "pure-\(kind.rawValue)")
            XCTAssertEqual(run.status, 0, "\(kind.rawValue): oscap and vigil differ on the SCAP-pure rules:\n\(run.output)")
        }
        let live = try FIPSRuntimeRulesTests.scans(work: work)
        [live.fips, live.host, live.legacy].forEach(record)
        XCTAssertEqual(Set(seen.keys), try FIPSScan.allRules())
        for (rule, results) in seen.sorted(by: { $0.key < $1.key }) where Self.neverPassing[rule] == nil {
            XCTAssertTrue(results.isSuperset(of: ["pass", "fail"]), "\(rule) never seen both passing and failing: \(results.sorted())")
            XCTAssertFalse(results.contains("error"), "\(rule) gave error on a fixture")
        }
        XCTAssertEqual(seen["kernel_fips_mode"]?.contains("pass"), false, "kernel_fips_mode passed: update neverPassing")
    }

    /// oscap on the whole data stream (native rules: their fallback or notchecked) gives no
    /// `error` on any rule of the root.
    static func oscapHasNoError(_ t: BaselineDifferentialTests.Tools, ds: String, root: URL, work: URL) throws {
        let results = work.appendingPathComponent("oscap-all-\(root.lastPathComponent).xml").path
        _ = try Shell.run(t.oscap, ["xccdf", "eval", "--results", results, ds],
                          environment: ["OSCAP_PROBE_ROOT": root.path, "APT_CONFIG": try OscapAptWorkaround.config(in: work)])
        let got = try DifferentialRun.results(in: results)
        XCTAssertEqual(got.count, try FIPSScan.allRules().count, "\(root.lastPathComponent): oscap results")
        for (rule, result) in got.sorted(by: { $0.key < $1.key }) {
            XCTAssertNotEqual(result, "error", "\(root.lastPathComponent): oscap gave error on \(rule)")
        }
    }
}
