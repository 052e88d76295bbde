import Foundation
import XCTest

/// The OpenShift content (ssg-ocp4-ds.xml node and platform profiles, ssg-rhcos4-ds.xml) on a
/// generated OpenShift 4 control-plane node with an API-resource dump (`OpenShiftFixture`):
/// oscap (`OSCAP_PROBE_ROOT`) and Vigil agree on every rule of every profile, on the hardened
/// tree and on one with every deviation applied; each deviation's rules pass on the first and
/// fail on the second, so the verdicts are seen both ways.
///
/// oscap on this Debian build answers rpm objects "not applicable", so package rules and
/// package platforms of rhcos4 are `notapplicable` in both tools.
final class OpenShiftDifferentialTests: XCTestCase {
    static let nodeProfiles = ["cis-node", "moderate-node", "high-node", "nerc-cip-node", "pci-dss-node"]
    static let platformProfiles = ["cis", "moderate", "high", "nerc-cip", "pci-dss", "e8"]
    static let rhcosProfiles = ["moderate", "high", "nerc-cip", "e8", "anssi_bp28_minimal", "anssi_bp28_intermediary",
                                "anssi_bp28_enhanced", "anssi_bp28_high"]

    /// The hardened tree and the tree with every deviation, written once for the whole class.
    struct Trees { let hardened: String; let deviating: String; let work: URL }
    nonisolated(unsafe) static var cached: Trees?

    static func trees() throws -> Trees {
        if let cached { return cached }
        let jq = try OpenShiftFixture.jq()
        let benchmark = try String(contentsOfFile: try content(OpenShiftFixture.ocp4), encoding: .utf8)
        let work = try Shell.tempDir()
        let hardened = work.appendingPathComponent("hardened"), deviating = work.appendingPathComponent("deviating")
        try OpenShiftFixture.write(under: hardened, benchmark: benchmark, jq: jq)
        try OpenShiftFixture.write(deviations: OpenShiftFixture.deviations.map(\.name), under: deviating, benchmark: benchmark, jq: jq)
        let t = Trees(hardened: hardened.path, deviating: deviating.path, work: work)
        cached = t
        return t
    }

