import Foundation
import VigilCore
import VigilXML

/// JUnit XML: one test suite for the scan, one test case per rule. `fail`, `error` and
/// `unknown` are failures (unless waived); rules that were not checked are skipped. The
/// suite's `hostname` is the scanned host, or the image's name; its properties are
/// `SystemFields`.
package enum JUnitReport {
    package static func xml(_ data: ReportData) -> String {
        let s = data.scan
        let evaluated = data.rules.filter { $0.record.result != .notselected }
        let failures = evaluated.filter { $0.failsGate(at: nil) }.count
        let skipped = evaluated.filter { [XCCDFResult.notapplicable, .notchecked, .informational].contains($0.record.result) || $0.waived }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let seconds = String(format: "%.3f", s.finishedAt.timeIntervalSince(s.startedAt))
        out += "<testsuites name=\"vigil\" tests=\"\(evaluated.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds)\">\n"
        out += "  <testsuite name=\"\(xmlEscape(s.benchmarkID)) \(xmlEscape(s.profileID))\" hostname=\"\(xmlEscape(data.image?.name ?? s.hostName))\""
        out += " tests=\"\(evaluated.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(seconds)\""
        out += " timestamp=\"\(InternetDateTime.utc(s.startedAt))\">\n"
        out += "    <properties>\n"
        for (name, value) in SystemFields.list(data) {
            out += "      <property name=\"\(xmlEscape(name))\" value=\"\(xmlEscape(value))\"/>\n"
        }
        out += "    </properties>\n"
        for r in evaluated {
            let name = r.record.instance.isEmpty ? r.record.title : "\(r.record.title) [\(r.record.instance)]"
            out += "    <testcase classname=\"\(xmlEscape(r.record.ruleID))\" name=\"\(xmlEscape(name))\">"
            let detail = [r.record.evidence, r.record.fixText.isEmpty ? nil : "Fix: " + r.record.fixText]
                .compactMap { $0 }.joined(separator: "\n")
            if r.waived, let w = r.waiver {
                out += "<skipped message=\"\(xmlEscape("waived until \(w.expires) by \(w.owner): \(w.reason)"))\"/>"
            } else if r.failsGate(at: nil) {
                out += "<failure type=\"\(xmlEscape(r.record.result.rawValue))\" message=\"\(xmlEscape("\(r.record.severity) severity: \(r.record.result.rawValue)"))\">"
                out += xmlEscape(detail) + "</failure>"
            } else if r.record.result != .pass && r.record.result != .fixed {
                out += "<skipped message=\"\(xmlEscape(r.record.result.rawValue))\"/>"
            }
            out += "</testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}
