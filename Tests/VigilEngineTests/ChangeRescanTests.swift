import Foundation
import VigilEngine
import VigilStore
import XCTest

/// A partial rescan (`PartialRescan`) evaluates the rules a change touched, carries the
/// others over from the previous scan, and gives the record a full scan of the same state
/// gives; it is stored as a scan like any other.
final class ChangeRescanTests: XCTestCase {
    func testAPartialRescanAfterAChangeIsTheFullScanOfTheSameState() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        let options = ChangeFixture.options(rules, root: root, dir: dir)
        let first = try ScanSession(options).run()
        XCTAssertEqual(first.record.counts[.fail], nil, "everything passes at first: \(first.record.counts)")

        // A root login allowed, a trust file created, a host key left readable.
        try ChangeFixture.put(root + "/etc/ssh/sshd_config", "Port 22\nPermitRootLogin yes\nMaxAuthTries 3\nCiphers aes256-ctr\n")
        try ChangeFixture.put(root + "/etc/hosts.equiv", "+\n")
        try ChangeFixture.put(root + "/etc/ssh/ssh_host_rsa_key", "key\n", mode: 0o644)
        let changed: Set<String> = ["/etc/ssh/sshd_config", "/etc/hosts.equiv", "/etc/ssh/ssh_host_rsa_key"]
        let touched = try XCTUnwrap(first.footprint?.rules(touchedBy: changed))
        XCTAssertEqual(touched, Set(["sshd_root", "sshd_max_tries", "sshd_ciphers", "host_keys", "no_hosts_equiv"].map { ChangeFixture.ns + $0 }))

        var partialOptions = options
        partialOptions.rescan = PartialRescan(rules: touched, after: first)
        let partial = try ScanSession(partialOptions).run()
        let full = try ScanSession(options).run()
        ChangeFixture.assertSameVerdicts(partial.record, full.record)
        func checks(_ o: ScanOutcome) -> [String] { o.result.ruleResults.map { "\($0.check?.system ?? "-") \($0.check?.href ?? "-") \($0.check?.name ?? "-")" } }
        XCTAssertEqual(checks(partial), checks(full), "carried results name the check a full scan names")
        XCTAssertEqual(partial.record.counts[.fail], 3, "\(partial.record.counts)")
        XCTAssertNotEqual(partial.record.score, first.record.score)
        XCTAssertGreaterThanOrEqual(partial.record.startedAt, full.record.startedAt.addingTimeInterval(-60))
        XCTAssertGreaterThan(partial.record.startedAt, first.record.finishedAt, "the record's times are the rescan's")
        XCTAssertEqual(partial.footprint?.rules.keys.sorted(), first.footprint?.rules.keys.sorted(),
                       "the footprint still covers every rule")

        // Stored as a scan like any other: drift from the first scan shows the regressions.
        let store = try ScanStore(path: dir + "/vigil.db")
        XCTAssertEqual(partial.storedID, 2)
        let drift = try store.drift(to: "2")
        XCTAssertEqual(Set(drift.newlyFailing.map(\.ruleID)), Set(["sshd_root", "host_keys", "no_hosts_equiv"].map { ChangeFixture.ns + $0 }))
    }

    /// Every rule carried over (complex checks, multi-check instances, errors, rules not
    /// applicable): the record and the checks named are the full scan's.
    func testEverythingCarriedIsTheFullScanOfAnUnchangedState() throws {
        let (path, root) = try TestDataStream.write()
        var options = ChangeFixture.options(path, root: root, dir: (path as NSString).deletingLastPathComponent)
        options.profile = "all"
        let first = try ScanSession(options).run()
        XCTAssertTrue(first.record.rules.contains { !$0.instance.isEmpty }, "multi-check instances")
        var partialOptions = options
        partialOptions.rescan = PartialRescan(rules: [], after: first)
        let partial = try ScanSession(partialOptions).run()
        let full = try ScanSession(options).run()
        ChangeFixture.assertSameVerdicts(partial.record, full.record)
        func checks(_ o: ScanOutcome) -> [String] { o.result.ruleResults.map { "\($0.check?.href ?? "-") \($0.check?.name ?? "-")" } }
        XCTAssertEqual(checks(partial), checks(full))
        XCTAssertEqual(partial.result.ruleResults.map(\.message), full.result.ruleResults.map(\.message))
    }

    /// The rules left out are carried over, not evaluated: a change nobody reported stays
    /// unseen by a partial rescan, and a full scan sees it.
    func testRulesLeftOutKeepThePreviousVerdict() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        let options = ChangeFixture.options(rules, root: root, dir: dir)
        let first = try ScanSession(options).run()
        try ChangeFixture.put(root + "/etc/issue", "Welcome\n")
        var partialOptions = options
        partialOptions.rescan = PartialRescan(rules: [ChangeFixture.ns + "login_defs"], after: first)
        let partial = try ScanSession(partialOptions).run()
        func result(_ outcome: ScanOutcome) -> XCCDFResult? {
            outcome.record.rules.first { $0.ruleID == ChangeFixture.ns + "issue_text" }?.result
        }
        XCTAssertEqual(result(partial), .pass, "carried over")
        XCTAssertEqual(result(try ScanSession(options).run()), .fail)
    }

    /// A previous scan of other content (another series) is not merged: every rule is evaluated.
    func testAPreviousScanOfAnotherSeriesIsNotCarried() throws {
        let (dir, rules, root) = try ChangeFixture.write()
        let (path, dsRoot) = try TestDataStream.write()
        var other = ChangeFixture.options(path, root: dsRoot, dir: dir)
        other.store = nil
        let unrelated = try ScanSession(other).run()
        try ChangeFixture.put(root + "/etc/issue", "Welcome\n")
        var options = ChangeFixture.options(rules, root: root, dir: dir)
        options.rescan = PartialRescan(rules: [], after: unrelated)
        let outcome = try ScanSession(options).run()
        XCTAssertEqual(outcome.record.rules.first { $0.ruleID == ChangeFixture.ns + "issue_text" }?.result, .fail)
    }
}
