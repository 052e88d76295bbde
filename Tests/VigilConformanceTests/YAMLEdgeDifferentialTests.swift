import Foundation
import XCTest
import VigilContent
import VigilOVAL
import VigilProbes
import VigilTarget
import VigilXML

/// Malformed and unusual YAML and JSON (`YAMLEdgeTree`) against oscap 1.3.7 with
/// `OSCAP_PROBE_ROOT`: `yamlfilecontent` objects over many YAML paths and flag-style
/// `textfilecontent54` regexes give the same verdict for every rule (the `vigil` binary
/// against `oscap xccdf eval`) and the same collected flag and item values for every
/// object (Vigil's collector against `oscap oval eval --results`).
final class YAMLEdgeDifferentialTests: XCTestCase {
    /// Flag-style regexes asked of every file with `textfilecontent54` (first subexpression).
    static let regexes = [#"^a:\s*(.*)$"#, #"--anonymous-auth=(\S+)"#, #"^\s*-\s*"?--secure-port=(\d+)"?\s*$"#]

    /// An OVAL document and an XCCDF benchmark (one rule per definition) over the tree,
    /// written into `dir`; returns the benchmark's path.
    static func content(in dir: URL) throws -> String {
        var oval = OVALText()
        for f in YAMLEdgeTree.files() {
            let filepath = "\(YAMLEdgeTree.dir)/\(f.name)"
            for p in (f.common ? YAMLEdgeTree.commonPaths : []) + f.paths {
                oval.yaml(filepath: filepath, yamlpath: p)
            }
            for r in regexes { oval.text(filepath: filepath, pattern: r) }
        }
        for (name, _) in YAMLEdgeTree.links {
            for p in YAMLEdgeTree.linkPaths { oval.yaml(filepath: "\(YAMLEdgeTree.dir)/\(name)", yamlpath: p) }
            oval.text(filepath: "\(YAMLEdgeTree.dir)/\(name)", pattern: regexes[1])
        }
        for p in YAMLEdgeTree.linkPaths {
            oval.yamlWalk(path: YAMLEdgeTree.dir, filename: "^(manifest|link|scalars|deeper)", yamlpath: p)
        }
        return try oval.write(in: dir)
    }

    /// A scratch directory removed when the test ends.
    func workDir() throws -> URL {
        let work = try Shell.tempDir()
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        return work
    }

    func testVerdictsAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try workDir()
        let root = work.appendingPathComponent("root")
        try YAMLEdgeTree.write(under: root)
        let content = try Self.content(in: work)
        let run = try DifferentialRun.run(t, content: content, root: root.path, work: work, name: "yaml-edge")
        print("[differential] YAML edge cases: \(run.summary)")
        XCTAssertEqual(run.status, 0, "vigil and oscap differ:\n\(run.output)")
        let counts = try DifferentialRun.counts(in: run.reference)
        for verdict in ["pass", "fail", "error"] {
            XCTAssertGreaterThan(counts[verdict] ?? 0, 10, "too few \(verdict) rules to mean anything: \(counts)")
        }
    }

    func testCollectedItemsAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try workDir()
        let root = work.appendingPathComponent("root")
        try YAMLEdgeTree.write(under: root)
        _ = try Self.content(in: work)
        let ovalPath = work.appendingPathComponent("edge-oval.xml").path
        let resultsPath = work.appendingPathComponent("oscap-oval-results.xml").path
        _ = try Shell.run(t.oscap, ["oval", "eval", "--results", resultsPath, ovalPath],
                          environment: ["OSCAP_PROBE_ROOT": root.path])
        let reference = try OscapCollected.load(resultsPath)
        XCTAssertGreaterThan(reference.count, 100, "oscap collected too few objects")

