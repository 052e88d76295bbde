import Foundation
import VigilXML
import XCTest

/// `XMLElementSource.writeDocument(appending:to:)`: the copy `document(appending:)` makes,
/// handed on in pieces, with a plain source file read again in chunks rather than held,
/// and refused when the file is not what was parsed.
final class ElementSourceStreamTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    /// The streamed copy of `element` (a path of child names) of the file `name` holding `xml`.
    func copies(_ xml: [UInt8], name: String = "s.xml", element: [String] = [], appending content: String,
                  change: (URL) throws -> Void = { _ in }) throws -> (streamed: [UInt8], held: [UInt8]) {
        let url = dir.appendingPathComponent(name)
        try Data(xml).write(to: url)
        let doc = try XMLDocument.parse(file: url.path, keepingSource: true)
        var e = try XCTUnwrap(doc.root)
        for child in element { e = try XCTUnwrap(e.child(child)) }
        let source = e.source()
        XCTAssertTrue(source.isVerbatim)
        let held = try source.document(appending: Array(content.utf8))
        try change(url)
        var out: [UInt8] = []
        var pieces = 0
        try source.writeDocument(appending: Array(content.utf8)) { out.append(contentsOf: $0); pieces += 1 }
        XCTAssertGreaterThan(pieces, 2)
        return (out, held)
    }

    /// A root spanning many 64 KiB chunks, with text before and after it.
    func testALargeFileIsCopiedAsTheHeldCopy() throws {
        var xml = "<?xml version='1.0'?>\n<!-- before -->\n<r xmlns='urn:r'>"
        for i in 0..<20_000 { xml += "<item n='\(i)'>caf&#233; \(i)</item>\n" }
        xml += "</r>\n<!-- after -->\n"
        let (streamed, held) = try copies(Array(xml.utf8), appending: "<added/>")
        XCTAssertGreaterThan(held.count, 4 << 16)
        XCTAssertEqual(streamed, held)
        XCTAssertTrue(String(decoding: streamed.suffix(20), as: UTF8.self).hasSuffix("<added/></r>\n"))
    }

    /// An inner element, an empty element given content and one not given content.
    func testInnerAndEmptyElements() throws {
        let xml = Array("<r xmlns:a='urn:a'><a:b x='1' /><c><d/></c></r>".utf8)
        var (streamed, held) = try copies(xml, element: ["b"], appending: "<e/>")
        XCTAssertEqual(String(decoding: streamed, as: UTF8.self),
                       XMLElementSource.declaration + "<a:b xmlns:a=\"urn:a\" x='1' ><e/></a:b>\n")
        XCTAssertEqual(streamed, held)
        (streamed, held) = try copies(xml, element: ["b"], appending: "")
        XCTAssertEqual(String(decoding: streamed, as: UTF8.self), XMLElementSource.declaration + "<a:b xmlns:a=\"urn:a\" x='1' />\n")
        (streamed, held) = try copies(xml, element: ["c"], appending: "<e/>")
        XCTAssertEqual(streamed, held)
    }

    /// A gzip file is inflated as it was for the parse.
    func testAGzipFileIsInflated() throws {
        let xml = Array("<r><a>text</a></r>\n".utf8)
        let plain = dir.appendingPathComponent("g.xml")
        try Data(xml).write(to: plain)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-n", "-c", plain.path]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let packed = pipe.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        let (streamed, held) = try copies(Array(packed), name: "g.xml.gz", appending: "<x/>")
        XCTAssertEqual(String(decoding: streamed, as: UTF8.self), XMLElementSource.declaration + "<r><a>text</a><x/></r>\n")
        XCTAssertEqual(streamed, held)
    }

    /// A file changed after the parse (same size, one byte; longer; shorter) is refused,
    /// wherever the change is, even past the element.
    func testAChangedFileIsRefused() throws {
        let xml = "<r><a>one</a></r>\n<!-- tail -->\n"
        let changes: [(String, (String) -> String)] = [
            ("a byte inside", { $0.replacingOccurrences(of: "one", with: "two") }),
            ("a byte after", { $0.replacingOccurrences(of: "tail", with: "tall") }),
            ("longer", { $0 + "\n" }),
            ("shorter", { String($0.dropLast(3)) }),
        ]
        for (what, change) in changes {
            XCTAssertThrowsError(try copies(Array(xml.utf8), appending: "", change: { url in
                try change(xml).write(to: url, atomically: false, encoding: .utf8)
            }), what) { error in
                XCTAssertTrue("\(error)".contains("has changed since it was loaded"), "\(what): \(error)")
            }
        }
    }
}
