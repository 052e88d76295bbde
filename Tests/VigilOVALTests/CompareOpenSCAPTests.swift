import Foundation
import XCTest
@testable import VigilOVAL

/// Runs the same comparisons through `oscap` (OpenSCAP 1.3.7) and through `OVALCompare` and
/// requires the same result for each. Skipped when oscap is not installed.
final class CompareOpenSCAPTests: XCTestCase {
    struct Case {
        let actual: String
        let operation: OVALOperation
        let expected: String
        let datatype: OVALDatatype
    }

    static let ordering: [OVALOperation] = [.equals, .notEqual, .greaterThan, .greaterThanOrEqual,
                                            .lessThan, .lessThanOrEqual]

    func testHandPickedCasesAgreeWithOpenSCAP() throws {
        var cases: [Case] = []
        func add(_ a: String, _ ops: [OVALOperation], _ e: String, _ t: OVALDatatype) {
            cases += ops.map { Case(actual: a, operation: $0, expected: e, datatype: t) }
        }
        let stringOps: [OVALOperation] = [.equals, .notEqual, .caseInsensitiveEquals,
                                          .caseInsensitiveNotEqual, .patternMatch, .greaterThan]
        add("PermitRootLogin no", stringOps, "permitrootlogin no", .string)
        add("É", stringOps, "é", .string)
        add("e\u{301}", [.equals], "\u{e9}", .string)
        add("/usr/sbin/sshd", [.patternMatch], "^/usr/s?bin/ss.d$", .string)
        add("abc", [.patternMatch], "(", .string)
        add("é", [.patternMatch], "^.$", .string)
        add("Ü", [.patternMatch], "^\\w$", .string)
        add(String(repeating: "a", count: 30) + "b", [.patternMatch], "(a+)+$", .string)
        for (a, e) in [("7", "5"), ("4", "5"), ("5", "7"), ("+5", "5"), (" 5", "5"), ("-3", "-3"),
                       ("0x10", "16"), ("9223372036854775808", "1"), ("", "0"), ("10", "9"), ("5 ", "5")] {
            add(a, Self.ordering + [.bitwiseAnd, .bitwiseOr, .patternMatch], e, .int)
        }
        for (a, e) in [("8", "0x1p3"), ("1e-310", "0"), (" 1.5", "1.5"), ("1.0000000001", "1"),
                       ("nan", "nan"), ("inf", "1e308"), ("2.5", "2.4"), ("1,5", "1.5")] {
            add(a, Self.ordering + [.bitwiseAnd], e, .float)
        }
        for (a, e) in [("TRUE", "false"), ("true", "1"), ("0", "false"), ("yes", "true")] {
            add(a, [.equals, .notEqual, .lessThan], e, .boolean)
        }
        add("deadBEEF", [.equals, .notEqual, .patternMatch], "DEADbeef", .binary)
        for (a, e) in [("1.2.3", "1.2.3"), ("1.2", "1.2.0"), ("1..2", "1.0"), ("1.10", "1.9"),
                       ("1.2a", "1.2b"), ("5.4.0-150", "5.4.0-42"), ("1.-2", "1.0"), ("", "0"),
                       ("99999999999", "1"), ("1 .2", "1.2")] {
            add(a, Self.ordering, e, .version)
        }
        add("1.2", [.patternMatch, .bitwiseAnd], "1.2", .version)
        for (a, e) in [("0:1.2-3.el9", "1.2-3.el9"), ("1.0~rc1", "1.0"), ("1.0^post", "1.0"),
                       ("1.2", "1.2-1"), ("0:3.0.7-16.el9_2", "0:3.0.7-18.el9"), (":1.0", "0:1.0"),
                       ("1:1.0-1", "0:9.9-9"), ("1.0a", "1.0"), ("2.0", "2a"), ("1_0", "1.0")] {
            add(a, Self.ordering + [.patternMatch], e, .evrString)
        }
        for (a, e) in [("1:2.8.4-1+deb11u1", "2.8.4-1"), ("1.0~rc1", "1.0"), ("0:1.2-1", "1.2-1"),
                       ("2.36-9+deb12u7", "2.36-9+deb12u4"), ("99999999999:1.0", "1.0"),
                       ("1.0é", "1.0z"), ("1.0é", "1.0+")] {
            add(a, Self.ordering + [.patternMatch], e, .debianEVRString)
        }
        let ipOps = Self.ordering + [.subsetOf, .supersetOf]
        for (a, e) in [("10.0.0.1", "192.168.0.0/0"), ("192.168.0.0", "192.168.0.0/0"),
                       ("10.1.2.3", "10.0.0.0/8"), ("10.1.2.3/24", "10.1.2.3/255.255.255.0"),
                       ("10.1.2.3/24", "10.1.2.0/24"), ("10.1.2.3", "10.1.2.3/288"),
                       ("10.1.2.3", "10.1.2.3/24."), ("10.1.2.3", "010.1.2.3"),
                       ("10.1.2.4/24", "10.1.2.3"), ("10.1.3.4/24", "10.1.2.3/24"),
                       ("10.0.0.0/8", "10.1.0.0/16"), ("10.1.2.3", "10.1.2.3/ 24"),
                       ("10.1.2.3", "10.1.2.3/-8"), ("10.1.2.3", "10.1.2.3/255.255.0.255")] {
            add(a, ipOps, e, .ipv4Address)
        }
        for (a, e) in [("::1", "0:0::1"), ("fe80::1/64", "fe80::/10"), ("2001:db8::1", "2001:db8::/32"),
                       ("2001:db8::2/64", "2001:db8::1/64"), ("::1", "::1/abc"), ("fe80::1", "::1"),
                       ("::ffff:10.0.0.1", "::ffff:10.0.0.0/120")] {
            add(a, ipOps, e, .ipv6Address)
        }
        add("x", [.equals], "x", .filesetRevision)
        add("x", [.equals], "x", .iosVersion)
        try assertAgreesWithOpenSCAP(cases)
    }

