import Foundation
import VigilContent
import VigilXML
import XCTest
@testable import VigilReports

/// Content that is not the usual SSG data stream: several benchmarks in one collection, a
/// benchmark that inherits its namespaces, encodings other than UTF-8 (copied as libxml2
/// writes them, the one fallback), and tailoring.
extension SourceCopyTests {
    static let twoBenchmarks = """
    <?xml version="1.0" encoding="UTF-8"?>
    <!-- two benchmarks; the data stream's checklist is the second -->
    <ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2" \
    xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://checklists.nist.gov/xccdf/1.2" \
    xmlns:h="http://www.w3.org/1999/xhtml" id="scap_org.example_collection_two" schematron-version="1.3">
      <ds:data-stream id="scap_org.example_datastream_two" scap-version="1.3" use-case="OTHER" timestamp="2024-01-01T00:00:00">
        <ds:checklists>
          <ds:component-ref id="scap_org.example_cref_second" xlink:href="#scap_org.example_comp_second"/>
          <ds:component-ref id="scap_org.example_cref_first" xlink:href="#scap_org.example_comp_first"/>
        </ds:checklists>
      </ds:data-stream>
      <ds:component id="scap_org.example_comp_first" timestamp="2024-01-01T00:00:00"><Benchmark \
    id="xccdf_org.example_benchmark_first" resolved="1"><status>draft</status><title>First</title><version>1</version>
        <Rule id="xccdf_org.example_rule_one" selected="true"><title>One</title></Rule></Benchmark></ds:component>
      <ds:component id="scap_org.example_comp_second" timestamp="2024-01-01T00:00:00">
        <Benchmark id="xccdf_org.example_benchmark_second" resolved="1" xml:lang="en-US">
          <status>draft</status><title>Second &amp; last</title>
          <description>Uses <h:code>h:</h:code> from the collection, <![CDATA[<raw> & text]]>, caf&#233;.</description>
          <version>2</version>
          <Rule id="xccdf_org.example_rule_two" selected="true"><title>Two</title></Rule>
        </Benchmark>
      </ds:component>
    </ds:data-stream-collection>
    """

    /// The checklist the data stream names (the second component) is the one copied, with
    /// the default and prefixed namespaces it inherits from the collection declared on it.
    func testTheDataStreamsChecklistOfSeveralBenchmarks() throws {
        let path = dir.appendingPathComponent("two.xml")
        try Self.twoBenchmarks.write(to: path, atomically: true, encoding: .utf8)
        let content = try load(path.path)
        XCTAssertEqual(content.benchmark.id, "xccdf_org.example_benchmark_second")
        let reports = try checkCopies(content, source: path.path)
        let results = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try XCTUnwrap(reports[.xccdf])), label: "r.xml").root)
        XCTAssertEqual(results.attribute("id"), "xccdf_org.example_benchmark_second")
        XCTAssertEqual(results.namespace, "http://checklists.nist.gov/xccdf/1.2")
        XCTAssertEqual(results.child("description")?.child("code")?.namespace, "http://www.w3.org/1999/xhtml")
        XCTAssertEqual(results.child("description")?.text, "Uses h: from the collection, <raw> & text, café.")
        try oscapValidates(["xccdf", "validate"], try XCTUnwrap(reports[.xccdf]))
    }

    /// A benchmark in ISO-8859-1 or UTF-16: libxml2's positions are in the text it
    /// converted, not in the file, so the copy is libxml2's UTF-8 writing of the elements,
    /// made while the content loads (still one parse).
    func testOtherEncodingsAreCopiedAsLibxml2WritesThem() throws {
        for (name, encoding) in [("ISO-8859-1", String.Encoding.isoLatin1), ("UTF-16", .utf16)] {
            let path = dir.appendingPathComponent("latin-\(name).xml")
            try """
            <?xml version="1.0" encoding="\(name)"?>
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_enc" resolved="1">
              <status>draft</status><title>Prüfung à la carte</title><version>1</version>
              <Rule id="xccdf_org.example_rule_umlaut" selected="true"><title>Grüße</title></Rule>
            </Benchmark>
            """.write(to: path, atomically: true, encoding: encoding)
            let content = try load(path.path)
            let reports = try checkCopies(content, source: path.path, verbatim: false)
            let results = try XCTUnwrap(try XMLDocument.parse(bytes: Array(try XCTUnwrap(reports[.xccdf])), label: "r.xml").root)
            XCTAssertEqual(results.child("title")?.text, "Prüfung à la carte", name)
            XCTAssertEqual(results.child("Rule")?.child("title")?.text, "Grüße", name)
        }
    }

    /// Tailoring changes the profiles, not the benchmark written.
    func testTailoredContentCopiesTheBenchmark() throws {
        let path = dir.appendingPathComponent("b.xml")
        try """
        <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_t" resolved="1">
          <status>draft</status><title>T</title><version>1</version>
          <Rule id="xccdf_org.example_rule_a" selected="false"><title>A</title></Rule>
        </Benchmark>
        """.write(to: path, atomically: true, encoding: .utf8)
        let tailoring = dir.appendingPathComponent("tailoring.xml")
        try """
        <Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_tailoring_t">
          <version time="2024-01-01T00:00:00">1</version>
          <Profile id="xccdf_org.example_profile_tailored"><title>Tailored</title>
            <select idref="xccdf_org.example_rule_a" selected="true"/></Profile>
        </Tailoring>
        """.write(to: tailoring, atomically: true, encoding: .utf8)
        let content = try load(path.path, tailoring: tailoring.path, parses: 2)
        XCTAssertNotNil(content.benchmark.profiles.first { $0.id == "xccdf_org.example_profile_tailored" })
        _ = try checkCopies(content, source: path.path)
    }
}

extension SourceCopyTests {
    /// The content file is read again (not parsed) to write the copy; one that changed since
    /// the load is an error, not a copy of other content.
    func testContentChangedSinceTheLoadIsNotCopied() throws {
        let path = dir.appendingPathComponent("two.xml")
        try Self.twoBenchmarks.write(to: path, atomically: true, encoding: .utf8)
        let content = try load(path.path)
        try Self.twoBenchmarks.replacingOccurrences(of: "Second &amp; last", with: "Second &amp; next")
            .write(to: path, atomically: true, encoding: .utf8)
        for format in [ReportFormat.xccdf, .arf] {
            XCTAssertThrowsError(try ReportPipeline.render(format, report(content))) { error in
                XCTAssertTrue("\(error)".contains("has changed since it was loaded"), "\(format): \(error)")
            }
        }
        // Streamed to a file: the file already there is left as it was, and no partial copy.
        let out = dir.appendingPathComponent("results.xml")
        try Data("earlier".utf8).write(to: out)
        XCTAssertThrowsError(try ReportPipeline.write(ReportRequest(format: "xccdf", path: out.path), report(content))) { error in
            XCTAssertTrue("\(error)".contains("has changed since it was loaded"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "earlier")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".vigil-tmp-") }, [])
    }
}
