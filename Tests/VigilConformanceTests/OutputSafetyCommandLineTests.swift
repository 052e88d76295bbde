import Foundation
import VigilXML
import XCTest

/// What the `vigil` command prints and writes when the scanned system's values (its host
/// name, its root path) hold terminal escapes, line breaks and characters XML forbids.
final class OutputSafetyCommandLineTests: XCTestCase {
    /// A host name that retitles the window, clears the screen, recolours, returns the
    /// cursor, reverses the text direction, holds U+FFFF, which XML forbids, and markup
    /// disguised from Character-based escaping (U+0600 joins the `<`, U+0338 the `>`).
    static let hostName = "evil\u{1B}]0;pwned\u{7}\u{1B}[2J\u{1B}[31mred\rCR\u{FFFF}\u{202E}rtl"
        + markup
    static let markup = "\u{600}<img src=x onerror=document.body.dataset.pwned=1>\u{338}"

    /// Content, a root whose path holds an escape and whose /etc/hostname is `hostName`,
    /// and a database path.
    func hostileRoot() throws -> (content: String, root: URL, db: String) {
        let (content, plainRoot, db) = try StoreCommandLineTests.writeContent(rules: 2, stig: true)
        let root = plainRoot.deletingLastPathComponent().appendingPathComponent("root\u{1B}[7m")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        try Data((Self.hostName + "\n").utf8).write(to: root.appendingPathComponent("etc/hostname"))
        return (content, root, db)
    }

    func assertNoRawControls(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let raw = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) || $0 == "\u{202E}" }
        XCTAssertTrue(raw.isEmpty, "\(what) prints raw \(raw.map { String(format: "U+%04X", $0.value) }): \(text.debugDescription)",
                      file: file, line: line)
    }

    func testTerminalOutputShowsControlCharactersVisibly() throws {
        let (content, root, db) = try hostileRoot()
        let scan = try StoreCommandLineTests.vigil(["scan", content, "--root", root.path], db: db)
        XCTAssertEqual(scan.status, 2, scan.stderr)
        assertNoRawControls(scan.stdout, "the scan summary")
        XCTAssertTrue(scan.stdout.contains("root\\x1b[7m"), scan.stdout)
        try StoreCommandLineTests.setFlag(root, true)
        XCTAssertEqual(try StoreCommandLineTests.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 0)
        try StoreCommandLineTests.setFlag(root, false)
        XCTAssertEqual(try StoreCommandLineTests.vigil(["scan", content, "--root", root.path, "--quiet"], db: db).status, 2)

        let visibleHost = "evil\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred\\rCR\u{FFFF}\\u{202e}rtl" + Self.markup
        for args in [["show", "last", "--all"], ["history"], ["drift"]] {
            let out = try StoreCommandLineTests.vigil(args, db: db)
            XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
            assertNoRawControls(out.stdout, "vigil \(args.joined(separator: " "))")
            XCTAssertTrue(out.stdout.contains(args == ["history"] ? String(visibleHost.prefix(20)) : visibleHost),
                          "\(args): \(out.stdout)")
        }
        let show = try StoreCommandLineTests.vigil(["show", "last"], db: db)
        XCTAssertEqual(show.stdout.split(separator: "\n").filter { $0.hasPrefix("Host: ") }.count, 1, "the host is one line")

        // JSON carries the exact value, escaped by the encoder.
        let json = try StoreCommandLineTests.vigil(["show", "last", "--format", "json"], db: db)
        XCTAssertFalse(json.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "JSON escapes control characters")
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((shown["scan"] as? [String: Any])?["hostName"] as? String, Self.hostName)
    }

    /// Content may hold what XML allows and a terminal obeys: C1 controls (U+009B is CSI)
    /// and bidirectional overrides. `vigil info` shows them visibly.
    func testInfoShowsContentControlsVisibly() throws {
        let dir = try Shell.tempDir()
        let path = dir.appendingPathComponent("xccdf.xml").path
        try """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_c1" resolved="1">
              <status>draft</status><title>T&#x9B;2J&#x202E;x</title><version>1</version>
              <Profile id="xccdf_org.example_profile_p"><title>P&#x85;line</title></Profile>
            </Benchmark>
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let out = try Shell.run(Shell.vigilBinary, ["info", path])
        XCTAssertEqual(out.status, 0, out.stderr)
        assertNoRawControls(out.stdout, "vigil info")
        XCTAssertTrue(out.stdout.contains("Title: T\\x9b2J\\u{202e}x"), out.stdout)
        XCTAssertTrue(out.stdout.contains("P\\x85line"), out.stdout)
    }

    /// Every XML report, from the scan and from the store, parses with libxml2 (the
    /// parser of xmllint) and shows the forbidden characters visibly.
    func testXMLReportsOfAHostileHostAreWellFormed() throws {
        let (content, root, db) = try hostileRoot()
        let dir = try Shell.tempDir()
        var files: [String] = []
        var args = ["scan", content, "--root", root.path, "--quiet"]
        for format in ["junit", "ckl", "xccdf", "arf"] {
            let path = dir.appendingPathComponent("scan.\(format)").path
            args += ["--report", "\(format):\(path)"]
            files.append(path)
        }
        let scan = try StoreCommandLineTests.vigil(args, db: db)
        XCTAssertEqual(scan.status, 2, scan.stderr)
        for format in ["junit", "ckl", "xccdf", "arf"] {
            let path = dir.appendingPathComponent("stored.\(format)").path
            let out = try StoreCommandLineTests.vigil(["report", "last", "--format", format, "--out", path], db: db)
            XCTAssertEqual(out.status, 0, "\(format): \(out.stderr)")
            files.append(path)
        }
        for path in files {
            XCTAssertNoThrow(try XMLDocument.parse(file: path), path)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if !path.hasSuffix("scan.xccdf") {
                XCTAssertTrue(text.contains("\\x1b]0;pwned") || text.contains("evil-"), "\(path) names the host: \(text.prefix(2000))")
            }
        }
        // The HTML report of the same scan shows the markup as text.
        let html = dir.appendingPathComponent("stored.html")
        XCTAssertEqual(try StoreCommandLineTests.vigil(["report", "last", "--format", "html", "--out", html.path], db: db).status, 0)
        let page = try String(contentsOf: html, encoding: .utf8)
        // Searched as bytes: String.contains compares Characters, and U+0600 joins the "<".
        func bytes(_ text: String) -> Bool { Data(page.utf8).range(of: Data(text.utf8)) != nil }
        XCTAssertFalse(bytes("<img"), "no <img> tag from the host name")
        XCTAssertTrue(bytes("\u{600}&lt;img src=x onerror=document.body.dataset.pwned=1&gt;\u{338}"))
        if let oscap = Shell.which("oscap") {
            XCTAssertEqual(try Shell.run(oscap, ["xccdf", "validate", dir.appendingPathComponent("stored.xccdf").path]).status, 0)
            XCTAssertEqual(try Shell.run(oscap, ["ds", "rds-validate", dir.appendingPathComponent("stored.arf").path]).status, 0)
        }
    }
}
