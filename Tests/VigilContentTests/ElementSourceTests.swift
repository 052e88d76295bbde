import VigilXML
import XCTest

/// `XMLElement.source()`: an element's bytes as the parse read them, with the namespaces
/// it inherits declared on it, ready to copy into another document without parsing again.
final class ElementSourceTests: XCTestCase {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    func testTheRootIsCopiedByteForByte() throws {
        let root = "<r a='1'  b=\"&lt;x&gt;\">\r\n  <!-- note --><![CDATA[<raw>]]>caf&#233; <e/>\r\n<?pi x?></r >"
        let doc = try XMLDocument.parse(string: "<?xml version='1.0'?>\n<!-- before -->" + root + "\n<!-- after -->", label: "r.xml",
                                        keepingSource: true)
        let source = try XCTUnwrap(doc.root).source()
        XCTAssertTrue(source.isVerbatim)
        XCTAssertEqual(text(try source.document()), XMLElementSource.declaration + root + "\n")
        XCTAssertEqual(text(try source.document(appending: Array("<added/>".utf8))),
                       XMLElementSource.declaration + root.replacingOccurrences(of: "</r >", with: "<added/></r >") + "\n")
    }

    /// A byte-order mark and a declared UTF-8 encoding leave the positions the file's own.
    func testUTF8WithAByteOrderMarkIsCopiedVerbatim() throws {
        let doc = try XMLDocument.parse(string: "\u{FEFF}<?xml version='1.0' encoding='utf-8'?>\n<r a='é'>café</r>", label: "bom.xml",
                                        keepingSource: true)
        let source = try XCTUnwrap(doc.root).source()
        XCTAssertTrue(source.isVerbatim)
        XCTAssertEqual(text(try source.document()), XMLElementSource.declaration + "<r a='é'>café</r>\n")
    }

    /// The nearest declaration of a prefix wins; the element's own are not repeated.
    func testInheritedNamespacesAreDeclaredOnTheCopy() throws {
        let doc = try XMLDocument.parse(string: """
            <r xmlns="urn:default" xmlns:p="urn:far"><m xmlns:p="urn:near"><p:e xmlns:q="urn:q" q:a="x">t</p:e></m></r>
            """, label: "ns.xml", keepingSource: true)
        let e = try XCTUnwrap(doc.root?.child("m")?.child("e"))
        XCTAssertEqual(text(try e.source().document()), XMLElementSource.declaration
                       + "<p:e xmlns:p=\"urn:near\" xmlns=\"urn:default\" xmlns:q=\"urn:q\" q:a=\"x\">t</p:e>\n")
        XCTAssertTrue(e.source().isVerbatim)
        let copy = try XCTUnwrap(try XMLDocument.parse(bytes: try e.source().document(), label: "copy.xml").root)
        XCTAssertEqual(copy.namespace, "urn:near")
        XCTAssertEqual(copy.attribute("a", namespace: "urn:q"), "x")
    }

    /// An empty element given content is closed with its own name.
    func testAnEmptyElementGivenContent() throws {
        let doc = try XCTUnwrap(try XMLDocument.parse(string: "<r xmlns:a='urn:a'><a:b x='1' /></r>", label: "e.xml",
                                                      keepingSource: true).root)
        let b = try XCTUnwrap(doc.children.first).source()
        XCTAssertEqual(text(try b.document()), XMLElementSource.declaration + "<a:b xmlns:a=\"urn:a\" x='1' />\n")
        XCTAssertEqual(text(try b.document(appending: Array("<c/>".utf8))),
                       XMLElementSource.declaration + "<a:b xmlns:a=\"urn:a\" x='1' ><c/></a:b>\n")
    }

    /// Elements deeper than the recorded levels, and parses that keep no source, are
    /// written by libxml2 instead: the same element, not the same bytes.
    func testElementsNotRecordedAreWrittenByLibxml2() throws {
        let xml = "<r xmlns='urn:d'><a><b><c  k = 'v'>x</c></b></a></r>"
        let kept = try XCTUnwrap(try XMLDocument.parse(string: xml, label: "d.xml", keepingSource: true).root)
        let b = try XCTUnwrap(kept.child("a")?.child("b"))
        XCTAssertTrue(b.source().isVerbatim, "depth 2 is recorded")
        let c = try XCTUnwrap(b.child("c")).source()
        XCTAssertFalse(c.isVerbatim, "depth 3 is not")
        XCTAssertEqual(text(try c.document()), XMLElementSource.declaration + "<c xmlns=\"urn:d\" k=\"v\">x</c>\n")
        let plain = try XCTUnwrap(try XMLDocument.parse(string: xml, label: "d.xml").root).source()
        XCTAssertFalse(plain.isVerbatim)
        XCTAssertEqual(text(try plain.document()), XMLElementSource.declaration + "<r xmlns=\"urn:d\"><a><b><c k=\"v\">x</c></b></a></r>\n")
    }

    func testEveryParseIsCounted() throws {
        let before = XMLDocument.parses
        _ = try XMLDocument.parse(string: "<a/>", label: "a.xml")
        _ = try XMLDocument.parse(string: "<a/>", label: "a.xml", keepingSource: true)
        XCTAssertThrowsError(try XMLDocument.parse(string: "<a>", label: "bad.xml"))
        XCTAssertEqual(XMLDocument.parses - before, 3)
    }
}
