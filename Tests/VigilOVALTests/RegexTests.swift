import Foundation
import XCTest
@testable import VigilOVAL

final class RegexTests: XCTestCase {
    func testCapturesAndUnsetGroups() throws {
        let re = try OVALRegex(#"(\w+)@(\w+)\.com(:(\d+))?"#)
        let m = try XCTUnwrap(try re.match("mail to bob@example.com now"))
        XCTAssertEqual(m.groups, ["bob@example.com", "bob", "example", nil, nil])
        XCTAssertEqual(m.captures, ["bob", "example", nil, nil])
        XCTAssertEqual(m.range, 8..<23)
        XCTAssertEqual(re.captureCount, 4)
        XCTAssertEqual(re.firstMatch(in: "x@y.com:25"), ["x@y.com:25", "x", "y", ":25", "25"])
        XCTAssertNil(re.firstMatch(in: "no address here"))
        XCTAssertNil(try re.match("no address here"))
    }

    func testCaseInsensitive() throws {
        XCTAssertFalse(try OVALRegex("^permitrootlogin no$").matches("PermitRootLogin no"))
        XCTAssertTrue(try OVALRegex("^permitrootlogin no$", caseInsensitive: true).matches("PermitRootLogin no"))
        // UTF-8 mode folds non-ASCII letters too.
        XCTAssertTrue(try OVALRegex("^é$", caseInsensitive: true).matches("É"))
    }

    func testMultilineAndDotAll() throws {
        let text = "a=1\nb=2\nc=3\n"
        XCTAssertFalse(try OVALRegex("^b=(\\d)$").matches(text))
        XCTAssertEqual(try OVALRegex("^b=(\\d)$", multiline: true).firstMatch(in: text), ["b=2", "2"])
        XCTAssertFalse(try OVALRegex("a=1.b=2").matches(text))
        XCTAssertTrue(try OVALRegex("a=1.b=2", dotAll: true).matches(text))
        let both = try OVALRegex("^b.*^c", options: [.multiline, .dotAll])
        XCTAssertTrue(both.matches(text))
    }

    func testUTF8Semantics() throws {
        // '.' is one code point, \w is ASCII only (UTF without UCP, as OpenSCAP).
        XCTAssertTrue(try OVALRegex("^.$").matches("é"))
        XCTAssertFalse(try OVALRegex("^\\w$").matches("é"))
        let m = try XCTUnwrap(try OVALRegex("(ü+)").match("grüüße"))
        XCTAssertEqual(m.groups[1], "üü")
        XCTAssertEqual(m.range, 2..<6) // byte offsets
    }

    func testCompileErrorCarriesMessageAndOffset() {
        XCTAssertThrowsError(try OVALRegex("abc(def")) { error in
            guard let e = error as? RegexError else { return XCTFail("not a RegexError: \(error)") }
            XCTAssertEqual(e.kind, .compile)
            XCTAssertEqual(e.offset, 7)
            XCTAssertTrue(e.message.contains("missing closing parenthesis"), e.message)
            XCTAssertTrue(e.description.contains("abc(def"))
        }
        XCTAssertThrowsError(try OVALRegex("a{2,1}"))
        XCTAssertThrowsError(try OVALRegex("[z-a]"))
    }

    func testCatastrophicBacktrackingIsAnErrorNotANonMatch() throws {
        let re = try OVALRegex("(a+)+$")
        let subject = String(repeating: "a", count: 40) + "b"
        XCTAssertThrowsError(try re.match(subject)) { error in
            guard let e = error as? RegexError else { return XCTFail("not a RegexError: \(error)") }
            XCTAssertTrue(e.isLimitExceeded, "\(e.kind)")
            XCTAssertNotEqual(e.kind, .compile)
        }
        XCTAssertEqual(re.evaluate(subject), .error)
        XCTAssertFalse(re.matches(subject))
        // The same pattern still works on an input it can decide.
        XCTAssertEqual(re.evaluate("aaaa"), .true)
    }

    func testTighterLimitsApply() throws {
        let small = OVALRegex.Limits(matchLimit: 50, depthLimit: 50, heapLimitKiB: 1024)
        let re = try OVALRegex("(x|y)*z", options: [], limits: small)
        XCTAssertThrowsError(try re.match(String(repeating: "xy", count: 500) + "z")) { error in
            XCTAssertEqual((error as? RegexError)?.isLimitExceeded, true)
        }
        XCTAssertEqual(try re.match("xyz")?.text, "xyz")
    }

    func testInvalidUTF8BytesAreAnError() throws {
        let re = try OVALRegex("abc")
        XCTAssertThrowsError(try re.match(bytes: [0x61, 0x62, 0x63, 0xFF])) { error in
            XCTAssertEqual((error as? RegexError)?.kind, .badUTF8)
        }
        XCTAssertEqual(try re.match(bytes: Array("xxabc".utf8))?.range, 2..<5)
    }

    func testStartOffset() throws {
        let re = try OVALRegex("\\d+")
        XCTAssertEqual(try re.match("12 345", from: 2)?.text, "345")
        XCTAssertNil(try re.match("12 345", from: 6))
        XCTAssertThrowsError(try re.match("12", from: 3))
        XCTAssertThrowsError(try re.match("é1", from: 1)) { error in
            XCTAssertEqual((error as? RegexError)?.kind, .badUTF8)
        }
    }

    func testAllMatches() throws {
        XCTAssertEqual(try OVALRegex("\\d+").allMatches(in: "a1b22c333").map { $0[0] }, ["1", "22", "333"])
        XCTAssertEqual(try OVALRegex("(\\w)=(\\d)").allMatches(in: "a=1, b=2"),
                       [["a=1", "a", "1"], ["b=2", "b", "2"]])
        // Empty matches advance by one character (a whole UTF-8 sequence).
        XCTAssertEqual(try OVALRegex("x*").matchAll("éx").map(\.text), ["", "x", ""])
        XCTAssertEqual(try OVALRegex("nothing").allMatches(in: "abc").count, 0)
    }

    func testOpenSCAPScanQuirks() throws {
        // A lookahead's empty match is reported twice: OpenSCAP restarts at the match end.
        let ahead = try OVALRegex("(?=b)").openSCAPMatches(in: "ab")
        XCTAssertEqual(ahead.map(\.range), [1..<1, 1..<1])
        // Ordinary non-empty matches are each found once, with the final empty one at the end.
        XCTAssertEqual(try OVALRegex("a*").openSCAPMatches(in: "aab").map(\.text), ["aa", "", ""])
        // The subject stops at a NUL byte.
        XCTAssertEqual(try OVALRegex("x").openSCAPMatches(in: Array("x\u{0}x".utf8)).count, 1)
        // Stepping one byte into a multi-byte character fails, as PCRE's offset check does.
        XCTAssertThrowsError(try OVALRegex("q*").openSCAPMatches(in: "é"))
        // The scan keeps what it found before the error, as OpenSCAP keeps those items.
        let partial = try OVALRegex("q*").openSCAPScan(in: Array("é".utf8))
        XCTAssertEqual(partial.matches.map(\.range), [0..<0])
        XCTAssertEqual(partial.error?.kind, .badUTF8)
        // Invalid UTF-8 anywhere fails the scan.
        let invalid = try OVALRegex("a").openSCAPScan(in: [0x61, 0x0A, 0xC3])
        XCTAssertEqual(invalid.matches.count, 0)
        XCTAssertEqual(invalid.error?.kind, .badUTF8)
        // Unset groups are left out of the subexpressions.
        let m = try XCTUnwrap(try OVALRegex("(a)|(b)").openSCAPMatches(in: "b").first)
        XCTAssertEqual(m.groups, ["b", nil, "b"])
        XCTAssertEqual(m.openSCAPSubexpressions, ["b"])
    }

    func testOpenSCAPSubexpressionsStopAtNineteen() throws {
        let pattern = String(repeating: "(.)", count: 25)
        let subject = "abcdefghijklmnopqrstuvwxyz"
        let m = try XCTUnwrap(try OVALRegex(pattern).match(subject))
        XCTAssertEqual(m.captures.count, 25)
        XCTAssertEqual(m.openSCAPSubexpressions, (0..<19).map { String(subject[subject.index(subject.startIndex, offsetBy: $0)]) })
    }

    func testCacheSharesCompiledPatterns() throws {
        let pattern = "^cache-\(UUID().uuidString)$"
        let a = try OVALRegex.cached(pattern)
        let b = try OVALRegex.cached(pattern)
        XCTAssertTrue(a === b)
        let c = try OVALRegex.cached(pattern, .caseInsensitive)
        XCTAssertFalse(a === c)
        XCTAssertEqual(c.options, .caseInsensitive)
        XCTAssertThrowsError(try OVALRegex.cached("(unclosed"))
        XCTAssertThrowsError(try OVALRegex.cached("(unclosed")) { error in
            XCTAssertEqual((error as? RegexError)?.kind, .compile)
        }
    }

    func testConcurrentUseOfOneRegex() throws {
        let re = try OVALRegex.cached("^(\\w+):x:(\\d+):")
        let lines = (0..<400).map { "user\($0):x:\($0 * 7):\($0):gecos:/home/u:/bin/sh" }
        let results = ResultSlots(count: lines.count)
        DispatchQueue.concurrentPerform(iterations: lines.count) { i in
            let shared = try? OVALRegex.cached("^(\\w+):x:(\\d+):")
            results.set(i, shared?.firstMatch(in: lines[i])?[2] ?? nil)
        }
        XCTAssertEqual(results.values, (0..<lines.count).map { String($0 * 7) })
        XCTAssertEqual(re.firstMatch(in: lines[3])?[1], "user3")
    }
}

/// Slots written from several threads, read after they finish.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String?]
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: String?) { lock.withLock { storage[index] = value } }
    var values: [String?] { lock.withLock { storage } }
}
