import Foundation
import VigilContent
import VigilCore
import VigilStore
import VigilXML
import XCTest
@testable import VigilReports

/// XCCDF results and ARF copy the content as it was read when it was loaded: the content
/// is parsed once, every report format written from it parses nothing again, and the copy
/// is the content's own (canonically equal to the benchmark, or the whole file, the
/// content holds), for every kind of content Vigil reads. (The SSG copies are not given to
/// `oscap xccdf validate`, which takes most of a minute on them; small content is.)
final class SourceCopyTests: XCTestCase {
    static let guide = "/usr/share/xml/scap/ssg/content/"
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-source-copy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: dir)
    }

    func guideFile(_ name: String) throws -> String {
        let path = Self.guide + name
        guard FileManager.default.fileExists(atPath: path) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(path) is missing in CI") }
            throw XCTSkip("ssg-debian is not installed")
        }
        return path
    }

    /// A stored scan of the content's first rules, with the content, as `vigil report` has it
    /// (each rule with a STIG id, so that the STIG checklists are written too).
    func report(_ content: SCAPContent) -> ReportData {
        let results: [XCCDFResult] = [.pass, .fail, .notapplicable, .error]
        let rules = content.benchmark.ruleOrder.prefix(12).enumerated().map { i, id in
            RuleRecord(ruleID: id, title: content.benchmark.rules[id]?.title ?? "", severity: "medium",
                       result: results[i % results.count],
                       references: [RuleReference(kind: "stig", system: "https://public.cyber.mil/stigs", id: "V-\(1000 + i)")])
        }
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        let record = ScanRecord(hostName: "node-1", hostID: "abc", target: "/", contentPath: content.path,
                                contentSHA256: String(repeating: "ab", count: 32), benchmarkID: content.benchmark.id,
                                benchmarkVersion: content.benchmark.version, profileID: "", vigilVersion: "0.1.0",
                                startedAt: now.addingTimeInterval(-5), finishedAt: now, score: 40, scoreMax: 100,
                                scoreSystem: "urn:xccdf:scoring:default", rules: rules)
        var data = ReportData(scan: StoredScan(unstored: record), rules: rules, generator: "0.1.0", now: now)
        data.scap = SCAPSource(content: content)
        return data
    }

    /// Every report format of `content`; none parses any XML.
    func everyReport(_ content: SCAPContent, file: StaticString = #filePath, line: UInt = #line) throws -> [ReportFormat: Data] {
        let data = report(content)
        let before = XMLDocument.parses
        var out: [ReportFormat: Data] = [:]
        for format in ReportFormat.allCases { out[format] = try ReportPipeline.render(format, data) }
        // Results written to a file are streamed from the content file: the same bytes.
        let written = dir.appendingPathComponent("results-\(UUID().uuidString).xml")
        try ReportPipeline.write(ReportRequest(format: "xccdf", path: written.path), data)
        XCTAssertEqual(try Data(contentsOf: written), out[.xccdf], "results written to a file", file: file, line: line)
        XCTAssertEqual(XMLDocument.parses, before, "writing reports parses nothing", file: file, line: line)
        return out
    }

    /// Loads `path`, checking that the load parses `parses` documents.
    func load(_ path: String, tailoring: String? = nil, parses: Int = 1,
              file: StaticString = #filePath, line: UInt = #line) throws -> SCAPContent {
        let before = XMLDocument.parses
        let content = try SCAPContent.load(path: path, tailoring: tailoring)
        XCTAssertEqual(XMLDocument.parses - before, parses, "documents parsed to load \(path)", file: file, line: line)
        return content
    }

    /// Results and ARF of `content` (read from `source`, its uncompressed XML) are copies of it.
    func checkCopies(_ content: SCAPContent, source: String, verbatim: Bool = true,
                     file: StaticString = #filePath, line: UInt = #line) throws -> [ReportFormat: Data] {
        XCTAssertEqual(content.benchmarkSource?.isVerbatim, verbatim, file: file, line: line)
        XCTAssertEqual(content.rootSource?.isVerbatim, verbatim, file: file, line: line)
        let reports = try everyReport(content, file: file, line: line)
        let id = content.benchmark.id
        try CanonicalCopy.check(.results, source: source, output: try XCTUnwrap(reports[.xccdf]), benchmarkID: id,
                                stripText: !verbatim, file: file, line: line)
        try CanonicalCopy.check(.arf, source: source, output: try XCTUnwrap(reports[.arf]), benchmarkID: id,
                                stripText: !verbatim, file: file, line: line)
        return reports
    }

    func testDebian11DataStreamIsParsedOnceAndCopiedAsWritten() throws {
        let path = try guideFile("ssg-debian11-ds.xml")
        _ = try checkCopies(try load(path), source: path)
    }

    /// A standalone benchmark is read with the OVAL and OCIL files its checks name beside it.
    func testStandaloneBenchmarkWithOVALBeside() throws {
        let path = try guideFile("ssg-debian11-xccdf.xml")
        _ = try checkCopies(try load(path, parses: 3), source: path)
    }

    /// A rule folder's compiled data stream is the source.
    func testRuleFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/linux-baseline").path
        let compiled = dir.appendingPathComponent("compiled.xml")
        try Data(try SCAPContent.compile(folder: folder)).write(to: compiled)
        let content = try SCAPContent.load(path: folder)
        let reports = try checkCopies(content, source: compiled.path)
        try oscapValidates(["xccdf", "validate"], try XCTUnwrap(reports[.xccdf]))
        try oscapValidates(["ds", "rds-validate"], try XCTUnwrap(reports[.arf]))
    }

    /// gzip and bzip2 data streams are copied from their inflated bytes.
    func testCompressedDataStreams() throws {
        let path = try guideFile("ssg-debian11-ds.xml")
        for (tool, suffix) in [("gzip", "gz"), ("bzip2", "bz2")] {
            let packed = dir.appendingPathComponent("ds.xml.\(suffix)")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["sh", "-c", "\(tool) -c \"$0\" > \"$1\"", path, packed.path]
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, tool)
            _ = try checkCopies(try load(packed.path), source: path)
        }
    }
}