    static func content(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(path) is not installed") }
            throw XCTSkip("\(path) is not installed (apt-get install ssg-nondebian)")
        }
        return path
    }

    /// Runs both tools with each profile on both trees; returns the verdicts by profile and
    /// tree ("hardened"/"deviating"), by short rule id.
    func agree(_ contentPath: String, _ profiles: [String], deviating: Bool = true,
               file: StaticString = #filePath, line: UInt = #line) throws -> [String: [String: String]] {
        let t = try BaselineDifferentialTests.tools()
        let content = try Self.content(contentPath)
        let trees = try Self.trees()
        var out: [String: [String: String]] = [:]
        var summary: [String] = []
        for profile in profiles {
            for (tree, root) in [("hardened", trees.hardened)] + (deviating ? [("deviating", trees.deviating)] : []) {
                let name = "\((contentPath as NSString).lastPathComponent)-\(profile)-\(tree)"
                // Full ids: oscap refuses a suffix that two profiles share (high, anssi_bp28_high).
                let id = "xccdf_org.ssgproject.content_profile_" + profile
                let run = try DifferentialRun.run(t, content: content, options: ["--profile", id], root: root,
                                                  work: trees.work, name: name)
                XCTAssertEqual(run.status, 0, "\(name): oscap and vigil differ:\n\(run.output)", file: file, line: line)
                var verdicts: [String: String] = [:]
                for (id, r) in try DifferentialRun.results(in: run.candidate) {
                    verdicts[id.replacingOccurrences(of: "xccdf_org.ssgproject.content_rule_", with: "")] = r
                }
                out["\(profile)/\(tree)"] = verdicts
                let counts = Dictionary(grouping: verdicts.values, by: { $0 }).mapValues(\.count).sorted { $0.key < $1.key }
                summary.append("\(name): \(verdicts.count) rules, " + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        print(summary.joined(separator: "\n"))
        return out
    }

    /// Each deviation's rules, where a profile selects them: pass on the hardened tree, fail
    /// on the deviating one. Returns the rules seen.
    func checkDeviations(_ verdicts: [String: [String: String]], _ profiles: [String]) -> Set<String> {
        var seen: Set<String> = []
        for profile in profiles {
            guard let hardened = verdicts["\(profile)/hardened"], let deviating = verdicts["\(profile)/deviating"] else { continue }
            for d in OpenShiftFixture.deviations {
                for rule in d.fails where hardened[rule].map({ $0 != "notselected" }) == true {
                    seen.insert(rule)
                    XCTAssertEqual(hardened[rule], "pass", "\(profile): \(rule) on the hardened tree")
                    XCTAssertEqual(deviating[rule], "fail", "\(profile): \(rule) with deviation \(d.name)")
                }
            }
        }
        return seen
    }

    func testOCP4NodeProfilesAgreeWithOscap() throws {
        let verdicts = try agree(OpenShiftFixture.ocp4, Self.nodeProfiles)
        let seen = checkDeviations(verdicts, Self.nodeProfiles)
        XCTAssertTrue(seen.contains("kubelet_enable_protect_kernel_defaults"), "node deviations seen: \(seen.sorted())")
        XCTAssertTrue(seen.contains("file_permissions_kube_apiserver"), "node deviations seen: \(seen.sorted())")
    }

    func testOCP4PlatformProfilesAgreeWithOscap() throws {
        let verdicts = try agree(OpenShiftFixture.ocp4, Self.platformProfiles)
        let seen = checkDeviations(verdicts, Self.platformProfiles)
        XCTAssertTrue(seen.contains("kubelet_anonymous_auth"), "platform deviations seen: \(seen.sorted())")
        XCTAssertTrue(seen.contains("api_server_admission_control_plugin_noderestriction"), "platform deviations seen: \(seen.sorted())")
    }

    func testRHCOS4ProfilesAgreeWithOscap() throws {
        let verdicts = try agree(OpenShiftFixture.rhcos4, Self.rhcosProfiles, deviating: false)
        XCTAssertTrue(verdicts.values.contains { $0.values.contains("pass") } && verdicts.values.contains { $0.values.contains("fail") },
                      "rhcos4 rules are seen passing and failing")
    }

    /// rhcos4 profiles refine coreos_vsyscall_kernel_argument to role="unscored": oscap then
    /// reports a checked rule `informational` whatever its check gave (pass, fail, a check's
    /// notapplicable, unknown), but a rule not applicable by its platform stays
    /// `notapplicable` and one without a check `notchecked`. A tailoring makes rules of each
    /// outcome unscored; both tools give the same result for each.
    func testUnscoredRulesAreInformationalAsInOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let content = try Self.content(OpenShiftFixture.rhcos4)
        let trees = try Self.trees()
        let prefix = "xccdf_org.ssgproject.content_rule_"
        let rules = ["enable_fips_mode", "configure_ssh_crypto_policy", "partition_for_var_log", "package_sudo_installed",
                     "service_debug-shell_disabled", "disable_ctrlaltdel_burstaction", "coreos_vsyscall_kernel_argument"]
        let tailoring = trees.work.appendingPathComponent("unscored-tailoring.xml")
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_io.vigil_tailoring_unscored">
              <xccdf:version time="2026-11-30T00:00:00">1</xccdf:version>
              <xccdf:Profile id="xccdf_io.vigil_profile_unscored" extends="xccdf_org.ssgproject.content_profile_moderate">
                <xccdf:title>unscored</xccdf:title>
            \(rules.map { "    <xccdf:refine-rule idref=\"\(prefix)\($0)\" role=\"unscored\"/>" }.joined(separator: "\n"))
              </xccdf:Profile>
            </xccdf:Tailoring>
            """.write(to: tailoring, atomically: true, encoding: .utf8)
        let selection = ["--profile", "xccdf_io.vigil_profile_unscored"] + rules.flatMap { ["--rule", prefix + $0] }
        let ref = trees.work.appendingPathComponent("oscap-unscored.xml").path, cand = trees.work.appendingPathComponent("vigil-unscored.xml").path
        _ = try Shell.run(t.oscap, ["xccdf", "eval", "--tailoring-file", tailoring.path] + selection + ["--results", ref, content],
                          environment: ["OSCAP_PROBE_ROOT": trees.hardened, "APT_CONFIG": try OscapAptWorkaround.config(in: trees.work)])
        let v = try Shell.run(Shell.vigilBinary, ["scan", content, "--tailoring", tailoring.path] + selection
                                + ["--root", trees.hardened, "--results", cand, "--quiet", "--no-store", "--allow-empty"])
        XCTAssertTrue([0, 2].contains(v.status), v.stderr)
        let oscap = try DifferentialRun.results(in: ref), vigil = try DifferentialRun.results(in: cand)
        for rule in rules {
            XCTAssertEqual(vigil[prefix + rule], oscap[prefix + rule], rule)
        }
        XCTAssertEqual(Set(rules.compactMap { oscap[prefix + $0] }), ["informational", "notapplicable", "notchecked"])
    }
}

