import Foundation
import XCTest

/// Checks that a written report copies its content faithfully, with Python's own XML
/// parser and C14N 2.0 (prefixes renamed, so that only names, namespaces, attributes and
/// text count): the XCCDF results' benchmark, less its last child (which must be the
/// TestResult), against the benchmark of the content file; the ARF report request's
/// content against the content file's root, and the ARF report is a TestResult.
enum CanonicalCopy {
    enum Kind: String { case results, arf }

    /// `stripText`: whitespace around text does not count (libxml2 writing an element of
    /// a non-UTF-8 source drops whitespace-only text, as the parse was told to).
    static func check(_ kind: Kind, source: String, output: Data, benchmarkID: String, stripText: Bool = false,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let written = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-copy-\(UUID().uuidString).xml")
        try output.write(to: written)
        defer { try? FileManager.default.removeItem(at: written) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, kind.rawValue, source, written.path, benchmarkID, stripText ? "strip" : "keep"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(kind) of \(source): \(text)", file: file, line: line)
    }

    static let script = """
    import sys, xml.etree.ElementTree as ET
    kind, source, output, benchmark_id, strip = sys.argv[1:6]
    XCCDF = "{http://checklists.nist.gov/xccdf/1.2}"
    DS = "{http://scap.nist.gov/schema/scap/source/1.2}"
    ARF = "{http://scap.nist.gov/schema/asset-reporting-format/1.1}"
    def canon(el):
        el.tail = None
        return ET.canonicalize(ET.tostring(el, encoding="unicode"), rewrite_prefixes=True, strip_text=(strip == "strip"))
    src = ET.parse(source).getroot()
    out = ET.parse(output).getroot()
    if kind == "results":
        if src.tag == XCCDF + "Benchmark":
            expected = src
        else:
            expected = next(c[0] for c in src if c.tag == DS + "component" and len(c)
                            and c[0].tag == XCCDF + "Benchmark" and c[0].get("id") == benchmark_id)
        if out.tag != expected.tag or out[-1].tag != XCCDF + "TestResult":
            sys.exit("not the benchmark with a TestResult last: %s, %s" % (out.tag, out[-1].tag))
        out.remove(out[-1])
        actual = out
    else:
        actual = out.find(ARF + "report-requests/" + ARF + "report-request/" + ARF + "content")[0]
        expected = src
        report = out.find(ARF + "reports/" + ARF + "report/" + ARF + "content")[0]
        if report.tag != XCCDF + "TestResult":
            sys.exit("the report is %s" % report.tag)
    a, e = canon(actual), canon(expected)
    if a != e:
        i = next((i for i, (x, y) in enumerate(zip(a, e)) if x != y), min(len(a), len(e)))
        sys.exit("differs at %d of %d/%d:\\nwritten:  %r\\nexpected: %r" % (i, len(a), len(e), a[max(0, i - 150):i + 150], e[max(0, i - 150):i + 150]))
    """
}
