import Foundation
import XCTest

/// Headless Chromium (Debian's package) loading a page and dumping its DOM after its
/// scripts ran; the tests skip without it, except in CI.
struct Chromium {
    let binary: String
    let profile: URL

    /// The browser, or a skip (a failure in CI) when it is not installed.
    static func find(profileIn dir: URL) throws -> Chromium {
        guard let binary = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("chromium is missing in CI") }
            throw XCTSkip("chromium is not installed (apt-get install chromium)")
        }
        return Chromium(binary: binary, profile: dir.appendingPathComponent("chromium-profile"))
    }

    /// The DOM of `page` (a file) with `fragment` appended to its URL, and the browser's log.
    func dom(_ page: URL, _ fragment: String = "") throws -> (dom: String, log: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                       "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                       "--virtual-time-budget=3000", "--dump-dom", page.absoluteString + fragment]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), String(decoding: errBox.data, as: UTF8.self))
    }

    /// A screenshot of `page` (for people; tests never read it).
    func screenshot(_ page: URL, to png: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)-shot",
                       "--window-size=1280,1000", "--screenshot=\(png)", page.absoluteString]
        try p.run()
        p.waitUntilExit()
    }
}

extension Chromium {
    /// How many rule rows of a report's DOM are shown: rows the page hides carry `hidden`.
    static func visibleRows(_ dom: String) -> Int {
        dom.components(separatedBy: "<tr data-result=").dropFirst()
            .filter { !($0.prefix { $0 != ">" }).contains(" hidden") }.count
    }
}

extension Chromium {
    /// The text of `page` printed to PDF (`--print-to-pdf`, after its scripts ran), read
    /// back with `pdftotext` (poppler-utils); a skip without it, except in CI.
    func printedText(_ page: URL, _ fragment: String = "") throws -> String {
        guard let pdftotext = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("pdftotext is missing in CI") }
            throw XCTSkip("pdftotext is not installed (apt-get install poppler-utils)")
        }
        let pdf = page.deletingPathExtension().appendingPathExtension("pdf")
        let text = page.deletingPathExtension().appendingPathExtension("txt")
        try run(binary, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--user-data-dir=\(profile.path)-print", "--virtual-time-budget=3000", "--no-pdf-header-footer",
                         "--print-to-pdf=\(pdf.path)", page.absoluteString + fragment])
        try run(pdftotext, ["-layout", pdf.path, text.path])
        return try String(contentsOf: text, encoding: .utf8)
    }

    private func run(_ program: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(program) \(arguments.joined(separator: " "))")
    }
}
