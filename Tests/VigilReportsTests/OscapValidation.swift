import Foundation
import XCTest

/// Runs `oscap ARGS FILE` on the bytes; it must exit 0 (or, not `expectValid`, not 0).
/// Without oscap the check is skipped (in CI it fails).
func oscapValidates(_ arguments: [String], _ bytes: Data, expectValid: Bool = true) throws {
    guard let oscap = ["/usr/bin/oscap", "/usr/local/bin/oscap"].first(where: FileManager.default.isExecutableFile) else {
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("oscap is missing in CI"); return }
        throw XCTSkip("oscap is not installed")
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-scap-\(UUID().uuidString).xml")
    try bytes.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: oscap)
    process.arguments = arguments + [file.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    XCTAssertEqual(process.terminationStatus == 0, expectValid, "oscap \(arguments.joined(separator: " ")): \(text)")
}
