import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

/// Expected values were checked against `oscap oval collect` (OpenSCAP 1.3.7) on the
/// same files.
final class XMLFileContentProbeTests: XCTestCase {
    private var root = ""

    private let sample = """
        <?xml version="1.0"?>
        <root xmlns="urn:x" xmlns:p="urn:p" p:attr="pa" id="r1">
          <item name="one">first</item>
          <item name="two">second<!--c-->tail</item>
          <p:item name="three">third</p:item>
          <empty/>
          <ws>  </ws>
          <mixed>a<b>bb</b>c</mixed>
          <![CDATA[cdata here]]>
        </root>

        """

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-xml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        write("/data/a.xml", sample)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func write(_ path: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: root + path, contents: Data(text.utf8))
    }

    private func entity(_ name: String, _ value: String, _ op: OVALOperation = .equals) -> ResolvedEntity {
        ResolvedEntity(entity: OVALEntity(name: name, value: value, operation: op), values: [value])
    }

    private func collect(_ entities: [ResolvedEntity]) throws -> CollectedObject {
        let object = ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "xmlfilecontent_object", family: "independent",
                                                       entities: entities.map(\.entity)), entities: entities)
        return XMLFileContentProbe().collect(object, context: ProbeContext(target: try RootTarget(root)))
    }

    private func query(_ xpath: String, file: String = "/data/a.xml") throws -> CollectedObject {
        try collect([entity("filepath", file), entity("xpath", xpath)])
    }

    private func values(_ xpath: String) throws -> [String]? {
        try query(xpath).items.first.map { $0.fields(named: "value_of").map(\.value) }
    }

    func testItemFields() throws {
        let r = try query("/root/item/@name")
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.fields.map(\.name), ["filepath", "path", "filename", "xpath", "value_of", "value_of", "value_of"])
        XCTAssertEqual(item.fields.prefix(4).map(\.value), ["/data/a.xml", "/data", "a.xml", "/root/item/@name"])
        XCTAssertEqual(item.fields(named: "value_of").map(\.value), ["one", "two", "three"])
    }

    func testNamespacesCommentsAndCDATAAreStrippedLikeOpenSCAP() throws {
        XCTAssertEqual(try values("/root/item/text()"), ["first", "secondtail", "third"])
        XCTAssertEqual(try values("string(/root/item[2])"), ["secondtail"])
        XCTAssertEqual(try values("/root/@attr"), ["pa"])
        XCTAssertEqual(try values("/root/@*"), ["pa", "r1"])
        XCTAssertEqual(try values("name(/root/@*[1])"), ["attr"])
        XCTAssertEqual(try values("/root/mixed/text()"), ["a", "c"])
        XCTAssertEqual(try values("/root/ws/text()"), ["  "])
        XCTAssertEqual(try values("/root/text()"), ["\n  ", "\n  ", "\n  ", "\n  ", "\n  ", "\n  ", "\n  cdata here\n"])
        XCTAssertEqual(try query("//comment()").flag, .doesNotExist)
    }

    func testElementsGiveAnItemWithoutValues() throws {
        let r = try query("/root/item")
        XCTAssertEqual(r.flag, .complete)
        XCTAssertEqual(r.items.first?.fields(named: "value_of").count, 0)
        XCTAssertEqual(try query("/root/nothing/text()").flag, .doesNotExist)
    }

    func testScalarResults() throws {
        let count = try query("count(/root/item)").items.first?.fields(named: "value_of").first
        XCTAssertEqual(count?.value, "3")
        XCTAssertEqual(count?.datatype, .int)
        XCTAssertEqual(try values("count(/root/item) div 2"), ["1"])
        XCTAssertEqual(try values("count(/root/*) * 1.7"), ["10"])
        XCTAssertEqual(try values("1 div 0"), ["-2147483648"])
        let b = try query("boolean(/root/empty)").items.first?.fields(named: "value_of").first
        XCTAssertEqual(b?.value, "true")
        XCTAssertEqual(b?.datatype, .boolean)
        XCTAssertEqual(try values("string(/root/nothing)"), [""])
    }

    func testWhitespaceTextIsKept() throws {
        write("/data/ws.xml", "<a>\n <b>x</b>\n</a>\n")
        XCTAssertEqual(try values2("/a/text()", "/data/ws.xml"), ["\n ", "\n"])
    }

    private func values2(_ xpath: String, _ file: String) throws -> [String]? {
        try query(xpath, file: file).items.first.map { $0.fields(named: "value_of").map(\.value) }
    }

    func testErrors() throws {
        let badXPath = try query("///bad[")
        XCTAssertEqual(badXPath.flag, .error)
        XCTAssertTrue(badXPath.items.isEmpty)
        write("/data/bad.xml", "<a><b>\n")
        XCTAssertEqual(try query("/a", file: "/data/bad.xml").flag, .error)
        write("/data/empty.xml", "")
        XCTAssertEqual(try query("/a", file: "/data/empty.xml").flag, .error)
        // Entity declarations are refused (hostile input); OpenSCAP would parse this file.
        write("/data/ent.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY e \"ent\">]>\n<a>&e;</a>\n")
        XCTAssertEqual(try query("/a/text()", file: "/data/ent.xml").flag, .error)
        XCTAssertEqual(try query("/a", file: "/data/none.xml").flag, .doesNotExist)
    }

    func testPathAndFilename() throws {
        write("/data/b.xml", "<root><item>b</item></root>")
        let r = try collect([entity("path", "/data"), entity("filename", "^[ab]\\.xml$", .patternMatch),
                             entity("xpath", "/root/item[1]/text()")])
        XCTAssertEqual(r.items.map { $0.value("filename") }.sorted { ($0 ?? "") < ($1 ?? "") }, ["a.xml", "b.xml"])
        XCTAssertEqual(r.items.first { $0.value("filename") == "b.xml" }?.value("filepath"), "/data/b.xml")
        XCTAssertEqual(r.items.first { $0.value("filename") == "b.xml" }?.value("value_of"), "b")
    }

    func testTruncationToInt32() {
        XCTAssertEqual(XMLContentQuery.truncatedInt32(2.9), 2)
        XCTAssertEqual(XMLContentQuery.truncatedInt32(-2.9), -2)
        XCTAssertEqual(XMLContentQuery.truncatedInt32(.nan), Int32.min)
        XCTAssertEqual(XMLContentQuery.truncatedInt32(3e10), Int32.min)
        XCTAssertEqual(XMLContentQuery.truncatedInt32(-2147483648.5), Int32.min)
    }
}
