import Foundation
import VigilContent
import XCTest

/// `XCCDFBenchmark.groupTitles(ofRule:)` against an independent reading of the SCAP
/// Security Guide's Debian 11 data stream (Python's ElementTree): for every rule, the
/// titles of the Groups around it, outermost first.
final class GroupPathTests: XCTestCase {
    func testEveryRulesGroupTitlesMatchTheDataStream() throws {
        let path = "/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml"
        guard FileManager.default.fileExists(atPath: path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("ssg-debian is missing in CI") }
            throw XCTSkip("ssg-debian is not installed")
        }
        let script = #"""
import json, sys, xml.etree.ElementTree as ET
X = "{http://checklists.nist.gov/xccdf/1.2}"
out = {}
def walk(el, titles):
    for c in el:
        if c.tag == X + "Group":
            t = c.find(X + "title")
            walk(c, titles + [t.text if t is not None and t.text else c.get("id")])
        elif c.tag == X + "Rule":
            out[c.get("id")] = titles
for b in ET.parse(sys.argv[1]).getroot().iter(X + "Benchmark"):
    walk(b, [])
print(json.dumps(out))
"""#
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: [String]])
        let benchmark = try SCAPContent.load(path: path).benchmark
        XCTAssertEqual(Set(expected.keys), Set(benchmark.rules.keys))
        XCTAssertGreaterThan(expected.values.filter { $0.count >= 3 }.count, 100, "the content nests Groups deeply")
        for (rule, titles) in expected {
            XCTAssertEqual(benchmark.groupTitles(ofRule: rule), titles.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }, rule)
        }
        XCTAssertEqual(benchmark.groupTitles(ofRule: "xccdf_org.ssgproject.content_rule_package_aide_installed"),
                       ["System Settings", "Installing and Maintaining Software", "System and Software Integrity",
                        "Software Integrity Checking", "Verify Integrity with AIDE"])
        XCTAssertEqual(benchmark.groupTitles(ofRule: "no_such_rule"), [])
    }
}
