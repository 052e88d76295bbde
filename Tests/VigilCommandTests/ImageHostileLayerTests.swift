import Foundation
import XCTest

/// `vigil scan --image` on hostile layers (built by `build-image.py --preset hostile-NAME`,
/// a good first layer and a hostile second one): each is refused with exit code 1 and a
/// message naming the image, the layer and the entry at fault, and nothing of the host is
/// touched: the host path the hostile entry aims at is as it was, and the scan's $TMPDIR
/// is left empty. Links that point out of the image and device nodes are no fault: they
/// are kept as the headers say, resolved inside the image and never opened.
final class ImageHostileLayerTests: XCTestCase {
    /// The presets refused, what the message must quote of the entry at fault (nil: a fault
    /// of the whole layer blob; MARKER: the host path aimed at), and a word of its cause.
    static let refused: [(preset: String, entry: String?, cause: String)] = [
        ("absolute", "MARKER", "absolute"), ("dotdot", "etc/../../", ".."), ("dotdot-inner", "etc/../../", ".."),
        ("hardlink-outside", "etc/stolen", ".."), ("hardlink-absolute", "etc/stolen", "hard link"),
        ("hardlink-missing", "etc/stolen", "not in the image"), ("hardlink-directory", "etc/stolen", "directory"),
        ("symlink-loop", "etc/a/x", "symbolic links"),
        ("whiteout-parent", ".wh..", "whiteout"), ("whiteout-parent-inner", "etc/.wh..", "whiteout"),
        ("whiteout-dotdot", "etc/.wh..", ".."),
        ("bomb", nil, "maxExpansionRatio"), ("truncate", nil, "truncated"), ("corrupt", nil, "corrupt"),
        ("wrong-digest", nil, "digest mismatch"), ("wrong-diffid", nil, "diff_id"),
    ]

    /// A work area: `host/` holds `secret` (a host file hostile links aim at) and is where
    /// the marker must never appear; `tmp/` is the scan's empty $TMPDIR.
    struct Area {
        /// The host file's text: a login.defs line that would pass the baseline's rule, were
        /// it read through a link out of the image.
        static let secret = "PASS_MAX_DAYS\t60\n"
        let dir: URL
        var host: URL { dir.appendingPathComponent("host") }
        var marker: String { host.appendingPathComponent("marker").path }
        var tmp: URL { dir.appendingPathComponent("tmp") }

        init() throws {
            dir = try ImageCommand.tempDir("hostile")
            try FileManager.default.createDirectory(at: host, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
            try Self.secret.write(to: host.appendingPathComponent("secret"), atomically: false, encoding: .utf8)
        }

        /// The host side is as it was made.
        func assertUntouched(_ what: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertEqual(ImageCommand.contents(of: host), ["secret"], "\(what): the host directory changed", file: file, line: line)
            XCTAssertEqual(try? String(contentsOf: host.appendingPathComponent("secret"), encoding: .utf8), Self.secret, what,
                           file: file, line: line)
            XCTAssertEqual(ImageCommand.contents(of: tmp), [], "\(what): the scan left files in $TMPDIR", file: file, line: line)
        }
    }

    func testHostileLayersAreRefusedNamingImageLayerAndEntry() throws {
        for (preset, entry, cause) in Self.refused {
            let area = try Area()
            // Hard links aim at the existing host file; the other entries at the marker.
            let aim = preset.hasPrefix("hardlink") ? area.host.appendingPathComponent("secret").path : area.marker
            let layout = try ImageCommand.build("hostile-\(preset)", in: area.dir, marker: aim)
            let ref = "oci:\(layout):t"
            let scan = try ImageCommand.vigil(["scan", ImageCommand.baseline, "--image", ref, "--no-store", "--quiet"], tmp: area.tmp)
            XCTAssertEqual(scan.status, 1, "\(preset): \(scan.stderr)")
            XCTAssertTrue(scan.stderr.contains("image \(ref), layer 2 (sha256:"), "\(preset): \(scan.stderr)")
            if let entry {
                let quoted = entry == "MARKER" ? aim : entry
                XCTAssertTrue(scan.stderr.contains("entry '\(quoted)"), "\(preset) names its entry: \(scan.stderr)")
            }
            XCTAssertTrue(scan.stderr.contains(cause), "\(preset) says why (\(cause)): \(scan.stderr)")
            XCTAssertEqual(scan.stderr.split(separator: "\n").count, 1, "\(preset): one line: \(scan.stderr)")
            area.assertUntouched(preset)
            try? FileManager.default.removeItem(at: area.dir)
        }
    }

    /// A symbolic link out of the image and an entry written through it, /etc/login.defs
    /// made a link out of the image to a host file that would pass the rule, or a device
    /// node where that file should be: the scan runs (the baseline fails on this small
    /// image: 2), links resolve inside the image, the device is never opened.
    func testLinksOutAndDeviceNodesStayInsideTheImage() throws {
        let expected = ["symlink-out": "pass", "symlink-absolute-out": "pass", "device": "fail",
                        "symlink-read-out": "fail", "symlink-read-absolute": "fail"]
        for (preset, result) in expected {
            let area = try Area()
            let aim = preset.hasPrefix("symlink-read") ? area.host.appendingPathComponent("secret").path : area.marker
            let layout = try ImageCommand.build("hostile-\(preset)", in: area.dir, marker: aim)
            let report = area.dir.appendingPathComponent("report.json").path
            let scan = try ImageCommand.vigil(["scan", ImageCommand.baseline, "--image", "oci:\(layout):t", "--no-store", "--quiet",
                                               "--report", "json:\(report)"], tmp: area.tmp)
            XCTAssertEqual(scan.status, 2, "\(preset): \(scan.stderr)")
            area.assertUntouched(preset)
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
            let results = Dictionary(uniqueKeysWithValues: (json?["rules"] as? [[String: Any]] ?? []).map {
                (($0["id"] as? String ?? "").components(separatedBy: "_rule_").last ?? "", $0["result"] as? String ?? "")
            })
            // login.defs says PASS_MAX_DAYS 60 in the first layer; as a device, or a link to a
            // host file, it is no file of the image to read.
            XCTAssertEqual(results["accounts_maximum_age_login_defs"], result, "\(preset): \(results)")
        }
    }

    /// A scan killed (SIGKILL) while it decompresses a gzip layer leaves nothing in $TMPDIR:
    /// the spool is unlinked as soon as it is made. The kill comes once the process holds a
    /// file in $TMPDIR open (seen in /proc/PID/fd).
    func testAScanKilledWhileSpoolingLeavesNothing() throws {
        let area = try Area()
        let layout = try ImageCommand.build("large", in: area.dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ImageCommand.vigil)
        p.arguments = ["scan", ImageCommand.baseline, "--image", "oci:\(layout):t", "--no-store", "--quiet"]
        p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": area.tmp.path]) { _, new in new }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var spool: String?
        let deadline = Date().addingTimeInterval(60)
        while spool == nil, p.isRunning, Date() < deadline {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(p.processIdentifier)/fd")) ?? []
            spool = fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(p.processIdentifier)/fd/\($0)") }
                .first { $0.hasPrefix(area.tmp.path + "/") }
            if spool == nil { usleep(2000) }
        }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let seen = try XCTUnwrap(spool, "the scan never held a spool in $TMPDIR open (status \(p.terminationStatus))")
        XCTAssertTrue(seen.hasSuffix(" (deleted)"), "the spool was unlinked when it was seen: \(seen)")
        area.assertUntouched("killed scan")
    }
}
