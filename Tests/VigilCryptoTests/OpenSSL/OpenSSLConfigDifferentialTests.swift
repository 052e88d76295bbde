import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// Vigil's parser against libcrypto's own `NCONF_load` on the same files (a small C
/// program compiled by the test, run in its own process, reading host files: only test
/// files under /tmp), compared as `NCONF_dump_fp` prints them.
final class OpenSSLConfigDifferentialTests: XCTestCase {
    static let cases: [String: String] = [
        "quotes": "a = \"x # y\" 'z' \\# w\nb = `tick`\"a\"\"b\"\nc = \"unterminated # still\nd = 'esc\\'q' x\\ty\ne = \\\n",
        "expansion": "x = 1\n[s]\ny = $x ${x} $(x) ${default::x}\n[t]\nz = ${s::y}|$s::y|$x\ns::later = $z\n[ENV]\nE = e\n[u]\nv = $ENV::E\n",
        "duplicates": "[s]\nk = 1\nj = 2\nk = 3\ncont = a\\\nb\\\\\nafter = 1\n",
        "dollarid": ".pragma dollarid:on\nx = 1\na$b = $x ${x}$ c$d\n.pragma dollarid:off\n",
        "names": "[ a b ]\n1.OU = one\n2.OU = two\nweird!%&*+,/;?@^~|-name = p\n[sp]   \n  k  =  v  \n",
        "errors-missing-equal": "[s]\nno equal here\n",
        "errors-undefined": "[s]\nv = $nothing\n",
        "errors-brace": "x = 1\nv = ${x\n",
        "errors-bracket": "[ open\n",
    ]

    /// Compiles the NCONF_load program (the environment must not set OPENSSL_CONF_INCLUDE).
    private static func helper() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-nconf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let source = """
            #include <openssl/conf.h>
            #include <stdio.h>
            int main(int argc, char **argv) {
                CONF *conf = NCONF_new(NULL);
                long line = 0;
                if (NCONF_load(conf, argv[1], &line) <= 0) { printf("error\\n"); return 0; }
                NCONF_dump_fp(conf, stdout);
                return 0;
            }
            """
        try source.write(toFile: dir + "/nconf.c", atomically: true, encoding: .utf8)
        _ = try runTool("/usr/bin/cc", ["-o", dir + "/nconf", dir + "/nconf.c", "-lcrypto"])
        return dir + "/nconf"
    }

    /// What Vigil's parse prints in `NCONF_dump_fp`'s form, sorted.
    private func dump(_ path: String) -> [String] {
        guard let c = try? OpenSSLConfigParser(target: Targets.host).parse(path) else { return ["error"] }
        var lines: [String] = []
        for name in c.sectionNames {
            lines.append("[[\(name)]]")
            for e in c.section(name) ?? [] { lines.append("[\(name)] \(e.name)=\(e.value)") }
        }
        return lines.sorted()
    }

    func testParsesAsLibcryptoDoes() throws {
        if ProcessInfo.processInfo.environment["OPENSSL_CONF_INCLUDE"] != nil { throw XCTSkip("OPENSSL_CONF_INCLUDE is set") }
        let helper = try Self.helper()
        defer { try? FileManager.default.removeItem(atPath: (helper as NSString).deletingLastPathComponent) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-nconf-cases-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/d/sub.cnf", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var cases = Self.cases
        try "[d]\na = 1\n".write(toFile: dir + "/d/a.cnf", atomically: true, encoding: .utf8)
        try "[d]\nb = 2\n".write(toFile: dir + "/d/b.CONF", atomically: true, encoding: .utf8)
        try "[d]\nc = 3\n".write(toFile: dir + "/d/c.txt", atomically: true, encoding: .utf8)
        try "[inc]\ni = 1\n".write(toFile: dir + "/inc.cnf", atomically: true, encoding: .utf8)
        cases["includes"] = "top = 1\n.include \(dir)/inc.cnf\nafter = 2\n.include = \(dir)/d\n.include \(dir)/missing.cnf\n"
        cases["includedir"] = ".pragma includedir:\(dir)\n.include inc.cnf\n"
        for (name, text) in cases.sorted(by: { $0.key < $1.key }) {
            let path = dir + "/\(name).cnf"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let expected = try runTool(helper, [path])
                .split(separator: "\n").map(String.init).sorted()
            XCTAssertEqual(dump(path), expected, name)
        }
    }
}
