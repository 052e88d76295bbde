import Foundation
import VigilContent
import XCTest

/// How a source data stream's parts are found: component-refs, catalogs, the CPE
/// dictionary and its OVAL, platforms given by check-fact-ref, and the errors for a
/// stream whose structure is broken.
final class DataStreamLoadingTests: XCTestCase {
    static let ocil = "http://scap.nist.gov/schema/ocil/2.0"

    /// A data stream collection with `stream` as its data stream and `components` after it.
    func collection(_ stream: String, _ components: String) -> String {
        """
        <ds:data-stream-collection xmlns:ds="http://scap.nist.gov/schema/scap/source/1.2"
          xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:cat="urn:oasis:names:tc:entity:xmlns:xml:catalog" id="c">
        \(stream)
        \(components)
        </ds:data-stream-collection>
        """
    }

    func component(_ id: String, _ body: String) -> String {
        "<ds:component id=\"\(id)\" timestamp=\"2026-01-01T00:00:00\">\(body)</ds:component>"
    }

    /// Rules that name an OVAL document, an OCIL questionnaire and a remote OVAL feed by
    /// catalog name, a platform given by check-fact-ref, and a CPE name from the dictionary.
    var benchmark: String {
        sampleBenchmark(extra: """
            <platform-specification xmlns="http://cpe.mitre.org/language/2.0">
              <platform id="by_check"><logical-test operator="AND" negate="false">
                <check-fact-ref system="http://oval.mitre.org/XMLSchema/oval-definitions-5" href="platform-oval.xml" id-ref="oval:x:def:1"/>
              </logical-test></platform>
            </platform-specification>
            <Rule id="xccdf_org.example_rule_question" selected="true" severity="low"><title>Q</title>
              <check system="\(Self.ocil)"><check-content-ref href="ocil.xml" name="q1"/></check></Rule>
            <Rule id="xccdf_org.example_rule_remote" selected="true" severity="low"><title>R</title>
              <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="remote.xml" name="oval:r:def:1"/></check></Rule>
            """)
    }

    func testCatalogsResolveChecksDictionaryAndPlatformDocuments() throws {
        let stream = """
            <ds:data-stream id="ds1" scap-version="1.3">
              <ds:dictionaries>
                <ds:component-ref id="cref-dict" xlink:href="#comp-dict">
                  <cat:catalog><cat:uri name="cpe-oval.xml" uri="#cref-cpe-oval"/></cat:catalog>
                </ds:component-ref>
              </ds:dictionaries>
              <ds:checklists>
                <ds:component-ref id="cref-xccdf" xlink:href="#comp-xccdf">
                  <cat:catalog>
                    <cat:uri name="oval.xml" uri="#cref-oval"/>
                    <cat:uri name="ocil.xml" uri="#cref-ocil"/>
                    <cat:uri name="remote.xml" uri="#cref-remote"/>
                    <cat:uri name="platform-oval.xml" uri="#cref-platform"/>
                  </cat:catalog>
                </ds:component-ref>
              </ds:checklists>
              <ds:checks>
                <ds:component-ref id="cref-oval" xlink:href="#comp-oval"/>
                <ds:component-ref id="cref-ocil" xlink:href="#comp-ocil"/>
                <ds:component-ref id="cref-remote" xlink:href="https://example.com/feed.xml"/>
                <ds:component-ref id="cref-cpe-oval" xlink:href="#comp-cpe-oval"/>
                <ds:component-ref id="cref-platform" xlink:href="#comp-platform"/>
              </ds:checks>
            </ds:data-stream>
            """
        let dictionary = """
            <cpe-list xmlns="http://cpe.mitre.org/dictionary/2.0">
              <cpe-item name="cpe:/o:example:os:1"><title>OS</title>
                <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5" href="cpe-oval.xml">oval:x:def:1</check></cpe-item>
            </cpe-list>
            """
        let components = [
            component("comp-dict", dictionary), component("comp-xccdf", benchmark), component("comp-oval", sampleOVAL),
            component("comp-ocil", "<ocil xmlns=\"\(Self.ocil)\"/>"), component("comp-cpe-oval", sampleOVAL),
            component("comp-platform", sampleOVAL),
        ].joined(separator: "\n")
        let path = try Fixture().write("ds.xml", collection(stream, components))
        let c = try SCAPContent.load(path: path)

        guard case .dataStream(let id, let version) = c.kind else { return XCTFail("not loaded as a data stream: \(c.kind)") }
        XCTAssertEqual(id, "ds1")
        XCTAssertEqual(version, "1.3")
        XCTAssertEqual(c.benchmark.rules.count, 3)
        XCTAssertEqual(Set(c.checkDocuments.keys), ["oval.xml"], "the remote feed is not fetched, OCIL is no OVAL")
        XCTAssertNotNil(c.checkDocuments["oval.xml"]?.definitions["oval:x:def:1"])
        XCTAssertEqual(c.otherComponents, ["ocil.xml": Self.ocil])
        XCTAssertEqual(c.cpeDictionary.checks["cpe:/o:example:os:1"]?.href, "cpe-oval.xml")
        XCTAssertEqual(c.cpeDictionary.checks["cpe:/o:example:os:1"]?.idref, "oval:x:def:1")
        XCTAssertEqual(Set(c.cpeDocuments.keys), ["cpe-oval.xml", "platform-oval.xml"],
                       "the dictionary's OVAL through its own catalog, the check-fact-ref's through the checklist's")
    }

    func testBrokenStreamStructureIsNamedAtItsLine() throws {
        func error(_ stream: String, _ components: String = "") throws -> String {
            let path = try Fixture().write("ds.xml", collection(stream, components))
            do {
                _ = try SCAPContent.load(path: path)
                return "loaded"
            } catch let e as ContentError {
                XCTAssertTrue(e.location.hasPrefix(path + ":"), "\(e.location) names no line of \(path)")
                return e.message
            }
        }
        XCTAssertEqual(try error(""), "data stream collection holds no <data-stream>")
        XCTAssertEqual(try error(#"<ds:data-stream id="ds1"><ds:checks/></ds:data-stream>"#), "data stream ds1 has no checklist")
        XCTAssertEqual(try error(#"""
            <ds:data-stream id="ds1"><ds:checklists>
              <ds:component-ref id="cref-xccdf" xlink:href="https://example.com/xccdf.xml"/>
            </ds:checklists></ds:data-stream>
            """#), "component-ref cref-xccdf points outside the data stream; Vigil does not fetch remote components")
        XCTAssertEqual(try error(#"""
            <ds:data-stream id="ds1"><ds:checklists>
              <ds:component-ref id="cref-xccdf" xlink:href="#comp-gone"/>
            </ds:checklists></ds:data-stream>
            """#, component("comp-other", benchmark)), "component-ref cref-xccdf names missing component #comp-gone")
    }
}
