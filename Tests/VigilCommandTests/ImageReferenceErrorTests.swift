import Foundation
import XCTest

/// `vigil scan --image` on references that name nothing scannable: a tag the layout lacks,
/// a platform the index lacks, an archive without the name asked for, a directory that is
/// no layout, a root file-system "tarball" that is not a tar, a layout missing a layer's
/// blob. Each exits 1 with one line naming the image as typed, stores nothing and writes no
/// report.
final class ImageReferenceErrorTests: XCTestCase {
    func testReferencesToNothingScannableAreOneLineErrorsNamingTheImage() throws {
        let dir = try ImageCommand.tempDir("refs")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let tmp = dir.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        let layout = try ImageCommand.build("debian", in: dir)
        let index = try ImageCommand.build("two-platform", in: dir, name: "index")
        let saved = dir.appendingPathComponent("saved.tar").path
        let r = try ImageCommand.run("/usr/bin/env", ["python3", ImageCommand.script, "--preset", "debian", dir.appendingPathComponent("plain").path,
                                                      "--compression", "none", "--docker-save", "\(saved):app:1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let empty = dir.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let notTar = dir.appendingPathComponent("not-a-tar.tar").path
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }).write(to: URL(fileURLWithPath: notTar))
        // A copy of the layout whose top layer's blob is gone.
        let holed = try ImageCommand.build("debian", in: dir, name: "holed")
        let top = try topLayerBlob(holed)
        try FileManager.default.removeItem(atPath: top)

        let db = dir.appendingPathComponent("vigil.db").path
        let report = dir.appendingPathComponent("report.json").path
        let cases: [(args: [String], says: String)] = [
            (["--image", "oci:\(layout):nope"], "nope"),
            (["--image", "oci:\(index):t", "--platform", "linux/s390x"], "linux/s390x"),
            (["--image", "oci:\(empty)"], empty),
            (["--image", "docker-archive:\(saved):other:1"], "other:1"),
            (["--image", "rootfs:\(notTar)"], "tar"),
            (["--image", "oci:\(holed):t"], "layer 3"),
        ]
        for (args, says) in cases {
            let scan = try ImageCommand.vigil(["scan", ImageCommand.baseline] + args + ["--db", db, "--quiet", "--report", "json:\(report)"],
                                              tmp: tmp)
            let ref = args[1]
            XCTAssertEqual(scan.status, 1, "\(ref): \(scan.stderr)")
            XCTAssertTrue(scan.stderr.contains("image \(ref)"), "\(ref): \(scan.stderr)")
            XCTAssertTrue(scan.stderr.contains(says), "\(ref) says \(says): \(scan.stderr)")
            XCTAssertEqual(scan.stderr.split(separator: "\n").count, 1, "\(ref): one line: \(scan.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: db), "\(ref): nothing is stored")
            XCTAssertFalse(FileManager.default.fileExists(atPath: report), "\(ref): no report is written")
            XCTAssertEqual(ImageCommand.contents(of: tmp), [], "\(ref): nothing left in $TMPDIR")
        }
    }

    /// The path of the top layer's blob of a single-image layout.
    func topLayerBlob(_ layout: String) throws -> String {
        func json(_ path: String) throws -> [String: Any] {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        }
        func blob(_ digest: String) -> String { layout + "/blobs/sha256/" + digest.dropFirst(7) }
        let index = try json(layout + "/index.json")
        let manifest = try json(blob(try XCTUnwrap((index["manifests"] as? [[String: Any]])?.first?["digest"] as? String)))
        return blob(try XCTUnwrap((manifest["layers"] as? [[String: Any]])?.last?["digest"] as? String))
    }
}
