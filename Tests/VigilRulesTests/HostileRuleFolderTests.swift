import Foundation
import VigilContent
import XCTest
@testable import VigilRules

/// The problems `RuleFolder.load` finds in `dir` within `seconds` (paths relative to
/// `dir`); fails the test when it hangs or the folder loads.
func folderProblems(_ dir: String, within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    final class Box: @unchecked Sendable { var result: Result<RuleBenchmark, Error>? }
    let box = Box(), done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = Result { try RuleFolder.load(dir) }
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    guard done.wait(timeout: .now() + seconds) == .success, let result = box.result else {
        XCTFail("still loading after \(seconds) s", file: file, line: line)
        return []
    }
    switch result {
    case .success: XCTFail("the folder loaded", file: file, line: line); return []
    case .failure(let e as RuleErrors): return e.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
    case .failure(let e): XCTFail("\(e)", file: file, line: line); return []
    }
}

/// Nested aliases: `levels` anchors of nine aliases to the one before, the last used as a
/// mapping key (hashing it walks every expanded node).
func aliasBomb(levels: Int) -> String {
    var lines = [#"l0: &l0 ["x","x","x","x","x","x","x","x","x"]"#]
    for i in 1...levels { lines.append("l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ",") + "]") }
    lines.append("? *l\(levels)\n: x")
    return lines.joined(separator: "\n") + "\n"
}

final class HostileRuleFolderTests: XCTestCase {
    func good() -> [String: String] {
        ["benchmark.yaml": benchmarkYAML, "ssh/root_login.yaml": rootLoginYAML, "ssh/max_tries.yaml": maxTriesYAML]
    }

    func link(_ dir: String, _ name: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: (dir as NSString).appendingPathComponent(name), withDestinationPath: target)
    }

    // MARK: links and special files

    func testLinkToParentFolderIsRefusedNotWalked() throws {
        let dir = try ruleFolder(good())
        try link(dir, "ssh/up", to: "..")
        try link(dir, "ssh/self", to: ".")
        XCTAssertEqual(folderProblems(dir), relative([
            "ssh/self: a symbolic link to the folder \(realPath(dir))/ssh; refused: it loops back to a folder that holds it",
            "ssh/up: a symbolic link to the folder \(realPath(dir)); refused: it loops back to a folder that holds it",
        ], dir))
    }

    func testLinksOutOfTheFolderAreRefused() throws {
        let outside = try ruleFolder(["elsewhere/rule.yaml": rootLoginYAML])
        let dir = try ruleFolder(good())
        try link(dir, "shared", to: outside + "/elsewhere")
        try link(dir, "ssh/borrowed.yaml", to: outside + "/elsewhere/rule.yaml")
        try link(dir, "up", to: "..")
        XCTAssertEqual(folderProblems(dir), [
            "shared: a symbolic link to the folder \(realPath(outside))/elsewhere; refused: it leads out of the rule folder",
            "up: a symbolic link to the folder \(realPath((dir as NSString).deletingLastPathComponent)); refused: it leads out of the rule folder",
            "ssh/borrowed.yaml: a symbolic link to \(realPath(outside))/elsewhere/rule.yaml, which is outside the rule folder; refused",
        ])
    }

    /// Two folders linking to each other: each link is refused, neither is walked twice.
    func testLinkLoopBetweenSubfoldersIsRefused() throws {
        var files = good()
        files["a/x.yaml"] = maxTriesYAML.replacingOccurrences(of: "id: max_tries", with: "id: other")
        files["b/.keep"] = ""
        let dir = try ruleFolder(files)
        try link(dir, "a/to_b", to: "../b")
        try link(dir, "b/to_a", to: "../a")
        XCTAssertEqual(folderProblems(dir), relative([
            "a/to_b: a symbolic link to the folder \(realPath(dir))/b; refused: its rules would be read twice",
            "b/to_a: a symbolic link to the folder \(realPath(dir))/a; refused: its rules would be read twice",
        ], dir))
    }

    /// A link to a rule file inside the folder is read like the file; a broken one is named.
    func testLinksToFilesInsideTheFolderAreRead() throws {
        var files = good()
        files["ssh/root_login.yaml"] = nil
        files["store/root_login.txt"] = rootLoginYAML
        let dir = try ruleFolder(files)
        try link(dir, "ssh/root_login.yaml", to: "../store/root_login.txt")
        XCTAssertEqual(try RuleFolder.load(dir).rules.map(\.id).sorted(), ["max_tries", "root_login"])
        try link(dir, "ssh/gone.yaml", to: "nowhere.yaml")
        XCTAssertEqual(folderProblems(dir), ["ssh/gone.yaml: a symbolic link to nothing (broken link)"])
    }

    func testFIFOsInTheFolderAreRefusedNotOpened() throws {
        var files = good()
        files["benchmark.yaml"] = nil
        let dir = try ruleFolder(files)
        XCTAssertEqual(mkfifo(dir + "/ssh/pipe.yaml", 0o600), 0)
        XCTAssertEqual(mkfifo(dir + "/ssh/pipe.txt", 0o600), 0, "not a rule file: never opened, never named")
        XCTAssertEqual(mkfifo(dir + "/benchmark.yaml", 0o600), 0)
        XCTAssertEqual(folderProblems(dir), [
            "benchmark.yaml: is a FIFO (named pipe), not a regular file; Vigil reads content only from regular files",
            "ssh/pipe.yaml: is a FIFO (named pipe), not a regular file; refused",
        ])
    }

    // MARK: YAML size

    func testAliasBombInARuleFileFailsFastWithFileAndLine() throws {
        var files = good()
        files["ssh/bomb.yaml"] = aliasBomb(levels: 8)
        XCTAssertLessThan(files["ssh/bomb.yaml"]!.utf8.count, 500)
        let start = Date()
        XCTAssertEqual(folderProblems(try ruleFolder(files)), [
            "ssh/bomb.yaml:6: the document holds more than \(YAMLInput.maxNodes) nodes once its aliases are expanded (an alias bomb?); refused",
        ])
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
    }

    func testAliasBombInBenchmarkFileFailsFast() throws {
        var files = good()
        files["benchmark.yaml"] = benchmarkYAML + "\n" + aliasBomb(levels: 9)
        XCTAssertEqual(folderProblems(try ruleFolder(files)).count, 1)
    }

    func testDeepNestingAndHugeFilesAreRefused() throws {
        var files = good()
        files["ssh/deep.yaml"] = "id: deep\ncheck: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        files["ssh/deeper.yaml"] = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        files["ssh/huge.yaml"] = "id: huge\ndescription: " + String(repeating: "x", count: YAMLInput.maxFileBytes) + "\n"
        let p = folderProblems(try ruleFolder(files))
        XCTAssertEqual(p.count, 3, "\(p)")
        XCTAssertEqual(p.first, "ssh/deep.yaml:2: mappings and sequences nest more than \(YAMLInput.maxDepth) deep; refused")
        // Beyond 1 000 levels the libyaml Yams bundles stops first; either way, no deep recursion.
        XCTAssertTrue(p.dropFirst().first?.hasPrefix("ssh/deeper.yaml:1: ") == true, "\(p)")
        XCTAssertEqual(p.last, "ssh/huge.yaml: is \(YAMLInput.maxFileBytes + 23) bytes, more than the limit of \(YAMLInput.maxFileBytes) bytes")
    }

    /// Anchors and aliases within the limits are ordinary YAML and keep working.
    func testModestAliasesStillLoad() throws {
        var files = good()
        files["ssh/root_login.yaml"] = rootLoginYAML
            .replacingOccurrences(of: "files: [/etc/ssh/sshd_config]", with: "files: &cfg [/etc/ssh/sshd_config]")
        files["ssh/max_tries.yaml"] = maxTriesYAML
            .replacingOccurrences(of: "description: Few tries.", with: "description: &d Few tries.\nrationale: *d")
        let b = try RuleFolder.load(try ruleFolder(files))
        XCTAssertEqual(b.rules.first { $0.id == "max_tries" }?.rationale, "Few tries.")
    }

    func testLimitsHoldAtTheirValues() throws {
        let atDepth = String(repeating: "[", count: YAMLInput.maxDepth) + String(repeating: "]", count: YAMLInput.maxDepth)
        XCTAssertNoThrow(try YAMLInput.check(atDepth))
        XCTAssertThrowsError(try YAMLInput.check("[" + atDepth + "]"))
        // 1 004 + 1 000 k nodes: the mapping, two keys, a sequence of 999 and one of k aliases to it.
        func doc(_ k: Int) -> String {
            "a: &a [" + Array(repeating: "x", count: 999).joined(separator: ",") + "]\n"
                + "b: [" + Array(repeating: "*a", count: k).joined(separator: ",") + "]\n"
        }
        XCTAssertEqual(YAMLInput.maxNodes, 250_000)
        XCTAssertNoThrow(try YAMLInput.check(doc(248)))
        XCTAssertThrowsError(try YAMLInput.check(doc(249))) { error in
            XCTAssertEqual((error as? YAMLLimitError)?.line, 2)
        }
    }

    func realPath(_ p: String) -> String { URL(fileURLWithPath: p).resolvingSymlinksInPath().path }

    /// Messages as `folderProblems` gives them, with paths relative to `dir`.
    func relative(_ messages: [String], _ dir: String) -> [String] {
        messages.map { $0.replacingOccurrences(of: dir + "/", with: "") }
    }
}
