import XCTest
@testable import VigilProbes

/// Deep nesting: read as oscap's libyaml reads it within `NestingBudget` (Yams' copy
/// alone stops at 1000 levels), and an error, quickly, where libyaml's cost per token
/// (one step per open level) would make the scan hang.
final class YAMLPathEventsTests: XCTestCase {
    private func query(_ yaml: String, _ path: String) -> Result<[YAMLContentQuery.Record], QueryFailure> {
        YAMLContentQuery.evaluate(Array(yaml.utf8), yamlPath: path)
    }

    private func nested(_ depth: Int, inner: String = "") -> String {
        "b: 1\na: " + String(repeating: "[", count: depth) + inner + String(repeating: "]", count: depth) + "\nc: 2\n"
    }

    func testNestingOscapReadsIsRead() throws {
        for depth in [1_001, 3_000] {
            let records = try query(nested(depth), ".c").get()
            XCTAssertEqual(records.map { $0.map(\.value) }, [["2"]], "\(depth) levels")
        }
        let maps = "a: " + String(repeating: "{x: ", count: 2_500) + "1" + String(repeating: "}", count: 2_500) + "\nc: 2\n"
        XCTAssertEqual(try query(maps, ".c").get().map { $0.map(\.value) }, [["2"]])
    }

    func testNestingPastTheLimitIsAnError() {
        guard case .failure(let f) = query(nested(150_000), ".b") else { return XCTFail("150,000 levels read") }
        XCTAssertTrue(f.message.contains("nest too deep to read in bounded time (6"), f.message)
    }

    func testManyTokensDeepDownSpendTheBudget() {
        let start = Date()
        // 3,001 levels (with the top map) then 40,000 scalars: about 1.2e8 steps of libyaml's scanner, 1.3 s in oscap.
        let wide = nested(3_000, inner: String(repeating: "1,", count: 40_000) + "1")
        guard case .failure(let f) = query(wide, ".b") else { return XCTFail("read in full") }
        XCTAssertTrue(f.message.contains("nest too deep to read in bounded time (3001 levels at line 2"), f.message)
        print("[budget] refused after \(Date().timeIntervalSince(start)) s")
        // The same scalars 100 levels down cost nothing extra.
        XCTAssertEqual(try query(nested(100, inner: String(repeating: "1,", count: 40_000) + "1"), ".c").get().count, 1)
    }
}
