import XCTest
@testable import VigilProbes

/// Paths and messages follow OpenSCAP's yaml-path library (v1).
final class YAMLPathTests: XCTestCase {
    private func segments(_ s: String) throws -> [YAMLPath.Segment] { try YAMLPath(parsing: s).segments }

    private func error(_ s: String) -> String? {
        do {
            _ = try YAMLPath(parsing: s)
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testEquivalentSpellings() throws {
        let expected: [YAMLPath.Segment] = [.root, .key("foo"), .index(0), .key("bar")]
        for p in ["$.foo[0].bar", ".foo[0]['bar']", "['foo'][0].bar", "foo[0].bar", "foo[0][\"bar\"]"] {
            XCTAssertEqual(try segments(p), expected, p)
        }
    }

    func testSelectionsSetsAndAnchors() throws {
        XCTAssertEqual(try segments(".a.*"), [.root, .key("a"), .selection([])])
        XCTAssertEqual(try segments(".a[*]"), [.root, .key("a"), .selection([])])
        XCTAssertEqual(try segments(".a['x',\"y's\"]"), [.root, .key("a"), .selection(["x", "y's"])])
        XCTAssertEqual(try segments(".a[:]"), [.root, .key("a"), .set([])])
        XCTAssertEqual(try segments(".a[1, 3,5]"), [.root, .key("a"), .set([1, 3, 5])])
        XCTAssertEqual(try segments("&anc.k"), [.anchor("anc"), .key("k")])
        XCTAssertEqual(try segments("$"), [.root])
        XCTAssertEqual(try segments(".a[]"), [.root, .key("a"), .index(0)])
        XCTAssertEqual(try segments(".a['b.c']"), [.root, .key("a"), .key("b.c")])
    }

    func testErrors() {
        XCTAssertEqual(error(""), "Path string is NULL or empty")
        XCTAssertEqual(error("."), "Segment key is missing")
        XCTAssertEqual(error("["), "Segment index is invalid (unexpected end of string, missing ']')")
        XCTAssertEqual(error(".a[-1]"), "Segment index is invalid (negative number)")
        XCTAssertEqual(error(".a[1,]"), "Segment set is invalid (invalid character)")
        XCTAssertEqual(error(".a[x]"), "Segment index is invalid (invalid character)")
        XCTAssertEqual(error(".a['x"), "Segment key is invalid (unexpected end of string, missing closing quotation mark)")
        XCTAssertEqual(error(".a['x'"), "Segment key is invalid (unexpected end of string, missing ']')")
        XCTAssertEqual(error(".a['x'y]"), "Segment key is invalid (invalid character)")
        XCTAssertEqual(error(".a[0]&b"), "Anchor segment is only allowed at the beginning of the path")
        XCTAssertEqual(error(".a[0]$"), "Root segment is only allowed at the beginning of the path")
        XCTAssertEqual(error("&"), "Segment anchor is invalid (empty)")
    }
}
