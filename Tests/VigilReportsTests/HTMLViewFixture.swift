import Foundation
import VigilCore
import VigilStore
import XCTest
@testable import VigilReports

/// A scan in the benchmark's Groups, for the HTML report's views: unwaived failures of
/// high and low severity, an error, an unknown, a waived failure, passes, a rule outside
/// every Group, and a Group ("Unused") that holds only rules the profile does not select.
/// Each rule's evidence and fix text carry a marker (`EVID-…`, `FIX-…`) a test can find.
func groupedReport() throws -> ReportData {
    func rule(_ name: String, _ result: XCCDFResult, _ severity: String, _ groups: [String]) -> RuleRecord {
        let marker = name.uppercased().replacingOccurrences(of: "_", with: "-")
        return RuleRecord(ruleID: "xccdf_org.example_rule_" + name, title: "Title of \(name)", severity: severity, result: result,
                          evidence: "EVID-\(marker)", description: "Description of \(name).", fixText: "FIX-\(marker)",
                          groups: groups)
    }
    let rules = [
        rule("ssh_proto", .pass, "medium", ["System", "SSH"]),
        rule("ssh_root", .fail, "high", ["System", "SSH"]),
        rule("log_send", .error, "high", ["System", "Logging"]),
        rule("audit_on", .fail, "medium", ["System", "Logging"]),
        rule("unused_a", .notselected, "low", ["System", "Unused"]),
        rule("unused_b", .notselected, "high", ["System", "Unused"]),
        rule("fw_on", .fail, "low", ["Network"]),
        rule("probe_odd", .unknown, "medium", ["Network"]),
        rule("wifi_off", .pass, "low", ["Network", "Wireless"]),
        rule("top_level", .notapplicable, "low", []),
    ]
    let waivers = try WaiverList.parse("""
        waivers:
          - rule: audit_on
            reason: Audit goes to the central collector
            owner: ops
            expires: 2099-12-31
        """, file: "w.yaml")
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let record = ScanRecord(uuid: "0f0e0d0c-0000-4000-8000-000000000002", hostName: "node-2", hostID: "abc", target: "/",
                            contentPath: "/c.xml", contentSHA256: String(repeating: "cd", count: 32),
                            benchmarkID: "xccdf_org.example_benchmark_b", benchmarkVersion: "1.2",
                            profileID: "xccdf_org.example_profile_p", vigilVersion: "0.1.0",
                            startedAt: now.addingTimeInterval(-5), finishedAt: now.addingTimeInterval(-3),
                            score: 40, scoreMax: 100, scoreSystem: "urn:xccdf:scoring:default", rules: rules)
    return ReportData(scan: StoredScan(unstored: record), rules: rules, waivers: waivers, generator: "0.1.0", now: now)
}

/// A report page written to a temporary folder, and the browser that opens it.
struct PageInBrowser {
    let dir: URL
    let page: URL
    let chromium: Chromium

    init(_ data: ReportData) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        chromium = try Chromium.find(profileIn: dir)
        page = dir.appendingPathComponent("report.html")
        try ReportPipeline.render(.html, data).write(to: page)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    /// The DOM after the page's script ran, with `fragment` in the URL.
    func dom(_ fragment: String = "") throws -> String {
        let (dom, log) = try chromium.dom(page, fragment)
        XCTAssertTrue(dom.contains("data-ready=\"true\""), "the script ran to its end:\n\(log.suffix(2000))")
        XCTAssertFalse(log.contains("Uncaught"), log)
        return dom
    }
}

/// The rule rows of a DOM, in document order: the rule id, and whether the row shows.
func ruleRows(_ dom: String) -> [(id: String, shown: Bool)] {
    dom.components(separatedBy: "<tr data-result=").dropFirst().map { row in
        let tag = row.prefix { $0 != ">" }
        let id = row.components(separatedBy: "<td>").dropFirst().first?.prefix { $0 != "<" } ?? ""
        return (String(id), !tag.contains(" hidden"))
    }
}

/// The tree view of a DOM, read by Python's HTML parser: per `<section>` of a Group, its
/// heading, whether it shows (neither it nor a section around it is hidden), and the ids
/// of the shown rules in its own table.
func treeSections(_ dom: String) throws -> [(title: String, shown: Bool, rules: [String])] {
    let script = #"""
import json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.out = []; self.cell = None; self.row = None; self.heading = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "data-g" in a:
            hidden = "hidden" in a or any(s["hidden"] for s in self.stack)
            s = {"title": "", "hidden": hidden, "rules": [], "table": False}; self.stack.append(s); self.out.append(s)
        elif tag == "table" and self.stack: self.stack[-1]["table"] = True
        elif tag in ("h2", "h3", "h4", "h5", "h6") and self.stack and not self.stack[-1]["table"]: self.heading = self.stack[-1]
        elif tag == "tr" and self.stack: self.row = {"hidden": "hidden" in a, "id": None}
        elif tag == "td" and self.row is not None and self.row["id"] is None: self.cell = ""
    def handle_endtag(self, tag):
        if tag == "section" and self.stack: self.stack.pop()
        elif tag in ("h2", "h3", "h4", "h5", "h6"): self.heading = None
        elif tag == "td" and self.cell is not None: self.row["id"] = self.cell; self.cell = None
        elif tag == "tr" and self.row is not None:
            if not self.row["hidden"]: self.stack[-1]["rules"].append(self.row["id"])
            self.row = None
    def handle_data(self, data):
        if self.heading is not None: self.heading["title"] += data
        if self.cell is not None: self.cell += data
p = P(); p.feed(sys.stdin.read()); print(json.dumps(p.out))
"""#
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    input.fileHandleForWriting.write(Data(dom.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    return list.map { ($0["title"] as? String ?? "", !($0["hidden"] as? Bool ?? true), $0["rules"] as? [String] ?? []) }
}
