import CBZip2
import CZlib
import Foundation
import VigilContent
import VigilXML
import XCTest

/// Runs `body` on its own thread and gives its outcome, or nil when it has not finished
/// within `seconds` (a hang becomes a test failure instead of a stuck test run).
func finishes(within seconds: Double, _ body: @escaping @Sendable () throws -> Void) -> Result<Void, Error>? {
    final class Box: @unchecked Sendable { var result: Result<Void, Error>? }
    let box = Box(), done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = Result { try body() }
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    return done.wait(timeout: .now() + seconds) == .success ? box.result : nil
}

/// The error `body` throws within `seconds`; fails the test when it hangs or succeeds.
func refusal(within seconds: Double, _ body: @escaping @Sendable () throws -> Void,
             file: StaticString = #filePath, line: UInt = #line) -> String {
    switch finishes(within: seconds, body) {
    case nil: XCTFail("still running after \(seconds) s", file: file, line: line); return ""
    case .success: XCTFail("accepted", file: file, line: line); return ""
    case .failure(let error): return "\(error)"
    }
}

/// gzip (one member per part, as `cat a.gz b.gz` makes) and bzip2 of bytes, for fixtures.
enum Compress {
    static func gzip(_ parts: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            var stream = z_stream()
            precondition(deflateInit2_(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                       Int32(MemoryLayout<z_stream>.size)) == Z_OK)
            var buffer = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(part.count))) + 64)
            var input = part
            input.withUnsafeMutableBufferPointer { inp in
                buffer.withUnsafeMutableBufferPointer { buf in
                    stream.next_in = inp.baseAddress
                    stream.avail_in = uInt(inp.count)
                    stream.next_out = buf.baseAddress
                    stream.avail_out = uInt(buf.count)
                    precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                }
            }
            out += buffer[0..<Int(stream.total_out)]
            deflateEnd(&stream)
        }
        return out
    }

    static func bzip2(_ parts: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            var input = part.map { CChar(bitPattern: $0) }
            var buffer = [CChar](repeating: 0, count: part.count + part.count / 100 + 700)
            var size = UInt32(buffer.count)
            precondition(BZ2_bzBuffToBuffCompress(&buffer, &size, &input, UInt32(input.count), 9, 0, 0) == BZ_OK)
            out += buffer[0..<Int(size)].map { UInt8(bitPattern: $0) }
        }
        return out
    }
}

extension Fixture {
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func fifo(_ name: String) throws -> String {
        let path = dir.appendingPathComponent(name).path
        guard mkfifo(path, 0o600) == 0 else { throw XCTSkip("cannot make a FIFO here") }
        return path
    }
}

final class HostileContentTests: XCTestCase {
    // MARK: files that are not regular files

    func testFIFOAsContentIsRefusedNotOpened() throws {
        let path = try Fixture().fifo("content.xml")
        let error = refusal(within: 5) { _ = try SCAPContent.load(path: path) }
        XCTAssertEqual(error, "\(path): is a FIFO (named pipe), not a regular file; Vigil reads content only from regular files")
    }

