import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// The configuration parser against conf_def.c's semantics, on files built in temporary roots.
final class OpenSSLConfigParserTests: XCTestCase {
    private func value(_ c: OpenSSLConfig, _ section: String, _ name: String) -> String? {
        c.section(section)?.last { $0.name == name }?.value
    }

    func testSectionsCommentsQuotesAndEscapes() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/openssl.cnf", """
            top = 1 # comment
            [ first ]
            plain =   spaced value   \t
            quoted = "a # not a comment" # a comment
            single = 'it''s'
            escaped = a\\#b\\tc\\\\d
            inq = "x\\"y"
            [sec two]
            n = v
            """)
        let c = try f.parse()
        XCTAssertEqual(value(c, "default", "top"), "1")
        XCTAssertEqual(value(c, "first", "plain"), "spaced value")
        XCTAssertEqual(value(c, "first", "quoted"), "a # not a comment")
        XCTAssertEqual(value(c, "first", "single"), "its")
        XCTAssertEqual(value(c, "first", "escaped"), "a#b\tc\\d")
        XCTAssertEqual(value(c, "first", "inq"), "x\"y")
        XCTAssertEqual(value(c, "sec two", "n"), "v")
        XCTAssertEqual(c.section("first")?.first?.location.description, "/etc/ssl/openssl.cnf:3")
    }

    func testExpansionFormsAndTheirErrors() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/openssl.cnf", """
            base = /opt
            [ENV]
            FROMFILE = envvalue
            [a]
            x = one
            b1 = $x-${x}-$(x)
            b2 = ${base}/lib and $base
            [b]
            c1 = ${a::x} $a::x
            c2 = $ENV::FROMFILE
            a::late = set from b
            """)
        let c = try f.parse()
        XCTAssertEqual(value(c, "a", "b1"), "one-one-one")
        XCTAssertEqual(value(c, "a", "b2"), "/opt/lib and /opt")
        XCTAssertEqual(value(c, "b", "c1"), "one one")
        XCTAssertEqual(value(c, "b", "c2"), "envvalue")
        XCTAssertEqual(value(c, "a", "late"), "set from b")
        for (text, message) in [("h = $ENV::HOME\n", "ENV::HOME"), ("[s]\nv = ${nope}\n", "'nope'"), ("v = ${x\n", "closing brace")] {
            try f.write("/etc/ssl/openssl.cnf", "x = 1\n" + text)
            XCTAssertThrowsError(try f.parse()) { error in
                XCTAssertTrue("\(error)".hasPrefix("/etc/ssl/openssl.cnf:"), "\(error)")
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }

    func testLaterDuplicateWinsAndContinuationLines() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/openssl.cnf", "[s]\nk = first\nother = x\nk = second\nlong = a\\\n  b\\\\\nnext = n\n")
        let c = try f.parse()
        XCTAssertEqual(c.section("s")?.map(\.name), ["other", "k", "long", "next"])
        XCTAssertEqual(value(c, "s", "k"), "second")
        XCTAssertEqual(c.section("s")?.first { $0.name == "k" }?.location.line, 4)
        XCTAssertEqual(value(c, "s", "long"), "a  b\\")
        XCTAssertEqual(c.section("s")?.last?.location.line, 7)
    }

    func testDollarIDPragmaKeepsDollarsInNames() throws {
        let f = try OpenSSLFixture()
        try f.write("/etc/ssl/openssl.cnf", "x = 1\n.pragma dollarid:on\na$b = c$d ${x}\n.pragma = dollarid:false\ne = $x\n")
        let c = try f.parse()
        XCTAssertEqual(value(c, "default", "a$b"), "c$d 1")
        XCTAssertEqual(value(c, "default", "e"), "1")
    }

    func testSyntaxErrorsNameFileAndLine() throws {
        let f = try OpenSSLFixture()
        for (text, message, line) in [("a = 1\nno equal sign\n", "missing equal sign", 2), ("[ open\n", "missing close square bracket", 1),
                                      ("\n\n.pragma nocolon\n", "invalid pragma", 3), (".pragma abspath:maybe\n", "invalid pragma value", 1)] {
            try f.write("/etc/ssl/openssl.cnf", text)
            XCTAssertThrowsError(try f.parse()) { error in
                XCTAssertEqual((error as? OpenSSLConfigError)?.location?.line, line, "\(text)")
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }

    func testExpansionLimitsStopHostileInputQuickly() throws {
        let f = try OpenSSLFixture()
        var text = "a0 = " + String(repeating: "x", count: 1000) + "\n"
        for i in 1...40 { text += "a\(i) = $a\(i - 1)$a\(i - 1)\n" }
        try f.write("/etc/ssl/openssl.cnf", text)
        let start = Date()
        XCTAssertThrowsError(try f.parse()) { XCTAssertTrue("\($0)".contains("longer than 65536"), "\($0)") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        try f.write("/etc/ssl/openssl.cnf", ".include /etc/ssl/openssl.cnf\n")
        XCTAssertThrowsError(try f.parse()) { XCTAssertTrue("\($0)".contains("nested more than 16"), "\($0)") }
        var wide = "v = " + String(repeating: "y", count: 60_000) + "\n"
        for i in 0..<700 { wide += "w\(i) = $v\n" }
        try f.write("/etc/ssl/openssl.cnf", wide)
        XCTAssertThrowsError(try f.parse()) { XCTAssertTrue("\($0)".contains("expanded values"), "\($0)") }
    }

    func testLargeAndGarbageFilesParseQuickly() throws {
        let f = try OpenSSLFixture()
        var text = "[s]\nbase = v\n"
        for i in 0..<150_000 { text += i % 2 == 0 ? "k\(i) = $base\n" : "k\(i - 1) = again\n" }
        try f.write("/etc/ssl/openssl.cnf", text)
        let start = Date()
        let c = try f.parse()
        XCTAssertEqual(c.section("s")?.count, 75_001)
        XCTAssertEqual(c.entry("s", "k2")?.value, "again")
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let alphabet = Array("ab=[]$.{}():\\\"'#\n \t".utf8)
            let bytes = (0..<2000).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            try f.write("/etc/ssl/openssl.cnf", Data(bytes))
            _ = try? f.parse()
        }
        try f.write("/etc/ssl/openssl.cnf", Data((0..<100_000).map { _ in UInt8.random(in: 0...255) }))
        _ = try? f.parse()
    }
}
