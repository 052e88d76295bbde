import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// A pattern that reaches more names than the expansion limit is an error, never a
/// verdict on the names that happened to come first.
final class GoBinaryPathLimitTests: XCTestCase {
    func testAPatternPastTheLimitIsAnErrorNotAPass() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-go-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // 300 data directories; only the last holds a kubelet, and it is not a Go binary.
        for i in 0..<300 { try FileManager.default.createDirectory(atPath: "\(root)/opt/d/\(1000 + i)/bin", withIntermediateDirectories: true) }
        try Data("#!/bin/sh\n".utf8).write(to: URL(fileURLWithPath: "\(root)/opt/d/1299/bin/kubelet"))
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: "go_binary", parameters: [("paths", ["/opt/d/*/bin/kubelet"]), ("crypto", ["boringcrypto"])]))
        let v = check.evaluate(NativeContext(target: try RootTarget(root)))
        XCTAssertNotEqual(v.result, .pass, "\(v)")
        XCTAssertEqual(v.result, .error, "\(v)")
        XCTAssertTrue(v.message?.contains("/opt/d/*/bin/kubelet: reaches more than 256 paths") == true, "\(v)")
    }
}
