import Foundation
import XCTest

/// A rule with a Vigil-native check is written as that check followed by its OVAL
/// fallback. oscap 1.3.7 skips the check system it does not know and evaluates the
/// fallback (or reports `notchecked` without one); Vigil evaluates the native check.
final class NativeCheckDifferentialTests: XCTestCase {
    static let rules: [String: String] = [
        "benchmark.yaml": "id: native\ntitle: Native checks\nversion: \"1\"\ndescription: d\n",
        // The configuration names FIPS, so the fallback passes; a sub-policy re-allows SHA-1.
        "no_sha1.yaml": rule("no_sha1", "  crypto_policy: {sha1: forbidden}", fallback: "  line: {files: [/etc/crypto-policies/config], pattern: '^FIPS'}"),
        // The native check passes, the (deliberately different) fallback fails.
        "policy.yaml": rule("policy", "  crypto_policy: {policy: 'FIPS:SHA1SSH'}", fallback: "  line: {files: [/etc/crypto-policies/config], pattern: '^DEFAULT'}"),
        // No fallback: oscap cannot evaluate it.
        "backends.yaml": rule("backends", "  crypto_policy: {backends_not_overridden: true}"),
        "standard.yaml": rule("standard", "  line: {files: [/etc/crypto-policies/config], pattern: '^FIPS'}"),
    ]

    static func rule(_ id: String, _ check: String, fallback: String? = nil) -> String {
        "id: \(id)\ntitle: \(id)\nseverity: high\ndescription: \(id)\ncheck:\n\(check)\n" + (fallback.map { "fallback:\n\($0)\n" } ?? "")
    }

    /// The rule folder and a root whose policy is FIPS with a sub-policy re-allowing SHA-1
    /// for SSH, written into `work`.
    static func fixture(in work: URL) throws -> (folder: URL, root: URL) {
        let folder = work.appendingPathComponent("native")
        let root = work.appendingPathComponent("root")
        var files = Self.rules.reduce(into: [String: String]()) { $0["native/" + $1.key] = $1.value }
        files["root/etc/crypto-policies/config"] = "FIPS:SHA1SSH\n"
        files["root/etc/crypto-policies/state/current"] = "FIPS:SHA1SSH\n"
        files["root/usr/share/crypto-policies/policies/FIPS.pol"] = "hash = SHA2-256 SHA2-384\nsign = ECDSA-SHA2-256 RSA-SHA2-256\nmin_rsa_size = 2048\n"
        files["root/usr/share/crypto-policies/policies/modules/SHA1SSH.pmod"] = "hash@SSH = SHA1+\n"
        files["root/etc/crypto-policies/back-ends/openssh.config"] = "generated\n"
        for (path, text) in files {
            let url = work.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return (folder, root)
    }

    func testOscapEvaluatesTheFallbackAndVigilTheNativeCheck() throws {
        let t = try BaselineDifferentialTests.tools()
        let work = try Shell.tempDir()
        let (folder, root) = try Self.fixture(in: work)
        let ds = work.appendingPathComponent("native-ds.xml").path
        let b = try Shell.run(Shell.vigilBinary, ["build", folder.path, "-o", ds])
        XCTAssertEqual(b.status, 0, b.stderr)
        let v = try Shell.run(t.oscap, ["ds", "sds-validate", ds])
        XCTAssertEqual(v.status, 0, "oscap ds sds-validate: \(v.stdout)\(v.stderr)")

        let run = try DifferentialRun.run(t, content: ds, root: root.path, work: work, name: "native")
        let oscap = try DifferentialRun.results(in: run.reference), vigil = try DifferentialRun.results(in: run.candidate)
        func id(_ s: String) -> String { "xccdf_io.vigil_rule_\(s)" }
        XCTAssertEqual(oscap[id("no_sha1")], "pass", "oscap evaluates the fallback")
        XCTAssertEqual(vigil[id("no_sha1")], "fail", "Vigil evaluates the native check")
        XCTAssertEqual(oscap[id("policy")], "fail")
        XCTAssertEqual(vigil[id("policy")], "pass")
        XCTAssertEqual(oscap[id("backends")], "notchecked", "no fallback")
        XCTAssertEqual(vigil[id("backends")], "pass", "a regular back-end is what a policy with sub-policies writes")
        XCTAssertEqual(oscap[id("standard")], "pass")
        XCTAssertEqual(vigil[id("standard")], "pass")
        let text = try String(contentsOfFile: run.reference, encoding: .utf8)
        XCTAssertTrue(text.contains("http://oval.mitre.org/XMLSchema/oval-definitions-5"), "oscap reports the OVAL check it used")
    }
}