    func testFIFOAsTailoringIsRefusedNotOpened() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let path = try f.write("xccdf.xml", sampleBenchmark())
        let fifo = try f.fifo("tailoring.xml")
        let error = refusal(within: 5) { _ = try SCAPContent.load(path: path, tailoring: fifo) }
        XCTAssertTrue(error.hasPrefix("\(fifo): is a FIFO"), error)
    }

    func testFIFONamedByABenchmarkAsItsOVALIsRefusedNotOpened() throws {
        let f = try Fixture()
        _ = try f.fifo("oval.xml")
        let path = try f.write("xccdf.xml", sampleBenchmark())
        let error = refusal(within: 5) { _ = try SCAPContent.load(path: path) }
        XCTAssertTrue(error.contains("oval.xml: is a FIFO"), error)
    }

    func testCharacterDeviceAsContentIsRefused() {
        let error = refusal(within: 5) { _ = try SCAPContent.load(path: "/dev/zero") }
        XCTAssertEqual(error, "/dev/zero: is a character device, not a regular file; Vigil reads content only from regular files")
    }

    /// The DTD a DOCTYPE names is never loaded: if it were, reading this FIFO would block.
    func testDoctypeSystemIdIsNeverLoaded() throws {
        let f = try Fixture()
        let fifo = try f.fifo("evil.dtd")
        let path = try f.write("doc.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE r SYSTEM \"\(fifo)\">\n<r a=\"1\"/>\n")
        switch finishes(within: 5, { _ = try XMLDocument.parse(file: path) }) {
        case nil: XCTFail("the parser opened the DTD")
        case .failure(let error): XCTFail("\(error)")
        case .success: break
        }
        let remote = try f.write("net.xml", "<!DOCTYPE r PUBLIC \"-//x//y\" \"http://127.0.0.1:9/evil.dtd\">\n<r/>\n")
        XCTAssertNoThrow(try XMLDocument.parse(file: remote), "no DTD is fetched, so none fails to load")
    }

    /// Parameter entities are entity declarations too: refused before any expansion.
    func testParameterEntityBombIsRefused() throws {
        var decls = #"<!ENTITY % a "aaaaaaaaaa">"#
        for i in 1...9 { decls += "<!ENTITY % a\(i) \"" + String(repeating: i == 1 ? "%a;" : "%a\(i - 1);", count: 10) + "\">" }
        let path = try Fixture().write("pe.xml", "<!DOCTYPE r [\(decls) %a9;]>\n<r/>\n")
        let error = refusal(within: 5) { _ = try XMLDocument.parse(file: path) }
        XCTAssertTrue(error.contains("entity declarations are not allowed"), error)
    }

    // MARK: attributes

    func testElementWithHundredThousandAttributesIsRefusedFast() throws {
        let attributes = (0..<100_000).map { "a\($0)=\"\"" }.joined(separator: " ")
        let path = try Fixture().write("attrs.xml", "<?xml version=\"1.0\"?>\n<!-- x -->\n<Benchmark xmlns=\"http://checklists.nist.gov/xccdf/1.2\"\n \(attributes)/>\n")
        let start = Date()
        let error = refusal(within: 10) { _ = try SCAPContent.load(path: path) }
        XCTAssertEqual(error, "\(path):3: element <Benchmark> has more than \(XMLLimits.maxAttributesPerElement) attributes; "
                       + "refused (the limit keeps parsing fast)")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testOnlyRealAttributesCount() throws {
        let limit = XMLLimits.maxAttributesPerElement
        let many = String(repeating: "=", count: limit * 4)
        let attributes = (0..<limit).map { "a\($0)=\"\(many)\"" }.joined(separator: " ")
        // '=' in comments, CDATA, processing instructions, the DOCTYPE, text and quoted values is no attribute.
        let xml = """
        <?xml version="1.0"?>
        <?pi \(many) ?>
        <!DOCTYPE r [ <!-- > \(many) --> <!ELEMENT r ANY> <!ATTLIST r a CDATA "\(many) > "> ]>
        <r \(attributes)>
        <!-- <e \(many) --> <![CDATA[ <e \(many) ]]> text \(many) > \(many)
        <e b='\(many)"\(many)' c="'>'"/></r>
        """
        let path = try Fixture().write("ok.xml", xml)
        XCTAssertEqual(try XMLDocument.parse(file: path).root?.children.first?.attribute("c"), "'>'")
        let over = try Fixture().write("over.xml", xml.replacingOccurrences(of: "<r ", with: "<r z=\"1\" "))
        XCTAssertThrowsError(try XMLDocument.parse(file: over)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(over):4: element <r> has more than"), "\(error)")
        }
    }

    /// 8 MB of `<e/>` would be 2 000 001 tree nodes: refused before libxml2 builds them.
    func testNodeCountIsBounded() throws {
        func doc(_ nodes: Int, attributes: Int = 0) -> [UInt8] {
            Array(("<r>\n" + String(repeating: "<!-- c --><e a=\"1\"/>", count: attributes)
                   + String(repeating: "<e/>", count: nodes - 3 * attributes - 1) + "</r>").utf8)
        }
        let n = XMLLimits.maxNodes
        XCTAssertEqual(n, 2_000_000)
        XCTAssertNoThrow(try doc(n).withUnsafeBufferPointer { try XMLLimits.check($0, label: "ok.xml") })
        XCTAssertNoThrow(try doc(n, attributes: 1000).withUnsafeBufferPointer { try XMLLimits.check($0, label: "ok.xml") })
        XCTAssertThrowsError(try doc(n + 1).withUnsafeBufferPointer { try XMLLimits.check($0, label: "big.xml") }) { error in
            XCTAssertEqual("\(error)", "big.xml:2: the document holds more than 2000000 elements, attributes and other nodes; "
                           + "refused (the limit bounds memory)")
        }
        let path = try Fixture().write("big.xml", bytes: doc(n, attributes: 1000) + Array("<!-- one more -->".utf8))
        XCTAssertThrowsError(try XMLDocument.parse(file: path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):2: the document holds more than"), "\(error)")
        }
    }

    // MARK: compressed content

    func testGzipAndBzip2ContentLoadsLikePlain() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let xml = Array(sampleBenchmark().utf8)
        // Split in two parts: multi-member gzip and multi-stream bzip2 files read whole.
        let parts = [Array(xml[..<100]), Array(xml[100...])]
        // Zero padding after the last gzip member (tape and block tools add it) is ignored.
        let padded = Compress.gzip(parts) + [UInt8](repeating: 0, count: 512)
        for (name, bytes) in [("xccdf.xml.gz", padded), ("xccdf.xml.bz2", Compress.bzip2(parts))] {
            let c = try SCAPContent.load(path: try f.write(name, bytes: bytes))
            XCTAssertEqual(c.benchmark.id, "xccdf_org.example_benchmark_test", name)
            XCTAssertNotNil(c.checkDocuments["oval.xml"], name)
            // The copy results are written in is read again from the file and inflated.
            let copy = try XMLDocument.parse(bytes: try XCTUnwrap(c.benchmarkSource).document(), label: name)
            XCTAssertEqual(copy.root?.attribute("id"), "xccdf_org.example_benchmark_test", name)
        }
    }

    /// A compressed file of a few hundred kilobytes that would inflate to 132 MiB.
    func testDecompressionBombIsRefused() throws {
        let f = try Fixture()
        let spaces = [[UInt8](repeating: 0x20, count: 4 << 20)]
        let (open, close) = ([Array("<Benchmark>".utf8)], [Array("</Benchmark>".utf8)])
        // One compressed member of 4 MiB of spaces, repeated.
        let gz = Compress.gzip(open) + Array(repeating: Compress.gzip(spaces), count: 33).flatMap { $0 } + Compress.gzip(close)
        let bz = Compress.bzip2(open) + Array(repeating: Compress.bzip2(spaces), count: 33).flatMap { $0 } + Compress.bzip2(close)
        for (name, bytes) in [("bomb.xml.gz", gz), ("bomb.xml.bz2", bz)] {
            XCTAssertLessThan(bytes.count, 1 << 20, name)
            let path = try f.write(name, bytes: bytes)
            let error = refusal(within: 30) { _ = try SCAPContent.load(path: path) }
            let format = name.hasSuffix("gz") ? "gzip" : "bzip2"
            XCTAssertEqual(error, "\(path): decompresses (\(format)) to more than the limit of \(XMLLimits.maxDocumentBytes) bytes; refused")
        }
    }

    func testCorruptAndUnsupportedCompressionAreNamed() throws {
        let f = try Fixture()
        let gz = Compress.gzip([Array(sampleBenchmark().utf8)])
        let truncated = try f.write("cut.xml.gz", bytes: Array(gz.prefix(gz.count / 2)))
        XCTAssertThrowsError(try SCAPContent.load(path: truncated)) { error in
            XCTAssertEqual("\(error)", "\(truncated): gzip data ends too early (truncated file)")
        }
        let xz = try f.write("c.xml.xz", bytes: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 0])
        XCTAssertThrowsError(try SCAPContent.load(path: xz)) { error in
            XCTAssertEqual("\(error)", "\(xz): is xz-compressed; Vigil reads plain, gzip or bzip2 XML: unpack it first")
        }
        let zip = try f.write("c.zip", bytes: Array("PK\u{3}\u{4}rest".utf8))
        XCTAssertThrowsError(try SCAPContent.load(path: zip)) { error in
            XCTAssertTrue("\(error)".contains("is zip-compressed"), "\(error)")
        }
    }

    func testInflateStopsAtItsLimit() throws {
        let bytes = Compress.gzip([[UInt8](repeating: 0x41, count: 200_000)])
        XCTAssertEqual(try Decompression.inflate(bytes, file: "x", limit: 200_000).count, 200_000)
        XCTAssertThrowsError(try Decompression.inflate(bytes, file: "x", limit: 199_999))
        let bz = Compress.bzip2([[UInt8](repeating: 0x41, count: 200_000)])
        XCTAssertEqual(try Decompression.inflate(bz, file: "x", limit: 200_000).count, 200_000)
        XCTAssertThrowsError(try Decompression.inflate(bz, file: "x", limit: 199_999))
    }

    // MARK: tailoring

    func tailoring(_ body: String) -> String {
        """
        <?xml version="1.0"?>
        <Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_tailoring_t">
          <version time="2026-01-01T00:00:00">1</version>
          <Profile id="xccdf_org.example_profile_t" extends="xccdf_org.example_profile_base"><title>T</title>
            \(body)
          </Profile>
        </Tailoring>
        """
    }

    let values = """
        <Group id="xccdf_org.example_group_g"><title>G</title></Group>
        <Value id="xccdf_org.example_value_v" type="string"><title>v</title><value>a</value><value selector="b">b</value></Value>
        """

    func testTailoringNamingUnknownItemsIsRefusedWithFileLineAndId() throws {
        let f = try Fixture()
        try f.write("oval.xml", sampleOVAL)
        let path = try f.write("xccdf.xml", sampleBenchmark(extra: values))
        let cases = [
            (#"<select idref="xccdf_org.example_rule_famly" selected="true"/>"#,
             "<select> names xccdf_org.example_rule_famly, which is no rule or group of benchmark xccdf_org.example_benchmark_test"),
            (#"<refine-rule idref="xccdf_org.example_rule_nope" severity="low"/>"#,
             "<refine-rule> names xccdf_org.example_rule_nope, which is no rule or group"),
            (#"<refine-value idref="xccdf_org.example_value_w" selector="b"/>"#,
             "<refine-value> names xccdf_org.example_value_w, which is no value of benchmark"),
            (#"<set-value idref="xccdf_org.example_value_w">5</set-value>"#,
             "<set-value> names xccdf_org.example_value_w, which is no value of benchmark"),
            (#"<refine-value idref="xccdf_org.example_value_v" selector="c"/>"#,
             "value xccdf_org.example_value_v has no selector 'c' (it offers: b)"),
        ]
        for (element, message) in cases {
            let t = try f.write("t.xml", tailoring("<select idref=\"xccdf_org.example_rule_family\" selected=\"true\"/>\n    " + element))
            XCTAssertThrowsError(try SCAPContent.load(path: path, tailoring: t)) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(t):6: tailored profile xccdf_org.example_profile_t: \(message)"), "\(error)")
            }
        }
        let good = try f.write("good.xml", tailoring("""
            <select idref="xccdf_org.example_group_g" selected="true"/>
            <select idref="xccdf_org.example_rule_family" selected="false"/>
            <refine-rule idref="xccdf_org.example_rule_family" severity="low"/>
            <refine-value idref="xccdf_org.example_value_v" selector="b"/>
            <set-value idref="xccdf_org.example_value_v">c</set-value>
            """))
        XCTAssertNoThrow(try SCAPContent.load(path: path, tailoring: good))
    }
}
