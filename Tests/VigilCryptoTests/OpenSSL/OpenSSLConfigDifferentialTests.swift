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
        "nul-and-empty-include": "[s]\na = before\u{0}after\n.include/etc/x\n.includes = \nb = 1\n",
        "crlf-and-continuation": "[s]\r\na = 1 \\\r\n  2\r\nb = x\\ \r\n",
    ]

    /// Compiles the NCONF_load program (the environment must not set OPENSSL_CONF_INCLUDE).
    private static func helper() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-nconf-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let source = """
            #include <openssl/conf.h>
            #include <stdio.h>
            int main(int argc, char **argv) {
                for (int i = 1; i < argc; i++) {
                    CONF *conf = NCONF_new(NULL);
                    long line = 0;
                    printf("=== %s\\n", argv[i]);
                    if (NCONF_load(conf, argv[i], &line) <= 0) printf("error\\n"); else NCONF_dump_fp(conf, stdout);
                    fflush(stdout);
                    NCONF_free(conf);
                }
                return 0;
            }
            """
        try source.write(toFile: dir + "/nconf.c", atomically: true, encoding: .utf8)
        _ = try runTool("/usr/bin/cc", ["-o", dir + "/nconf", dir + "/nconf.c", "-lcrypto"])
        return dir + "/nconf"
    }

    /// What the C program prints for each of `paths`, sorted lines per file.
    private static func libcryptoDumps(_ helper: String, _ paths: [String]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current = ""
        for line in try runTool(helper, paths).split(separator: "\n").map(String.init) {
            if line.hasPrefix("=== ") { current = String(line.dropFirst(4)); result[current] = []; continue }
            result[current, default: []].append(line)
        }
        return result.mapValues { $0.sorted() }
    }

    /// What Vigil's parse prints in `NCONF_dump_fp`'s form, sorted.
    private func dump(_ path: String) -> [String] {
        guard let c = try? OpenSSLConfigParser(target: Targets.host).parse(path) else { return ["error"] }
        var lines: [String] = []
        for name in c.sectionNames {
            lines.append("[[\(name)]]")
            for e in c.section(name) ?? [] { lines.append("[\(name)] \(e.name)=\(e.value)") }
        }
        // Split as the C program's output is split: values may hold newlines (`\\n`).
        return lines.joined(separator: "\n").split(separator: "\n").map(String.init).sorted()
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
        for (name, text) in cases { try text.write(toFile: dir + "/\(name).cnf", atomically: true, encoding: .utf8) }
        let expected = try Self.libcryptoDumps(helper, cases.keys.sorted().map { dir + "/\($0).cnf" })
        for name in cases.keys.sorted() {
            XCTAssertEqual(dump(dir + "/\(name).cnf"), expected[dir + "/\(name).cnf"], name)
        }
    }

    /// A random configuration from tricky pieces (no includes, no environment).
    private static func randomConfig<G: RandomNumberGenerator>(_ g: inout G) -> String {
        let names = ["a", "b", "x_1", "s.t", "1.OU", "k$v", "dir"]
        let pieces = ["plain", " sp ", "\"q # h\"", "'s\\'q'", "`t`", "\\#", "\\n", "$a", "${b}", "$(x_1)", "${s::a}",
                      "$s::b", "$", "${", "#c", "\\", "\"\"", "x$", "::", "=", "[", "]"]
        var text = ""
        for _ in 0..<Int.random(in: 1...12, using: &g) {
            switch Int.random(in: 0..<10, using: &g) {
            case 0: text += "[ \(["s", "t", "a b", "s.t"].randomElement(using: &g)!) ]\n"
            case 1: text += ".pragma dollarid:\(["on", "off"].randomElement(using: &g)!)\n"
            case 2: text += "# comment $ \" '\n"
            default:
                let section = Bool.random(using: &g) ? "" : "s::"
                let value = (0..<Int.random(in: 0...4, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
                text += "\(section)\(names.randomElement(using: &g)!) = \(value)\(Bool.random(using: &g) ? "\\" : "")\n"
            }
        }
        return text
    }

    func testRandomConfigurationsParseAsLibcryptoParsesThem() throws {
        if ProcessInfo.processInfo.environment["OPENSSL_CONF_INCLUDE"] != nil { throw XCTSkip("OPENSSL_CONF_INCLUDE is set") }
        let helper = try Self.helper()
        let dir = (helper as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = SystemRandomNumberGenerator()
        var texts: [String: String] = [:]
        for i in 0..<400 {
            texts[dir + "/random-\(i).cnf"] = Self.randomConfig(&g)
            try texts[dir + "/random-\(i).cnf"]!.write(toFile: dir + "/random-\(i).cnf", atomically: true, encoding: .utf8)
        }
        let expected = try Self.libcryptoDumps(helper, texts.keys.sorted())
        for (path, text) in texts { XCTAssertEqual(dump(path), expected[path], text) }
        XCTAssertGreaterThan(expected.values.filter { $0 != ["error"] }.count, 40, "too few random files were valid to mean anything")
    }
}
