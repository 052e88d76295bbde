import XCTest
@testable import VigilCrypto

/// Line splitting as misc.c's strdelim and argv_split do it.
final class SSHConfigLineTests: XCTestCase {
    private func parse(_ s: String) -> SSHConfigLine? { try? SSHConfigLine.parse(Substring(s))?.get() }

    func testKeywordForms() {
        for s in ["Ciphers a,b", "Ciphers=a,b", "Ciphers = a,b", "  Ciphers\t a,b \r", "Ciphers =a,b", "Ciphers= a,b # c"] {
            XCTAssertEqual(parse(s), SSHConfigLine(keyword: "Ciphers", arguments: ["a,b"]), s)
        }
        XCTAssertEqual(parse("Ciphers==a")?.arguments, ["=a"])
        XCTAssertNil(try SSHConfigLine.parse("   # comment"))
        XCTAssertNil(try SSHConfigLine.parse(""))
    }

    func testQuotesEscapesAndComments() {
        XCTAssertEqual(parse("AcceptEnv \"LANG LC_*\" 'X Y' a\\ b")?.arguments, ["LANG LC_*", "X Y", "a b"])
        XCTAssertEqual(parse("Banner a#b #c")?.arguments, ["a#b"])
        XCTAssertEqual(parse("Banner \"a\\\"b\"")?.arguments, ["a\"b"])
        if case .failure(let p)? = SSHConfigLine.parse("Ciphers \"a") { XCTAssertEqual(p, .syntax("invalid quotes")) } else { XCTFail() }
        if case .failure(let p)? = SSHConfigLine.parse("Ciphers") { XCTAssertEqual(p.description, "no argument after keyword \"Ciphers\"") } else { XCTFail() }
    }

    func testTimesAndPatterns() {
        XCTAssertEqual(SSHEffectiveConfig.seconds("10m"), 600)
        XCTAssertEqual(SSHEffectiveConfig.seconds("1h30M5"), 5405)
        XCTAssertNil(SSHEffectiveConfig.seconds("m"))
        XCTAssertNil(SSHEffectiveConfig.seconds("5x"))
        XCTAssertEqual(SSHPattern.matchList("bob", "b*,!alice"), 1)
        XCTAssertEqual(SSHPattern.matchList("alice", "*,!alice"), -1)
        XCTAssertEqual(SSHPattern.addressMatch("10.1.2.3", "10.0.0.0/8"), 1)
        XCTAssertEqual(SSHPattern.addressMatch("2001:db8::1", "2001:db8::/32,!10.*"), 1)
        XCTAssertNil(SSHPattern.addressMatch("10.1.2.3", "10.0.0.0/33"))
    }
}
