import Foundation
import XCTest

/// A scan of an image needs no root: run as `nobody` (through `setpriv`, when the tests run
/// as root as in CI), the scan of the Debian test image gives every rule the verdict the
/// same scan gives as root (files of the image that nobody could read on disk, such as
/// /etc/shadow 0640 root:shadow, are read from the layers), and leaves its $TMPDIR empty.
final class ImageNonRootScanTests: XCTestCase {
    func testNobodyScansAnImageAsRootDoesAndLeavesNothing() throws {
        guard getuid() == 0, let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first(where: FileManager.default.isExecutableFile) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI runs the tests as root, with setpriv") }
            throw XCTSkip("switching to another user needs root and setpriv")
        }
        let dir = try ImageCommand.tempDir("nobody")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let layout = try ImageCommand.build("debian", in: dir)
        var results: [[String: String]] = []
        for user in ["root", "nobody"] {
            // $TMPDIR and the report's folder belong to the user, mode 0700.
            let own = dir.appendingPathComponent(user)
            let tmp = own.appendingPathComponent("tmp")
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            for d in [own, tmp] {
                chmod(d.path, 0o700)
                if user == "nobody" { chown(d.path, 65534, 65534) }
            }
            let report = own.appendingPathComponent("report.json").path
            let args = ["scan", ImageCommand.baseline, "--image", "oci:\(layout):t", "--no-store", "--quiet", "--report", "json:\(report)"]
            let scan = user == "root"
                ? try ImageCommand.vigil(args, tmp: tmp)
                : try ImageCommand.run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", ImageCommand.vigil] + args,
                                       environment: ["TMPDIR": tmp.path, "HOME": own.path])
            XCTAssertEqual(scan.status, 2, "\(user): \(scan.stderr)")
            XCTAssertEqual(ImageCommand.contents(of: tmp), [], "\(user) left files in $TMPDIR")
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
            let rules = try XCTUnwrap(json["rules"] as? [[String: Any]])
            results.append(Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0["result"] as? String ?? "") }))
        }
        XCTAssertGreaterThan(results[0].count, 40)
        XCTAssertEqual(results[0]["xccdf_io.vigil_rule_file_permissions_etc_shadow"], "pass", "read from the layers as root")
        XCTAssertEqual(results[1], results[0], "nobody's verdicts are root's")
    }
}