        let document = try OVALLoader.load(try XMLDocument.parse(file: ovalPath).root!)
        let evaluator = OVALEvaluator(document: document, collector: ProbeCollector(target: try RootTarget(root.path)))
        var differences: [String] = []
        for (id, want) in reference.sorted(by: { $0.key < $1.key }) {
            let object = document.objects[id]
            let got = OscapCollected.Object(evaluator.collect(object: id))
            if got != want {
                differences.append("\(id) \(object?.comment ?? ""):\n  oscap \(want)\n  vigil \(got)")
            }
        }
        XCTAssertTrue(differences.isEmpty, "\(differences.count) objects differ:\n" + differences.joined(separator: "\n"))
    }

    /// The `yaml` and `flag` checks of a rule folder asked of every file of the tree.
    static let ruleChecks = [
        "yaml: {path: $F, yamlpath: .a, value: \"1\"}",
        "yaml: {path: $F, yamlpath: '.spec.containers[0].command', value_pattern: '^--anonymous-auth=false$'}",
        "yaml: {path: $F, yamlpath: .b, value: \"true\", missing: pass}",
        "yaml: {path: $F, yamlpath: '.a[:]', value_pattern: '^[0-9]+$'}",
        "flag: {files: [$F], name: anonymous-auth, boolean: true, value: \"false\"}",
        "flag: {files: [$F], name: secure-port, value: \"6443\"}",
        "flag: {files: [$F], name: profiling, boolean: true, value: \"false\", default: \"true\"}",
    ]

    func testRuleFolderChecksAgreeWithOscap() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try workDir()
        let root = work.appendingPathComponent("root"), folder = work.appendingPathComponent("rules")
        try YAMLEdgeTree.write(under: root)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "id: edge\ntitle: Edge\nversion: \"1\"\n".write(to: folder.appendingPathComponent("benchmark.yaml"), atomically: true, encoding: .utf8)
        for (n, f) in YAMLEdgeTree.files().enumerated() {
            for (k, check) in Self.ruleChecks.enumerated() {
                let text = "  " + check.replacingOccurrences(of: "$F", with: "\(YAMLEdgeTree.dir)/\(f.name)") + "\n"
                try CheckKindsDifferentialTests.rule("f\(n)_\(k)", text)
                    .write(to: folder.appendingPathComponent("f\(n)_\(k).yaml"), atomically: true, encoding: .utf8)
            }
        }
        let ds = work.appendingPathComponent("edge-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: "edge-rules")
        print("[differential] YAML edge cases, rule folder: \(run.summary)")
        XCTAssertEqual(run.status, 0, "vigil and oscap differ:\n\(run.output)")
        let counts = try DifferentialRun.counts(in: run.reference)
        XCTAssertGreaterThan(counts["pass"] ?? 0, 10, "\(counts)")
        XCTAssertGreaterThan(counts["fail"] ?? 0, 10, "\(counts)")
    }

    /// Where oscap 1.3.7 is wrong, Vigil's own verdicts (`vigil scan --root`), by
    /// definition title (see `OVALText`):
    /// - symbolic links: oscap opens `OSCAP_PROBE_ROOT` + path with the host's `fopen`, so
    ///   an absolute link or enough `..` reads the host's file; Vigil resolves every link
    ///   inside the root (an absolute target from the root, `..` stops at the root);
    /// - a `\0` escape: oscap cuts the value at the NUL (`"1\0"` reads as `1`);
    /// - a map key that is itself a map or sequence: oscap's yaml-path crashes (SIGSEGV);
    /// - nesting past `NestingBudget` (150,000 levels): an error, where oscap reads on for a minute.
    static let vigilOnly: [(file: String, bytes: [UInt8], expected: [String: String])] = [
        ("abs-link.yaml", [], ["$F .a exists": "fail", "$F .a value": "fail", "$F ~ ^a:\\s*(.*)$ exists": "fail"]),
        ("rel-link.yaml", [], ["$F .a exists": "pass", "$F .a value": "fail", "$F ~ ^a:\\s*(.*)$ value": "fail"]),
        ("in-root-link.yaml", [], ["$F .a exists": "pass", "$F .a value": "pass", "$F ~ ^a:\\s*(.*)$ value": "pass"]),
        ("dir-link/secret.yaml", [], ["$F .a exists": "fail", "$F ~ ^a:\\s*(.*)$ exists": "fail"]),
        ("nul.yaml", YAMLEdgeTree.text("a: \"x\\0y\"\nb: \"1\\0\"\nc: 1\n"),
         ["$F .b exists": "pass", "$F .b value": "fail", "$F .c value": "pass"]),
        ("complex-keys.yaml", YAMLEdgeTree.text("? [a, b]\n: 0\na: 1\n? {x: 1}\n: 3\nb: {? [c]: 4, d: 1}\n"),
         ["$F .a value": "pass", "$F .b.d value": "pass", "$F .missing exists": "fail"]),
        ("too-deep.yaml", YAMLEdgeTree.text("b: 1\na: " + String(repeating: "[", count: 150_000) + String(repeating: "]", count: 150_000) + "\n"),
         ["$F .b exists": "error", "$F .b value": "error"]),
    ]

    func testWhereOscapIsWrongVigilStaysInTheRootAndReadsWhatIsWritten() throws {
        let work = try workDir()
        let root = work.appendingPathComponent("root"), outside = work.appendingPathComponent("outside")
        let odd = root.appendingPathComponent("etc/odd")
        try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
        // Read through a link that escapes, these would pass; what the root holds at the
        // clamped path does not.
        try Data("a: 1\n".utf8).write(to: outside.appendingPathComponent("secret.yaml"))
        try Data("a: inside\n".utf8).write(to: root.appendingPathComponent("outside/secret.yaml"))
        try Data("a: true\n".utf8).write(to: odd.appendingPathComponent("target.yaml"))
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: odd.appendingPathComponent("abs-link.yaml").path, withDestinationPath: outside.path + "/secret.yaml")
        try fm.createSymbolicLink(atPath: odd.appendingPathComponent("rel-link.yaml").path,
                                  withDestinationPath: "../../../outside/secret.yaml")
        try fm.createSymbolicLink(atPath: odd.appendingPathComponent("in-root-link.yaml").path, withDestinationPath: "/etc/odd/target.yaml")
        try fm.createSymbolicLink(atPath: odd.appendingPathComponent("dir-link").path, withDestinationPath: outside.path)
        var oval = OVALText()
        for c in Self.vigilOnly {
            if !c.bytes.isEmpty { try Data(c.bytes).write(to: odd.appendingPathComponent(c.file)) }
            for p in [".a", ".b", ".c", ".b.d", ".missing", "$"] { oval.yaml(filepath: "/etc/odd/\(c.file)", yamlpath: p) }
            oval.text(filepath: "/etc/odd/\(c.file)", pattern: Self.regexes[0])
        }
        // Walks that follow links to directories: the one outside the root is not entered.
        oval.yamlWalk(path: "/etc/odd", filename: "^secret\\.yaml$", yamlpath: ".a")
        oval.yamlWalk(path: "/", filename: "^secret\\.yaml$", yamlpath: ".a")
        let walks = ["/etc/odd walk ^secret\\.yaml$ .a exists": "fail",
                     "/ walk ^secret\\.yaml$ .a exists": "pass", "/ walk ^secret\\.yaml$ .a value": "fail"]
        let content = try oval.write(in: work)
        let results = work.appendingPathComponent("vigil.xml").path
        let v = try Shell.run(Shell.vigilBinary, ["scan", content, "--root", root.path, "--results", results, "--quiet", "--no-store"])
        XCTAssertTrue([0, 2].contains(v.status), "vigil scan failed (\(v.status)): \(v.stderr)")
        let got = try DifferentialRun.results(in: results)
        XCTAssertEqual(got.count, oval.ruleByTitle.count, "every rule has a result")
        for (title, want) in walks { XCTAssertEqual(oval.ruleByTitle[title].flatMap { got[$0] }, want, title) }
        for c in Self.vigilOnly {
            for (title, want) in c.expected {
                let t = title.replacingOccurrences(of: "$F", with: "/etc/odd/\(c.file)")
                XCTAssertEqual(oval.ruleByTitle[t].flatMap { got[$0] }, want, t)
            }
        }
    }
}
