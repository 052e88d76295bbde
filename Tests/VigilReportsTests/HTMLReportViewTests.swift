import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// The HTML report as an assessor reads it (issue 13): in headless Chromium, and printed
/// to PDF. The fixture is `groupedReport()`.
final class HTMLReportViewTests: XCTestCase {
    /// Failures first (highest severity first), then errors and unknown results, then
    /// waived failures, then the rest; in the page as written and as the browser shows it.
    func testFlatListPutsFailuresFirstThenErrorsThenTheRest() throws {
        let data = try groupedReport()
        let html = String(decoding: try ReportPipeline.render(.html, data), as: UTF8.self)
        let ids = ruleRows(html).map { $0.id.replacingOccurrences(of: "xccdf_org.example_rule_", with: "") }
        XCTAssertEqual(ids, ["ssh_root", "fw_on", "log_send", "probe_odd", "audit_on",
                             "unused_b", "ssh_proto", "unused_a", "wifi_off", "top_level"])
        // The same rule as a property of any input: ranks never go down, nor severities up within a rank.
        let byID = Dictionary(uniqueKeysWithValues: data.rules.map { ($0.record.ruleID, $0) })
        func rank(_ r: ReportRule) -> Int { r.waived ? 2 : r.record.result == .fail ? 0 : r.record.result.isFailing ? 1 : 3 }
        let keys = ruleRows(html).map { row -> (Int, Int) in
            let r = byID[row.id]!
            return (rank(r), -Severity(r.record.severity).rawValue)
        }
        for (a, b) in zip(keys, keys.dropFirst()) { XCTAssertTrue(a <= b, "\(a) before \(b)") }

        let browser = try PageInBrowser(data)
        defer { browser.remove() }
        XCTAssertEqual(ruleRows(try browser.dom()).map(\.id), ruleRows(html).map(\.id), "the browser keeps the order")
    }

    /// Rules the profile does not select are hidden, and left out of the counts, until the
    /// toggle (or `#notselected=show`) shows them.
    func testNotSelectedRulesAreHiddenUnlessAsked() throws {
        let data = try groupedReport()
        let html = String(decoding: try ReportPipeline.render(.html, data), as: UTF8.self)
        let unselected = Set(data.rules.filter { $0.record.result == .notselected }.map(\.record.ruleID))
        XCTAssertEqual(unselected.count, 2)
        XCTAssertEqual(Set(ruleRows(html).filter { !$0.shown }.map(\.id)), unselected, "hidden even without script")
        XCTAssertTrue(html.contains("id=\"show-notselected\""), "a toggle shows them")
        XCTAssertFalse(html.contains("data-name=\"notselected\""), "the result counts leave them out")

        let browser = try PageInBrowser(data)
        defer { browser.remove() }
        let dom = try browser.dom()
        XCTAssertEqual(Set(ruleRows(dom).filter { !$0.shown }.map(\.id)), unselected)
        XCTAssertTrue(dom.contains("<b id=\"shown\">8</b> of <span id=\"total\">8</span>"))
        let all = try browser.dom("#notselected=show")
        XCTAssertTrue(ruleRows(all).allSatisfy(\.shown))
        XCTAssertTrue(all.contains("<b id=\"shown\">10</b> of <span id=\"total\">10</span>"))
        XCTAssertEqual(Chromium.visibleRows(try browser.dom("#notselected=show&q=unused")), 2)
    }

    /// The tree view nests the benchmark's Groups as the content does, puts each rule in
    /// its own Group, and shows no Group with no rule to show (here "Unused", whose rules
    /// the profile does not select, until they are asked for).
    func testTreeViewFollowsTheBenchmarkGroupsWithNoEmptyHeading() throws {
        let browser = try PageInBrowser(try groupedReport())
        defer { browser.remove() }
        let dom = try browser.dom("#view=tree")
        XCTAssertTrue(dom.contains("<table id=\"rules\" class=\"rules\" hidden"), "the flat list is hidden")
        let sections = try treeSections(dom)
        XCTAssertEqual(sections.map(\.title), ["System", "SSH", "Logging", "Unused", "Network", "Wireless"])
        let shown = sections.filter(\.shown)
        XCTAssertEqual(shown.map(\.title), ["System", "SSH", "Logging", "Network", "Wireless"])
        let rules = Dictionary(uniqueKeysWithValues: sections.map { ($0.title, $0.rules.map { $0.replacingOccurrences(of: "xccdf_org.example_rule_", with: "") }) })
        XCTAssertEqual(rules["SSH"], ["ssh_proto", "ssh_root"], "benchmark order inside a Group")
        XCTAssertEqual(rules["Logging"], ["log_send", "audit_on"])
        XCTAssertEqual(rules["Network"], ["fw_on", "probe_odd"])
        XCTAssertEqual(rules["Wireless"], ["wifi_off"])
        XCTAssertEqual(rules["System"], [], "System holds Groups only")
        XCTAssertEqual(ruleRows(dom).filter(\.shown).count, 8, "every shown rule is somewhere in the tree")

        let withUnselected = try treeSections(try browser.dom("#view=tree&notselected=show"))
        XCTAssertEqual(withUnselected.first { $0.title == "Unused" }?.shown, true)
        // A filter empties Groups: their headings go too.
        let failing = try treeSections(try browser.dom("#view=tree&result=fail"))
        XCTAssertEqual(failing.filter(\.shown).map(\.title), ["System", "SSH", "Network"])
        for section in failing where section.shown && section.title != "System" { XCTAssertFalse(section.rules.isEmpty, section.title) }
    }

