import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// A rule's message stays short however many binaries its patterns reach.
final class GoBinaryMessageTests: XCTestCase {
    func testManyBrokenBinariesGiveAShortMessage() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-go-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/opt/bin", withIntermediateDirectories: true)
        // Truncated ELF headers: each a problem ("ELF header ... lies outside the file").
        let broken = Data([0x7f, 0x45, 0x4c, 0x46, 2, 1] + [UInt8](repeating: 0, count: 20))
        for i in 0..<200 { try broken.write(to: URL(fileURLWithPath: "\(root)/opt/bin/kubelet-\(i)")) }
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: "go_binary", parameters: [("paths", ["/opt/bin/*"]), ("crypto", ["boringcrypto"])]))
        let v = check.evaluate(NativeContext(target: try RootTarget(root)))
        XCTAssertEqual(v.result, .error)
        XCTAssertEqual(v.evidence.count, 6, "\(v.evidence)")
        let message = try XCTUnwrap(v.message)
        XCTAssertTrue(message.hasPrefix("/opt/bin/kubelet-0: ELF header"), message)
        XCTAssertTrue(message.hasSuffix("and 195 more"), String(message.suffix(200)))
        XCTAssertLessThan(message.count, 1200)
    }
}
