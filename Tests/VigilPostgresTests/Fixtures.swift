import Foundation
import GRDB
import VigilCore
@testable import VigilStore

/// A scan of `rules` (rule id → result) with everything a stored scan keeps: references,
/// texts, groups, evidence, check systems, a policy and the system's identity.
func fleetRecord(_ rules: [(String, String)], host: String = "node-1", profile: String = "xccdf_b_profile_standard",
                 started: Date = Date(timeIntervalSince1970: 1_780_000_000), content: String = "sha-a",
                 benchmark: String = "xccdf_org.example_benchmark_b", uuid: String = UUID().uuidString.lowercased()) -> ScanRecord {
    let severities = ["high", "medium", "low"]
    var record = ScanRecord(uuid: uuid, hostName: host, hostID: "id-" + host, target: "/", contentPath: "/c.xml",
                            contentSHA256: content, benchmarkID: benchmark, benchmarkVersion: "1.0", profileID: profile,
                            vigilVersion: "0.1.0", startedAt: started, finishedAt: started.addingTimeInterval(2.125),
                            score: 61.5, scoreMax: 100, scoreSystem: "urn:xccdf:scoring:default",
                            rules: rules.enumerated().map { i, rule in
        RuleRecord(ruleID: rule.0, instance: i % 7 == 3 ? "oval:x:def:\(i)" : "", title: "Title of \(rule.0) ‘quoted’",
                   severity: severities[i % 3], result: XCCDFResult(rawValue: rule.1)!,
                   references: [RuleReference(kind: "nist-800-53", system: "NIST SP 800-53", id: "AC-\(i % 9)")],
                   evidence: rule.1 == "fail" ? "/etc/\(rule.0) (mode=0777)\ntwo lines" : nil,
                   description: "Describe \(rule.0)", rationale: "Because", fixText: "chmod 0600 /etc/\(rule.0)",
                   groups: ["Services", "SSH"], checkSystem: i % 5 == 0 ? .native : .oval)
    })
    record.policy = ScanPolicy(values: ["xccdf_b_value_len": "14"], refinedValues: ["xccdf_b_value_len"],
                               ruleValues: [rules.first?.0 ?? "r": ["xccdf_b_value_len"]])
    record.system = SystemIdentity(hostName: host, osName: "Debian GNU/Linux", osVersion: "12", user: "root")
    return record
}

/// `n` rules named r0..., whose results cycle through pass, fail, notapplicable, pass.
func rules(_ n: Int, failing: Set<Int> = []) -> [(String, String)] {
    (0..<n).map { i in ("xccdf_org.example_rule_r\(i)", failing.contains(i) ? "fail" : (i % 4 == 2 ? "notapplicable" : "pass")) }
}

/// A fresh SQLite store in a temporary directory.
func temporarySQLite() throws -> (store: ScanStore, dir: String) {
    let dir = NSTemporaryDirectory() + "vigil-pgt-" + UUID().uuidString
    return (try ScanStore(path: dir + "/vigil.db"), dir)
}
