import Foundation
import VigilStore
import XCTest
@testable import VigilReports

final class HTMLReportTests: XCTestCase {
    func testPageIsSelfContainedWithOneRowPerRuleAndEscapedText() throws {
        let html = String(decoding: try ReportPipeline.render(.html, sampleReport()), as: UTF8.self)
        XCTAssertEqual(html.components(separatedBy: "<tr data-result=").count - 1, 5)
        let details = try HTMLReport.unpackDetails(html)
        XCTAssertEqual(details.count, 5, "one packed fragment per row")
        // Rows and details in the flat list's order: the high failure, the low one, the error, ...
        XCTAssertTrue(details[0].contains("Root must not log in &lt;directly&gt;."), "rule text is escaped")
        XCTAssertFalse(details.joined().contains("<directly>"))
        XCTAssertTrue(details[0].contains("Set PermitRootLogin no &amp; restart sshd."))
        XCTAssertTrue(details[0].contains("<b>STIG</b> V-238218"), details[0])
        XCTAssertEqual(details[1].trimmingCharacters(in: .newlines), "<h3>Evidence</h3><pre>/etc/issue: nothing found</pre>", "no heading without text under it")
        for fragment in details {
            XCTAssertFalse(fragment.contains("</h3><p></p>") || fragment.contains("</h3><pre></pre>"), fragment)
        }
        XCTAssertFalse(html.contains("PermitRootLogin"), "details are packed, not repeated in the page")
        XCTAssertTrue(html.contains("<svg"), "charts are inline SVG")
        for remote in ["src=\"http", "href=\"http", "@import", "url(http"] {
            XCTAssertFalse(html.contains(remote), "nothing is loaded from the network: \(remote)")
        }
        XCTAssertTrue(html.contains("default-src 'none'"), "the page forbids loading anything")
    }

    /// The page in a real headless browser (Chromium from Debian's packages): it runs its
    /// script without errors, shows one row per rule, and a search link narrows the table.
    func testPageWorksInHeadlessChromium() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chromium = try Chromium.find(profileIn: dir)
        let page = dir.appendingPathComponent("report.html")
        try ReportPipeline.render(.html, sampleReport()).write(to: page)
        func dom(_ fragment: String) throws -> (dom: String, log: String) { try chromium.dom(page, fragment) }
        let visibleRows = Chromium.visibleRows
        func shown(_ dom: String) -> String? {
            guard let r = dom.range(of: "<b id=\"shown\">") else { return nil }
            return String(dom[r.upperBound...].prefix { $0 != "<" })
        }

        let all = try dom("")
        XCTAssertTrue(all.dom.contains("data-ready=\"true\""), "the script ran to its end:\n\(all.log.suffix(2000))")
        XCTAssertFalse(all.log.contains("Uncaught"), all.log)
        XCTAssertEqual(visibleRows(all.dom), 5)
        XCTAssertEqual(shown(all.dom), "5")
        XCTAssertTrue(all.dom.contains("<h3>Description</h3><p>Root must not log in &lt;directly&gt;.</p>"),
                      "the packed details are unpacked into their rows, still escaped")
        XCTAssertFalse(all.dom.contains("<div>The rule details could not be unpacked"))

        // "PermitRootLogin" is only in the rule's evidence and fix, which are packed.
        let searched = try dom("#q=permitrootlogin")
        XCTAssertEqual(visibleRows(searched.dom), 1, "searching narrows the table, details included")
        XCTAssertEqual(shown(searched.dom), "1")
        let failing = try dom("#result=fail")
        XCTAssertEqual(visibleRows(failing.dom), 2)
        let high = try dom("#severity=low&result=fail")
        XCTAssertEqual(visibleRows(high.dom), 1)

        // A screenshot for people (kept out of git): VIGIL_SCREENSHOT=/path.png
        if let shot = ProcessInfo.processInfo.environment["VIGIL_SCREENSHOT"] { try chromium.screenshot(page, to: shot) }
    }
}