    /// "Expand all" (`#expand=all`) opens the details of every shown rule; printed to PDF,
    /// the page holds every failing rule (errors, unknown and waived failures included)
    /// with its evidence and fix, and no other rule's details.
    func testExpandAllAndPrintingShowEveryFailingRuleWithEvidenceAndFix() throws {
        let data = try groupedReport()
        let browser = try PageInBrowser(data)
        defer { browser.remove() }
        let html = String(decoding: try Data(contentsOf: browser.page), as: UTF8.self)
        XCTAssertTrue(html.contains("<button id=\"expand\" type=\"button\">Expand all</button>"))
        XCTAssertTrue(html.contains("@media print"))
        let expanded = try browser.dom("#expand=all")
        let rows = expanded.components(separatedBy: "<tr data-result=").dropFirst()
        XCTAssertEqual(rows.filter { $0.contains("<details open=") }.count, 8, "every shown rule is open")
        XCTAssertTrue(rows.filter { $0.prefix { $0 != ">" }.contains(" hidden") }.allSatisfy { !$0.contains("<details open=") })
        XCTAssertTrue(expanded.contains("<button id=\"expand\" type=\"button\">Collapse all</button>"))
        XCTAssertFalse(try browser.dom().contains("<details open="), "closed by default")

        let text = try browser.chromium.printedText(browser.page).replacingOccurrences(of: "\u{0C}", with: "")
        let failing = data.rules.filter { $0.record.result.isFailing }
        XCTAssertEqual(failing.count, 5)
        for r in failing {
            XCTAssertTrue(text.contains(r.record.evidence!), "the PDF has \(r.record.ruleID)'s evidence:\n\(text)")
            XCTAssertTrue(text.contains(r.record.fixText), "the PDF has \(r.record.ruleID)'s fix")
        }
        for r in data.rules where !r.record.result.isFailing {
            XCTAssertFalse(text.contains(r.record.evidence!), "\(r.record.ruleID) is not expanded in print")
        }
        XCTAssertFalse(text.contains("Title of unused_a"), "rules the profile does not select are not printed")
        XCTAssertTrue(text.contains("Title of wifi_off"), "the other shown rules are listed")
    }

    /// The result counts and the failures-by-severity chart agree: a waived failure is
    /// counted as waived, not as fail, and the bars add up to the legend's fail.
    func testSeverityChartAgreesWithResultCounts() throws {
        let data = try groupedReport()
        let html = String(decoding: try ReportPipeline.render(.html, data), as: UTF8.self)
        func legend(_ name: String) -> Int? {
            guard let r = html.range(of: "<span data-name=\"\(name)\">") else { return nil }
            return Int(html[r.upperBound...].components(separatedBy: "<b>")[1].prefix { $0 != "<" })
        }
        XCTAssertEqual(legend("fail"), 2, "fail counts unwaived failures only")
        XCTAssertEqual(legend("waived"), 1)
        XCTAssertEqual(legend("error"), 1)
        XCTAssertEqual(legend("unknown"), 1)
        XCTAssertEqual(legend("pass"), 2)
        XCTAssertNil(legend("notselected"))
        let chart = try XCTUnwrap(html.components(separatedBy: "aria-label=\"failures by severity\"").dropFirst().first?
            .components(separatedBy: "</svg>").first)
        let bars = chart.components(separatedBy: "<text class=\"n\"").dropFirst().map { Int($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })! }
        XCTAssertEqual(bars, [1, 0, 1, 0, 0], "high, medium, low, info, unknown")
        XCTAssertEqual(bars.reduce(0, +), legend("fail"))
        let donutTotal = html.components(separatedBy: "font-size=\"18\">").dropFirst().first?.prefix { $0 != "<" }
        XCTAssertEqual(donutTotal.flatMap { Int($0) }, 8, "the donut counts the shown rules")

        var nothingFails = data
        nothingFails.rules.removeAll { $0.record.result == .fail && !$0.waived }
        let clean = String(decoding: try ReportPipeline.render(.html, nothingFails), as: UTF8.self)
        XCTAssertTrue(clean.contains("<p class=\"none\">No failures.</p>"))
        XCTAssertFalse(clean.contains("<span data-name=\"fail\">"))
    }
}
