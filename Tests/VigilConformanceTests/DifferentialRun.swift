import Foundation
import XCTest

/// One differential run: `oscap xccdf eval` and `vigil scan` on the same content, with
/// the same options, on this machine or on an offline root (oscap with
/// `OSCAP_PROBE_ROOT` and the `OscapAptWorkaround`), compared rule by rule with
/// xccdf-compare.
struct DifferentialRun {
    /// xccdf-compare's report, its last line ("agreement: A of N rules ..."), its exit
    /// code, and both result files.
    var output: String
    var status: Int32
    var reference: String
    var candidate: String
    var summary: String { output.split(separator: "\n").last.map(String.init) ?? "" }

    /// Runs both tools. `options` go to both (`--profile`, `--rule`); `allowUnsupported`
    /// leaves out of the comparison the rules Vigil reports as using an object type it
    /// does not collect (named in their message), which are not what the test is about.
    static func run(_ t: BaselineDifferentialTests.Tools, content: String, options: [String] = [], root: String? = nil,
                    work: URL, name: String, allowUnsupported: Bool = false) throws -> DifferentialRun {
        let ref = work.appendingPathComponent("oscap-\(name).xml").path
        let cand = work.appendingPathComponent("vigil-\(name).xml").path
        var env: [String: String] = [:]
        if let root { env = ["OSCAP_PROBE_ROOT": root, "APT_CONFIG": try OscapAptWorkaround.config(in: work)] }
        // oscap 1.3.7 now and then deadlocks or dies in its probe threads (seen ~1 run in 100
        // under load, never alone): bounded by timeout(1), and tried a second time.
        try? FileManager.default.removeItem(atPath: ref)
        for _ in 0..<2 where !FileManager.default.fileExists(atPath: ref) {
            _ = try Shell.run("/usr/bin/timeout", ["600", t.oscap, "xccdf", "eval"] + options + ["--results", ref, content], environment: env)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ref), "oscap wrote no results (\(name))")
        let v = try Shell.run(Shell.vigilBinary, ["scan", content] + options + (root.map { ["--root", $0] } ?? [])
                                + ["--results", cand, "--quiet", "--no-store", "--allow-empty"])
        XCTAssertTrue([0, 2].contains(v.status), "vigil scan failed (\(v.status)): \(v.stderr)")
        var args = [t.compare, ref, cand]
        if allowUnsupported {
            let allow = work.appendingPathComponent("allow-\(name).txt")
            try unsupportedRules(in: cand).map { "\($0) uses an object type Vigil does not collect" }
                .joined(separator: "\n").write(to: allow, atomically: true, encoding: .utf8)
            args += ["--allow", allow.path]
        }
        let c = try Shell.run("/usr/bin/env", ["python3"] + args)
        return DifferentialRun(output: c.stdout + c.stderr, status: c.status, reference: ref, candidate: cand)
    }

    /// Rules of a Vigil results file whose message says "unsupported object type".
    static func unsupportedRules(in path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // The TestResult may be written with the benchmark's prefix or in the default namespace.
        let pattern = try NSRegularExpression(pattern: #"<(?:[A-Za-z0-9.-]+:)?rule-result [^>]*idref="([^"]+)"(.*?)</(?:[A-Za-z0-9.-]+:)?rule-result>"#,
                                              options: .dotMatchesLineSeparators)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { m in
            guard let id = Range(m.range(at: 1), in: text), let body = Range(m.range(at: 2), in: text),
                  text[body].contains("unsupported object type") else { return nil }
            return String(text[id])
        }
    }

    /// Every rule's result in an XCCDF results file (oscap's or Vigil's), by rule id.
    static func results(in path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"rule-result [^>]*idref="([^"]+)"[^>]*>\s*<(?:[a-z0-9.-]+:)?result>([a-z]+)<"#)
        var out: [String: String] = [:]
        for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            out[String(text[Range(m.range(at: 1), in: text)!])] = String(text[Range(m.range(at: 2), in: text)!])
        }
        return out
    }

    /// How many rules of a results file have each result.
    static func counts(in path: String) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for r in try results(in: path).values { counts[r, default: 0] += 1 }
        return counts
    }
}