    /// Pseudo-random version strings (fixed seed) through both package orderings and the
    /// version datatype, so librpm's and OpenSCAP's own code judge the same pairs.
    func testGeneratedVersionsAgreeWithOpenSCAP() throws {
        var rng = SplitMix64(seed: 0x5EED_0F_0CA7)
        let alphabet = Array("0123456789012345.-~^:abz+_")
        func word() -> String {
            String((0..<Int.random(in: 1...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "0" })
        }
        func near(_ s: String) -> String {
            // A small edit of s, so pairs are often close to equal.
            var chars = Array(s)
            let i = Int.random(in: 0..<chars.count, using: &rng)
            chars[i] = alphabet.randomElement(using: &rng) ?? "1"
            return String(chars)
        }
        var cases: [Case] = []
        for n in 0..<600 {
            let a = word()
            let b = n % 2 == 0 ? near(a) : word()
            let type: OVALDatatype = [.evrString, .debianEVRString, .version][n % 3]
            let op = Self.ordering[n % Self.ordering.count]
            cases.append(Case(actual: a, operation: op, expected: b, datatype: type))
        }
        try assertAgreesWithOpenSCAP(cases)
    }

    // MARK: Running oscap

    private func assertAgreesWithOpenSCAP(_ cases: [Case], file: StaticString = #filePath,
                                          line: UInt = #line) throws {
        let oscap = "/usr/bin/oscap"
        guard FileManager.default.isExecutableFile(atPath: oscap) else {
            throw XCTSkip("oscap is not installed")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let content = dir.appendingPathComponent("compare.xml")
        try Self.document(for: cases).write(to: content, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: oscap)
        process.arguments = ["oval", "eval", "--skip-valid", content.path]
        process.currentDirectoryURL = dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)

        var results: [Int: String] = [:]
        for row in text.split(separator: "\n") {
            let parts = row.split(separator: ":", omittingEmptySubsequences: false)
            guard row.hasPrefix("Definition oval:x:def:"), parts.count >= 5,
                  let n = Int(parts[3]) else { continue }
            results[n] = parts[4...].joined(separator: ":").trimmingCharacters(in: .whitespaces)
        }
        XCTAssertEqual(results.count, cases.count, "oscap output:\n\(text.prefix(2000))", file: file, line: line)
        for (i, c) in cases.enumerated() {
            guard let theirs = results[i + 1] else { continue }
            let ours = OVALCompare.compare(c.actual, c.operation, c.expected, datatype: c.datatype)
            XCTAssertEqual(ours.rawValue, theirs,
                           "'\(c.actual)' \(c.operation.rawValue) '\(c.expected)' as \(c.datatype.rawValue)",
                           file: file, line: line)
        }
    }

    /// An OVAL document with one definition per case: a constant variable holds the system
    /// value, a variable_state holds the operation and the expected value.
    static func document(for cases: [Case]) -> String {
        let ind = "http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"
        var definitions = "", tests = "", objects = "", states = "", variables = ""
        for (index, c) in cases.enumerated() {
            let n = index + 1
            definitions += """
                <definition class="compliance" id="oval:x:def:\(n)" version="1"><metadata><title>c</title>\
                <description>c</description></metadata><criteria><criterion test_ref="oval:x:tst:\(n)"/>\
                </criteria></definition>
                """
            tests += """
                <variable_test xmlns="\(ind)" id="oval:x:tst:\(n)" version="1" check="all" comment="c">\
                <object object_ref="oval:x:obj:\(n)"/><state state_ref="oval:x:ste:\(n)"/></variable_test>
                """
            objects += """
                <variable_object xmlns="\(ind)" id="oval:x:obj:\(n)" version="1">\
                <var_ref>oval:x:var:\(n)</var_ref></variable_object>
                """
            states += """
                <variable_state xmlns="\(ind)" id="oval:x:ste:\(n)" version="1"><value \
                datatype="\(c.datatype.rawValue)" operation="\(c.operation.rawValue)">\(escape(c.expected))\
                </value></variable_state>
                """
            variables += """
                <constant_variable id="oval:x:var:\(n)" version="1" datatype="\(c.datatype.rawValue)" \
                comment="c"><value>\(escape(c.actual))</value></constant_variable>
                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" \
            xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5">
            <generator><oval:schema_version>5.11</oval:schema_version>\
            <oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
            <definitions>\(definitions)</definitions><tests>\(tests)</tests><objects>\(objects)</objects>
            <states>\(states)</states><variables>\(variables)</variables>
            </oval_definitions>
            """
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// A small seeded generator so generated cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
