import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// An object that would collect more than its budget is an error, never a silent truncation.
final class ItemBudgetTests: XCTestCase {
    private func context(_ fx: FileFixture, items: Int = 1_000_000, bytes: Int = 1 << 30) throws -> ProbeContext {
        ProbeContext(target: try fx.target(), itemBudget: ItemBudget(maxItems: items, maxBytes: bytes))
    }

    private func lines(_ count: Int) -> String {
        (0..<count).map { "k=\($0)\n" }.joined()
    }

    private func tfc54(_ path: String) -> ResolvedObject {
        Obj.object("textfilecontent54_object", [
            Obj.entity("filepath", path), Obj.entity("pattern", "^k=(\\d+)$", .patternMatch),
            Obj.entity("instance", "1", .greaterThanOrEqual, datatype: .int),
        ], family: "independent")
    }

    func testTextFileContent54PastTheItemCountIsAnError() throws {
        let fx = try FileFixture()
        try fx.file("/etc/big.conf", lines(2_500))
        let within = TextFileContent54Probe().collect(tfc54("/etc/big.conf"), context: try context(fx, items: 2_500))
        XCTAssertEqual(within.flag, .complete)
        XCTAssertEqual(within.items.count, 2_500)
        let past = TextFileContent54Probe().collect(tfc54("/etc/big.conf"), context: try context(fx, items: 1_000))
        XCTAssertEqual(past.flag, .error)
        XCTAssertLessThanOrEqual(past.items.count, 1_000)
        XCTAssertTrue(past.messages.contains { $0.contains("too many items") && $0.contains("1000 items") }, "\(past.messages)")
    }

    func testTextFileContent54PastTheByteBudgetIsAnError() throws {
        let fx = try FileFixture()
        try fx.file("/etc/big.conf", lines(2_000))
        let one = try XCTUnwrap(TextFileContent54Probe().collect(tfc54("/etc/big.conf"), context: try context(fx)).items.first)
        let past = TextFileContent54Probe().collect(tfc54("/etc/big.conf"),
                                                    context: try context(fx, bytes: one.estimatedBytes * 100))
        XCTAssertEqual(past.flag, .error)
        XCTAssertLessThanOrEqual(past.items.count, 100)
    }

    func testTextFileContentLinesPastTheBudgetIsAnError() throws {
        let fx = try FileFixture()
        // Each line longer than the last: OpenSCAP's line probe searches a line from the end
        // of the previous match on.
        try fx.file("/etc/big.conf", (1...500).map { String(repeating: "x", count: $0) + "\n" }.joined())
        let object = Obj.object("textfilecontent_object", [Obj.entity("filepath", "/etc/big.conf"),
                                                           Obj.entity("line", "x+", .patternMatch)], family: "independent")
        XCTAssertEqual(TextFileContentProbe().collect(object, context: try context(fx)).items.count, 500)
        let past = TextFileContentProbe().collect(object, context: try context(fx, items: 100))
        XCTAssertEqual(past.flag, .error)
        XCTAssertLessThanOrEqual(past.items.count, 100)
    }

    func testFileObjectPastTheBudgetIsAnErrorAloneAndInABatch() throws {
        let fx = try FileFixture()
        for i in 0..<300 { try fx.file("/big/d\(i % 7)/f\(i)", "") }
        let object = Obj.object("file_object", [Obj.entity("path", "/big"), Obj.entity("filename", "^f", .patternMatch)],
                                behaviors: ["recurse_direction": "down"])
        XCTAssertEqual(FileProbe().collect(object, context: try context(fx)).items.count, 300)
        let past = FileProbe().collect(object, context: try context(fx, items: 299))
        XCTAssertEqual(past.flag, .error)
        XCTAssertEqual(past.items.count, 299)

        let small = Obj.object("file_object", [Obj.entity("path", "/big"), Obj.entity("filename", "^f1$", .patternMatch)],
                               behaviors: ["recurse_direction": "down"])
        let batch = FileProbe().collect(batch: [object, small], context: try context(fx, items: 299))
        XCTAssertEqual(batch.map(\.flag), [.error, .complete], "each object of a shared walk has its own budget")
        XCTAssertEqual(batch[1].values("filename"), ["f1"])
    }

    func testDuplicatesAreRemovedKeepingTheFirst() {
        let a = OVALItem(fields: [OVALItemField("path", "/a"), OVALItemField("n", "1", datatype: .int)])
        let b = OVALItem(fields: [OVALItemField("path", "/a"), OVALItemField("n", "1", datatype: .string)])
        let c = OVALItem(status: .error, fields: [OVALItemField("path", "/a"), OVALItemField("n", "1", datatype: .int)])
        XCTAssertEqual(OVALItem.unique([a, b, a, c, b, c]), [a, b, c])
    }
}
