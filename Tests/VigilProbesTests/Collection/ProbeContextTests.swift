import Foundation
import VigilOVAL
import VigilProbes
import XCTest

final class ProbeContextTests: XCTestCase {
    func makeRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-ctx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        return root
    }

    func testSmallFilesAreReadOncePerScan() throws {
        let root = try makeRoot()
        let file = root.appendingPathComponent("etc/app.conf")
        try "first\n".write(to: file, atomically: true, encoding: .utf8)
        let context = ProbeContext(target: try RootTarget(root.path))
        XCTAssertEqual(try context.readFile("/etc/app.conf"), Array("first\n".utf8))
        try "second\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try context.readFile("/etc/app.conf"), Array("first\n".utf8), "the scan sees one version of a file")
        XCTAssertThrowsError(try context.readFile("/etc/missing.conf"))
        let fresh = ProbeContext(target: try RootTarget(root.path))
        XCTAssertEqual(try fresh.readFile("/etc/app.conf"), Array("second\n".utf8))
    }

    func testUnusedCostlyFieldIsLeftOut() throws {
        let root = try makeRoot()
        try "x".write(to: root.appendingPathComponent("etc/f"), atomically: true, encoding: .utf8)
        let object = OVALObject(id: "oval:x:obj:1", type: "file_object", family: "unix",
                                entities: [OVALEntity(name: "filepath", value: "/etc/f")])
        let resolved = ResolvedObject(object: object, entities: [ResolvedEntity(entity: object.entities[0], values: ["/etc/f"])])
        let all = ProbeCollector(target: try RootTarget(root.path)).collect(resolved)
        XCTAssertEqual(all.items.first?.fields(named: "has_extended_acl").count, 1)
        let lean = ProbeCollector(target: try RootTarget(root.path), fieldsInUse: ["uread"]).collect(resolved)
        XCTAssertEqual(lean.items.first?.fields(named: "has_extended_acl").count, 0)
        XCTAssertEqual(lean.items.first?.value("uread"), "true")
    }
}
