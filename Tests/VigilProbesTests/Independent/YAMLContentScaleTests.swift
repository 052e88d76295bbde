import Foundation
import XCTest
@testable import VigilProbes

/// yamlfilecontent over API dumps the size of a large cluster's (tens of thousands of
/// objects in one list): the work grows linearly with the values a path selects.
final class YAMLContentScaleTests: XCTestCase {
    /// A compact JSON list of `n` namespace objects, as the compliance operator dumps
    /// `/api/v1/namespaces`.
    func namespaces(_ n: Int) -> [UInt8] {
        let items = (0..<n).map { #"{"kind":"Namespace","metadata":{"name":"app-\#($0)","uid":"u\#($0)"}}"# }
        return Array(#"{"kind":"NamespaceList","items":[\#(items.joined(separator: ","))]}"#.utf8)
    }

    /// `.items[:].metadata.name` over 40,000 objects is one record of 40,000 `#` fields, in
    /// document order; 4 times the objects take about 4 times as long, not 16.
    func testASelectedSequenceGrowsLinearly() throws {
        func run(_ n: Int) throws -> (records: [YAMLContentQuery.Record], seconds: Double) {
            let bytes = namespaces(n)
            let start = Date()
            let records = try YAMLContentQuery.evaluate(bytes, yamlPath: ".items[:].metadata.name").get()
            return (records, Date().timeIntervalSince(start))
        }
        let small = try run(10_000), large = try run(40_000)
        XCTAssertEqual(large.records.count, 1)
        let fields = try XCTUnwrap(large.records.first)
        XCTAssertEqual(fields.count, 40_000)
        XCTAssertEqual(fields.first?.name, "#")
        XCTAssertEqual(fields.first?.value, "app-0")
        XCTAssertEqual(fields.last?.value, "app-39999")
        // Quadratic work (each value appended by copying the record) takes about 16 times
        // as long for 4 times the values; linear about 4. Allow for noise on a busy machine.
        XCTAssertLessThan(large.seconds, max(small.seconds * 9, 0.5), "10,000: \(small.seconds) s, 40,000: \(large.seconds) s")
    }
}
