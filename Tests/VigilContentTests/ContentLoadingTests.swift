import Foundation
import VigilContent
import VigilXML
import XCTest

/// Writes files into a fresh temporary directory.
struct Fixture {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

let sampleOVAL = """
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
  xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
  <definitions>
    <definition id="oval:x:def:1" version="1" class="compliance">
      <metadata><title>family is unix</title></metadata>
      <criteria><criterion test_ref="oval:x:tst:1"/></criteria>
    </definition>
  </definitions>
  <tests><ind:family_test id="oval:x:tst:1" version="1" check="all"><ind:object object_ref="oval:x:obj:1"/></ind:family_test></tests>
  <objects><ind:family_object id="oval:x:obj:1" version="1"/></objects>
</oval_definitions>
"""

func sampleBenchmark(extra: String = "") -> String {
    """
    <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_test" resolved="1">
      <status>draft</status><title>Test</title><version>1.0</version>
      <Profile id="xccdf_org.example_profile_base"><title>Base</title>
        <select idref="xccdf_org.example_rule_family" selected="true"/></Profile>
      \(extra)
      <Rule id="xccdf_org.example_rule_family" selected="false" severity="high">
        <title>Family</title>
        <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">
          <check-content-ref href="oval.xml" name="oval:x:def:1"/></check>
      </Rule>
    </Benchmark>
    """
}

final class ContentLoadingTests: XCTestCase {
    func testStandaloneBenchmarkLoadsItsOVALFile() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let path = try f.write("xccdf.xml", sampleBenchmark())
        let c = try SCAPContent.load(path: path)
        XCTAssertEqual(c.benchmark.id, "xccdf_org.example_benchmark_test")
        XCTAssertEqual(c.benchmark.version, "1.0")
        XCTAssertEqual(c.benchmark.rules.count, 1)
        XCTAssertNotNil(c.checkDocuments["oval.xml"]?.definitions["oval:x:def:1"])
        guard case .found(let p) = c.benchmark.profile(named: "base") else { return XCTFail("short profile name not found") }
        XCTAssertEqual(p.id, "xccdf_org.example_profile_base")
    }

    func testMalformedXMLNamesFileAndLine() throws {
        let f = try Fixture()
        let path = try f.write("bad.xml", "<Benchmark>\n<title>x</titel>\n</Benchmark>\n")
        XCTAssertThrowsError(try SCAPContent.load(path: path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(path + ":2:"), text)
        }
    }

    func testMissingFileIsAClearError() {
        XCTAssertThrowsError(try SCAPContent.load(path: "/nonexistent/content.xml")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/content.xml: no such file")
        }
    }

    func testEntityExpansionBombIsRefusedQuickly() throws {
        let f = try Fixture()
        var decls = #"<!ENTITY lol "lol">"#
        for i in 1...9 {
            let prev = i == 1 ? "lol" : "lol\(i - 1)"
            decls += "<!ENTITY lol\(i) \"" + String(repeating: "&\(prev);", count: 10) + "\">"
        }
        let path = try f.write("bomb.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\(decls)]>\n<lolz>&lol9;</lolz>\n")
        XCTAssertThrowsError(try SCAPContent.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("entity declarations are not allowed"), "\(error)")
        }
    }

    func testExternalEntityIsNotRead() throws {
        let f = try Fixture()
        let path = try f.write("xxe.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<x>&e;</x>\n")
        XCTAssertThrowsError(try XMLDocument.parse(file: path))
    }

    func testInvalidOVALEnumerationNamesLocation() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL.replacingOccurrences(of: #"check="all""#, with: #"check="sometimes""#))
        let path = try f.write("xccdf.xml", sampleBenchmark())
        XCTAssertThrowsError(try SCAPContent.load(path: path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("oval.xml:") && text.contains("invalid check 'sometimes'") && text.contains("oval:x:tst:1"), text)
        }
    }

    func testDuplicateRuleIdIsRejected() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let dup = #"<Rule id="xccdf_org.example_rule_family" severity="low"><title>again</title></Rule>"#
        let path = try f.write("xccdf.xml", sampleBenchmark(extra: dup))
        XCTAssertThrowsError(try SCAPContent.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("duplicate Rule id xccdf_org.example_rule_family"), "\(error)")
        }
    }

    func testTailoringAddsProfilesAndChecksExtends() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let path = try f.write("xccdf.xml", sampleBenchmark())
        let good = try f.write("tailoring.xml", """
        <Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_tailoring_t">
          <version time="2026-01-01T00:00:00">1</version>
          <Profile id="xccdf_org.example_profile_tailored" extends="xccdf_org.example_profile_base"><title>T</title></Profile>
        </Tailoring>
        """)
        let c = try SCAPContent.load(path: path, tailoring: good)
        XCTAssertTrue(c.benchmark.profiles.contains { $0.id == "xccdf_org.example_profile_tailored" && $0.fromTailoring })
        let bad = try f.write("bad-tailoring.xml", """
        <Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_tailoring_t">
          <Profile id="xccdf_org.example_profile_t2" extends="xccdf_org.example_profile_nope"><title>T</title></Profile>
        </Tailoring>
        """)
        XCTAssertThrowsError(try SCAPContent.load(path: path, tailoring: bad)) { error in
            XCTAssertTrue("\(error)".contains("extends unknown profile xccdf_org.example_profile_nope"), "\(error)")
        }
    }

    func testDebian11DataStreamLoadsResolvedAndFast() throws {
        let path = "/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("ssg-debian is not installed") }
        let c = try SCAPContent.load(path: path)
        XCTAssertEqual(c.benchmark.id, "xccdf_org.ssgproject.content_benchmark_DEBIAN-11")
        XCTAssertGreaterThan(c.benchmark.rules.count, 300)
        XCTAssertFalse(c.checkDocuments.isEmpty)
        XCTAssertFalse(c.cpeDictionary.checks.isEmpty)
        XCTAssertFalse(c.cpeDocuments.isEmpty)
        XCTAssertTrue(c.benchmark.profiles.contains { $0.id == "xccdf_org.ssgproject.content_profile_standard" })
    }
}
