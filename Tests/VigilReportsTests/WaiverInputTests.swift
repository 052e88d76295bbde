import Foundation
import VigilRules
import XCTest
@testable import VigilReports

/// Waiver files as hostile or careless input: impossible dates, alias bombs, FIFOs.
final class WaiverInputTests: XCTestCase {
    func waiver(expires: String) -> String {
        "waivers:\n  - rule: a\n    reason: b\n    owner: c\n    expires: \(expires)\n"
    }

    func temporaryFile(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-waivers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    /// `WaiverList.load(path)` run on its own thread: its error, or a test failure when it
    /// hangs past `seconds` or succeeds.
    func loadError(_ path: String, within seconds: Double) -> WaiverError? {
        final class Box: @unchecked Sendable { var result: Result<WaiverList, Error>? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        Thread {
            box.result = Result { try WaiverList.load(path) }
            done.signal()
        }.start()
        guard done.wait(timeout: .now() + seconds) == .success, let result = box.result else {
            XCTFail("still loading after \(seconds) s")
            return nil
        }
        guard case .failure(let error) = result, let e = error as? WaiverError else {
            XCTFail("loaded: \(result)")
            return nil
        }
        return e
    }

    func testImpossibleDatesAreRefusedWithFileAndLine() {
        for date in ["2030-02-31", "2026-13-01", "2026-02-29", "2100-02-29", "2026-04-31", "2026-00-10", "2026-01-00",
                     "2026-1-01", "+026-01-01", "2026-+1-01", "1969-12-31", "2026-01-01x", "2026-06-31"] {
            XCTAssertThrowsError(try WaiverList.parse(waiver(expires: date), file: "w.yaml"), date) { error in
                XCTAssertEqual("\(error)", "w.yaml:5: 'expires' must be a date of the calendar written YYYY-MM-DD, not '\(date)'")
            }
        }
        for date in ["2028-02-29", "2000-02-29", "2026-12-31", "2026-01-31", "2026-06-30", "1970-01-01"] {
            XCTAssertEqual(try WaiverList.parse(waiver(expires: date), file: "w.yaml").waivers.first?.expires, date)
        }
    }

    func testAliasBombFailsFastWithFileAndLine() throws {
        var lines = [#"l0: &l0 ["x","x","x","x","x","x","x","x","x"]"#]
        for i in 1...8 { lines.append("l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ",") + "]") }
        let text = lines.joined(separator: "\n") + "\n? *l8\n: x\nwaivers: []\n"
        XCTAssertLessThan(text.utf8.count, 500)
        let path = try temporaryFile("bomb.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let start = Date()
        let e = loadError(path, within: 10)
        XCTAssertEqual(e?.description, "\(path):6: the document holds more than \(YAMLInput.maxNodes) nodes once its aliases are expanded "
                       + "(an alias bomb?); refused")
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testFIFOIsRefusedNotOpened() throws {
        let path = try temporaryFile("waivers.yaml")
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        XCTAssertEqual(loadError(path, within: 5)?.description,
                       "\(path): is a FIFO (named pipe), not a regular file; Vigil reads content only from regular files")
    }

    func testOversizeAndNonUTF8FilesAreRefused() throws {
        let big = try temporaryFile("big.yaml")
        try Data(("waivers: []\n#" + String(repeating: "x", count: YAMLInput.maxFileBytes)).utf8).write(to: URL(fileURLWithPath: big))
        XCTAssertEqual(loadError(big, within: 5)?.message, "is \(YAMLInput.maxFileBytes + 13) bytes, more than the limit of \(YAMLInput.maxFileBytes) bytes")
        let latin1 = try temporaryFile("latin1.yaml")
        try Data([0x77, 0x61, 0x69, 0x76, 0x65, 0x72, 0x73, 0x3A, 0x20, 0xE9, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        XCTAssertEqual(loadError(latin1, within: 5)?.message, "not UTF-8 text")
    }
}
