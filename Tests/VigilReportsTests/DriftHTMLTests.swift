import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// The drift page (issue 13): each changed rule by its title, no section heading over
/// nothing, and a trend chart with axes, ticks and labels; checked in headless Chromium.
final class DriftHTMLTests: XCTestCase {
    /// Twelve stored scans of one series, scan `n` with score `10 * n % 100` and `n` failing
    /// rules, and the drift from the eleventh to the twelfth: one rule newly failing, one fixed.
    func series() -> (DriftReport, [StoredScan]) {
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let scans = (1...12).map { n -> StoredScan in
            let rules = (0..<n).map { RuleRecord(ruleID: "r\($0)", title: "T\($0)", severity: "low", result: .fail) }
            var s = StoredScan(unstored: ScanRecord(hostName: "h", hostID: "hid", target: "/", contentPath: "/c.xml", contentSHA256: "x",
                                                    benchmarkID: "xccdf_b", benchmarkVersion: "1", profileID: "p", vigilVersion: "0",
                                                    startedAt: start.addingTimeInterval(Double(n) * 86_400), finishedAt: start.addingTimeInterval(Double(n) * 86_400 + 1),
                                                    score: Double(10 * n % 100), scoreMax: 100, scoreSystem: "urn:xccdf:scoring:default", rules: rules))
            s.id = Int64(100 + n)
            return s
        }
        let before = [RuleRecord(ruleID: "xccdf_org.ex_rule_ssh_root", title: "Disable SSH root login", severity: "high", result: .pass),
                      RuleRecord(ruleID: "xccdf_org.ex_rule_banner", title: "Set the login banner", severity: "low", result: .fail)]
        var after = before
        after[0].result = .fail
        after[0].evidence = "PermitRootLogin yes"
        after[1].result = .pass
        return (DriftReport(from: scans[10], fromResults: before, to: scans[11], toResults: after), scans.shuffled())
    }

    func testChangedRulesShowTheirTitlesAndNoEmptySection() throws {
        let (drift, trend) = series()
        let page = try DriftHTML.html(drift, trend: trend)
        XCTAssertTrue(page.contains("<span class=\"title\">Disable SSH root login</span><span class=\"id\">xccdf_org.ex_rule_ssh_root</span>"), page)
        XCTAssertTrue(page.contains("<span class=\"title\">Set the login banner</span>"))
        let headings = page.components(separatedBy: "<h2 class=\"section\"").dropFirst().map { $0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" } }
        XCTAssertEqual(headings, ["Newly failing (1)", "Fixed (1)"], "sections without rules are left out")
        XCTAssertFalse(page.contains("None."))

        var nothing = drift
        (nothing.newlyFailing, nothing.fixed) = ([], [])
        let quiet = try DriftHTML.html(nothing, trend: trend)
        XCTAssertFalse(quiet.contains("<h2 class=\"section\""))
        XCTAssertTrue(quiet.contains("No rule changed between these scans."))

        // A result the policy changed has its own section, with the reason under the rule.
        var policy = nothing
        var changed = drift.fixed[0]
        changed.policyReason = "tailoring changed"
        policy.policyChanges = [changed]
        let page2 = try DriftHTML.html(policy, trend: trend)
        let headings2 = page2.components(separatedBy: "<h2 class=\"section\"").dropFirst().map { $0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" } }
        XCTAssertEqual(headings2, ["Policy changes (1)"])
        XCTAssertTrue(page2.contains("tailoring changed"), page2)
    }

    func testTrendChartHasAxesTicksAndLabels() throws {
        let (drift, trend) = series()
        let svg = DriftTrendChart.svg(trend.sorted { $0.startedAt < $1.startedAt })
        XCTAssertEqual(svg.components(separatedBy: "<rect class=\"bar\"").count - 1, 12, "one bar per scan")
        XCTAssertEqual(svg.components(separatedBy: "<polyline class=\"score\" points=\"").dropFirst().first?
            .prefix { $0 != "\"" }.split(separator: " ").count, 12, "one score point per scan")
        XCTAssertEqual(svg.components(separatedBy: "<g class=\"axes\"").dropFirst().first?.components(separatedBy: "</g>")[0]
            .components(separatedBy: "<line").count.advanced(by: -1), 3, "left, right and bottom axes")
        func texts(_ cls: String) -> [String] {
            svg.components(separatedBy: "<text class=\"\(cls)\"").dropFirst().map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
        }
        XCTAssertEqual(texts("y-score"), ["0", "25", "50", "75", "100"], "score ticks up to the scoring maximum")
        XCTAssertEqual(texts("y-fail"), ["0", "6", "12"], "failing-rule ticks up to the most failures")
        let labels = texts("x")
        XCTAssertLessThanOrEqual(labels.count, DriftTrendChart.maxLabels)
        XCTAssertEqual(labels.first, "101")
        XCTAssertEqual(labels.last, "112", "the newest scan is always labelled")
        for title in [">score</text>", ">failing rules</text>", ">scan number, oldest to newest</text>", ">2026-05-29</text>", ">2026-06-09</text>"] {
            XCTAssertTrue(svg.contains(title), title)
        }

        // In the browser: the page renders the chart, titles and all, and loads nothing.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chromium = try Chromium.find(profileIn: dir)
        let page = dir.appendingPathComponent("drift.html")
        try Data(try DriftHTML.html(drift, trend: trend).utf8).write(to: page)
        let (dom, log) = try chromium.dom(page)
        if let shot = ProcessInfo.processInfo.environment["VIGIL_SCREENSHOT"] { try chromium.screenshot(page, to: shot) }
        XCTAssertFalse(log.contains("Refused to"), log)
        XCTAssertTrue(dom.contains("aria-label=\"score and failing rules per scan\""))
        XCTAssertTrue(dom.contains("Disable SSH root login"))
        XCTAssertTrue(dom.contains("Trend: score and failing rules, last 12 scans"))
    }

    /// Two scans of one image name: each card names the image that scan saw, by tag and
    /// short manifest digest; a host's cards name no image.
    func testCardsOfAnImageSeriesNameEachImage() throws {
        var (drift, trend) = series()
        XCTAssertFalse(try DriftHTML.html(drift, trend: trend).contains("class=\"image\""))
        func image(_ tag: String, _ digit: Character) -> ImageIdentity {
            ImageIdentity(reference: "docker-archive:app.tar", name: "app", tag: tag,
                          manifestDigest: "sha256:" + String(repeating: digit, count: 64), os: "linux", architecture: "amd64")
        }
        drift.from.system = SystemIdentity(hostName: "app", image: image("1.3", "a"))
        drift.to.system = SystemIdentity(hostName: "app", image: image("1.4", "b"))
        let page = try DriftHTML.html(drift, trend: trend)
        XCTAssertTrue(page.contains("<h2>From: scan 111</h2><div class=\"image\">Image: app:1.3  manifest sha256:aaaaaaaaaaaa  linux/amd64</div>"), page)
        XCTAssertTrue(page.contains("<h2>To: scan 112</h2><div class=\"image\">Image: app:1.4  manifest sha256:bbbbbbbbbbbb  linux/amd64</div>"), page)
    }
}
