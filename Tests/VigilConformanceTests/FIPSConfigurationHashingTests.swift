import Foundation
import XCTest

/// A scan on a host whose OpenSSL configuration sets `default_properties = fips=yes` (and has
/// no FIPS provider, as on Debian): file hashes, the stored content digest and the report's
/// script hashes still come out, equal to what `md5sum`/`sha256sum` compute, because Vigil
/// fetches its algorithms from its own library context and never from OpenSSL's default one.
final class FIPSConfigurationHashingTests: XCTestCase {
    /// The scan's environment: `OPENSSL_CONF` naming a configuration that makes every
    /// algorithm fetched from OpenSSL's default context need `fips=yes`.
    static func fipsConfiguration(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("openssl-fips.cnf").path
        try """
            openssl_conf = openssl_init
            [openssl_init]
            alg_section = algorithm_sect
            [algorithm_sect]
            default_properties = fips=yes
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The lowercase hex digest `tool` (md5sum, sha256sum) prints for `path`.
    func digest(_ tool: String, _ path: String) throws -> String {
        let out = try Shell.run("/usr/bin/env", [tool, path])
        XCTAssertEqual(out.status, 0, out.stderr)
        return String(out.stdout.prefix { $0 != " " })
    }

    /// A benchmark of three filehash58 rules on `file`: MD5 and SHA-256 equal to `md5`
    /// and `sha256` (pass when Vigil computes the same digests), and SHA-256 equal to a
    /// wrong value (fail: the comparison is real).
    func writeContent(in dir: URL, file: String, md5: String, sha256: String) throws -> String {
        let checks = [("md5", "MD5", md5), ("sha256", "SHA-256", sha256), ("wrong", "SHA-256", String(repeating: "0", count: 64))]
        var definitions = "", tests = "", objects = "", states = "", rules = ""
        for (n, (name, type, hash)) in checks.enumerated() {
            definitions += """
                <definition id="oval:x:def:\(n)" version="1" class="compliance"><metadata><title>\(name)</title></metadata>
                  <criteria><criterion test_ref="oval:x:tst:\(n)"/></criteria></definition>
                """
            tests += """
                <ind:filehash58_test id="oval:x:tst:\(n)" version="1" check="all" check_existence="at_least_one_exists">
                  <ind:object object_ref="oval:x:obj:\(n)"/><ind:state state_ref="oval:x:ste:\(n)"/></ind:filehash58_test>
                """
            objects += """
                <ind:filehash58_object id="oval:x:obj:\(n)" version="1"><ind:filepath>\(file)</ind:filepath>
                  <ind:hash_type>\(type)</ind:hash_type></ind:filehash58_object>
                """
            states += "<ind:filehash58_state id=\"oval:x:ste:\(n)\" version=\"1\"><ind:hash>\(hash)</ind:hash></ind:filehash58_state>"
            rules += """
                <Rule id="xccdf_org.example_rule_\(name)" selected="true" severity="low"><title>\(name)</title>
                  <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="oval.xml" name="oval:x:def:\(n)"/></check></Rule>
                """
        }
        try """
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
              xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
              <definitions>\(definitions)</definitions><tests>\(tests)</tests><objects>\(objects)</objects><states>\(states)</states>
            </oval_definitions>
            """.write(to: dir.appendingPathComponent("oval.xml"), atomically: true, encoding: .utf8)
        let xccdf = dir.appendingPathComponent("xccdf.xml").path
        try """
            <Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_hashes" resolved="1">
              <status>draft</status><title>Hashes</title><version>1</version>\(rules)
            </Benchmark>
            """.write(toFile: xccdf, atomically: true, encoding: .utf8)
        return xccdf
    }

    func testAScanUnderAFIPSOnlyConfigurationHashesLikeTheCoreutils() throws {
        let dir = try Shell.tempDir()
        let file = dir.appendingPathComponent("data.txt").path
        try "Vigil hashes this file under a FIPS-only OpenSSL configuration.\n".write(toFile: file, atomically: true, encoding: .utf8)
        let content = try writeContent(in: dir, file: file, md5: try digest("md5sum", file), sha256: try digest("sha256sum", file))
        let conf = try Self.fipsConfiguration(in: dir)
        let json = dir.appendingPathComponent("r.json").path, html = dir.appendingPathComponent("r.html").path
        let scan = try Shell.run(Shell.vigilBinary, ["scan", content, "--quiet", "--report", "json:\(json)", "--report", "html:\(html)"],
                                 environment: ["OPENSSL_CONF": conf, "VIGIL_DB": dir.appendingPathComponent("db/vigil.db").path])
        XCTAssertEqual(scan.status, 2, "only the wrong-hash rule fails: \(scan.stderr)")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let results = Dictionary(uniqueKeysWithValues: (report["rules"] as? [[String: Any]] ?? []).map {
            ($0["id"] as? String ?? "", $0["result"] as? String ?? "")
        })
        XCTAssertEqual(results, ["xccdf_org.example_rule_md5": "pass", "xccdf_org.example_rule_sha256": "pass",
                                 "xccdf_org.example_rule_wrong": "fail"])
        XCTAssertEqual((report["scan"] as? [String: Any])?["contentSHA256"] as? String, try digest("sha256sum", content))
        try assertScriptHashesMatch(html: html)
    }

    /// Every `'sha256-…'` source of the HTML report's Content-Security-Policy is the digest of
    /// one of its inline scripts, as Python's hashlib computes it (outside OpenSSL's configuration).
    func assertScriptHashesMatch(html: String) throws {
        let check = """
            import base64, hashlib, re, sys
            page = open(sys.argv[1], encoding="utf-8").read()
            csp = sorted(re.findall(r"'sha256-([A-Za-z0-9+/=]*)'", page))
            bodies = re.findall(r"<script(?![^>]*type=)[^>]*>(.*?)</script>", page, re.S)
            want = sorted(base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() for b in bodies)
            print(csp == want and len(want) > 0, csp, want)
            """
        let out = try Shell.run("/usr/bin/env", ["python3", "-c", check, html], environment: ["OPENSSL_CONF": "/dev/null"])
        XCTAssertTrue(out.stdout.hasPrefix("True"), out.stdout + out.stderr)
    }
}
