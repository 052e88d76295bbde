import Foundation
import XCTest

/// The CI gate on an image end to end: `vigil scan --image ... --fail-on high --report
/// junit:... --report sarif:...` exits by the high failures alone, and every report it
/// writes names the image the layout holds (its manifest digest read from index.json).
final class ImageGateCommandTests: XCTestCase {
    func testTheGateAndItsReportsNameTheImage() throws {
        let dir = try ImageCommand.tempDir("gate")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let layout = try ImageCommand.build("debian-broken", in: dir)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: layout + "/index.json"))) as? [String: Any]
        let manifest = try XCTUnwrap((index?["manifests"] as? [[String: Any]])?.first?["digest"] as? String)
        let out = dir.path
        let scan = try ImageCommand.vigil(["scan", ImageCommand.baseline, "--image", "oci:\(layout):t", "--no-store", "--quiet",
                                           "--fail-on", "high", "--report", "junit:\(out)/vigil.xml",
                                           "--report", "sarif:\(out)/vigil.sarif", "--report", "json:\(out)/vigil.json"], tmp: tmp)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/vigil.json"))) as? [String: Any])
        let rules = try XCTUnwrap(json["rules"] as? [[String: Any]])
        let highFailures = rules.filter { ($0["severity"] as? String) == "high" && ["fail", "error", "unknown"].contains($0["result"] as? String) }
        XCTAssertTrue(rules.contains { ($0["result"] as? String) == "fail" }, "the image fails rules")
        XCTAssertEqual(scan.status, highFailures.isEmpty ? 0 : 2, scan.stderr)

        let image = try XCTUnwrap(json["image"] as? [String: Any])
        XCTAssertEqual(image["manifestDigest"] as? String, manifest)
        XCTAssertEqual((json["target"] as? [String: Any])?["kind"] as? String, "image")
        let junit = try String(contentsOfFile: out + "/vigil.xml", encoding: .utf8)
        XCTAssertTrue(junit.contains(manifest), "the JUnit report names the manifest")
        let sarif = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/vigil.sarif"))) as? [String: Any])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        let id = (run["automationDetails"] as? [String: Any])?["id"] as? String
        XCTAssertEqual(id, "vigil/\(image["name"] as? String ?? "?")/")
        XCTAssertEqual(ImageCommand.contents(of: tmp), [], "nothing left in $TMPDIR")
    }
}
