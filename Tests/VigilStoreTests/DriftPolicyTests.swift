import Foundation
import VigilCore
import XCTest
@testable import VigilStore

/// Drift tells a change of policy (tailoring, profile, values) from a change of the host,
/// and refuses to compare scans of different hosts, benchmarks or profiles unless forced.
final class DriftPolicyTests: XCTestCase {
    let maxDays = "xccdf_org.ssgproject.content_value_var_accounts_maximum_age_login_defs"
    let t = Date(timeIntervalSince1970: 1_700_000_000)

    func policy(sha: String?, maxDays value: String) -> ScanPolicy {
        ScanPolicy(tailoringPath: sha == nil ? nil : "/etc/vigil/tailoring.xml", tailoringSHA256: sha,
                   values: [maxDays: value, "xccdf_v_value_other": "1"], refinedValues: [maxDays],
                   ruleValues: ["max_days": [maxDays], "other_value": ["xccdf_v_value_other"]])
    }

    func save(_ store: ScanStore, _ results: [(String, String)], policy: ScanPolicy?, at offset: Double,
              content: String = "sha-a", profile: String = "xccdf_p_profile_standard") throws {
        var r = record(results, profile: profile, started: t.addingTimeInterval(offset), content: content)
        r.policy = policy
        try store.save(r)
    }

    func testAValueChangedByTheTailoringIsAPolicyChangeNotAFix() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        try save(store, [("max_days", "fail"), ("other_value", "fail"), ("host_fix", "fail"), ("dropped", "pass"), ("new_sel", "notselected")],
                 policy: policy(sha: "t1", maxDays: "60"), at: 0)
        try save(store, [("max_days", "pass"), ("other_value", "pass"), ("host_fix", "pass"), ("dropped", "notselected"), ("new_sel", "fail")],
                 policy: policy(sha: "t2", maxDays: "365"), at: 10)
        XCTAssertEqual(try store.policy(of: 2), policy(sha: "t2", maxDays: "365"), "the policy is stored as given")
        let d = try store.drift()
        XCTAssertEqual(d.policyChanges.map(\.ruleID), ["max_days", "dropped", "new_sel"])
        XCTAssertEqual(d.policyChanges.first?.valueChanges.map(\.text), ["var_accounts_maximum_age_login_defs: 60 -> 365 (tailoring changed)"])
        XCTAssertEqual(d.policyChanges.map(\.policyReason), ["tailoring changed", "no longer selected (tailoring changed)", "selected now (tailoring changed)"])
        XCTAssertEqual(d.fixed.map(\.ruleID), ["other_value", "host_fix"], "a rule whose values did not change was fixed on the host")
        XCTAssertTrue(d.newlyFailing.isEmpty && d.changed.isEmpty, "nothing of the policy counts as the host's")
        XCTAssertFalse(d.hasRegression)
        XCTAssertTrue(d.policy.recorded && d.policy.tailoringChanged && !d.policy.profileChanged)
        XCTAssertEqual(d.policy.values.map(\.valueID), [maxDays])

        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(d)) as? [String: Any]
        let changes = try XCTUnwrap(json?["policyChanges"] as? [[String: Any]])
        XCTAssertEqual(changes.first?["policyReason"] as? String, "tailoring changed")
        let values = try XCTUnwrap(changes.first?["valueChanges"] as? [[String: Any]])
        XCTAssertEqual(values.first?["from"] as? String, "60")
        XCTAssertEqual(values.first?["to"] as? String, "365")
        XCTAssertEqual((json?["policy"] as? [String: Any])?["tailoringChanged"] as? Bool, true)
    }

    func testAValueChangedWithTheContentNamesTheContent() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        try save(store, [("max_days", "fail")], policy: policy(sha: nil, maxDays: "60"), at: 0)
        try save(store, [("max_days", "pass")], policy: policy(sha: nil, maxDays: "90"), at: 10, content: "sha-b")
        let d = try store.drift()
        XCTAssertEqual(d.policyChanges.first?.valueChanges.map(\.text), ["var_accounts_maximum_age_login_defs: 60 -> 90 (content changed)"])
        XCTAssertFalse(d.policy.tailoringChanged)
        XCTAssertTrue(d.fixed.isEmpty)
    }

    func testWithoutARecordedPolicyResultsCountAsTheHostsAsBefore() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        try save(store, [("max_days", "fail"), ("dropped", "pass")], policy: nil, at: 0)
        try save(store, [("max_days", "pass"), ("dropped", "notselected")], policy: policy(sha: "t2", maxDays: "365"), at: 10)
        let d = try store.drift()
        XCTAssertFalse(d.policy.recorded)
        XCTAssertTrue(d.policyChanges.isEmpty)
        XCTAssertEqual(d.fixed.map(\.ruleID), ["max_days"])
        XCTAssertEqual(d.changed.map(\.ruleID), ["dropped"])
    }

    func testScansOfDifferentHostsBenchmarksOrProfilesAreRefusedUnlessForced() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        try store.save(record([("r", "fail")], host: "web-1", started: t))
        try store.save(record([("r", "pass")], host: "db-2", profile: "xccdf_p_profile_high", started: t.addingTimeInterval(5)))
        var other = record([("r", "pass")], host: "web-1", started: t.addingTimeInterval(10))
        other.benchmarkID = "xccdf_other"
        try store.save(other)
        try store.save(record([("r", "pass")], host: "web-1", started: t.addingTimeInterval(20)))

        XCTAssertThrowsError(try store.drift(from: "1", to: "2")) { error in
            XCTAssertEqual(error as? StoreError, .incomparable(from: 1, to: 2, differences: [
                "hosts: web-1 (id id-web-1) and db-2 (id id-db-2)",
                "profiles: xccdf_p_profile_standard and xccdf_p_profile_high",
            ]))
            XCTAssertTrue("\(error)".contains("--force"), "\(error)")
        }
        XCTAssertThrowsError(try store.drift(from: "1", to: "3")) { error in
            XCTAssertEqual(error as? StoreError, .incomparable(from: 1, to: 3, differences: ["benchmarks: xccdf_b and xccdf_other"]))
        }
        let forced = try store.drift(from: "1", to: "2", force: true)
        XCTAssertEqual(forced.fixed.map(\.ruleID), ["r"])
        // The default pairing takes the scan before of the same host, benchmark and profile.
        let paired = try store.drift()
        XCTAssertEqual(paired.from.id, 1)
        XCTAssertEqual(paired.to.id, 4)
        XCTAssertEqual(try store.drift(from: "1", to: "4").fixed.map(\.ruleID), ["r"])
    }

    func testPruningDeletesThePoliciesOfDeletedScans() throws {
        let fx = try StoreFixture()
        let store = try ScanStore(path: fx.path)
        try save(store, [("max_days", "fail")], policy: policy(sha: "t1", maxDays: "60"), at: 0)
        try save(store, [("max_days", "fail")], policy: policy(sha: "t1", maxDays: "60"), at: 10)
        XCTAssertEqual(try store.prune(keep: 1), 1)
        let rows = try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM scan_policies") }
        XCTAssertEqual(rows, 1)
        XCTAssertNil(try store.policy(of: 1))
        XCTAssertNotNil(try store.policy(of: 2))
    }
}
