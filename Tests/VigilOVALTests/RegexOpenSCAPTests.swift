import Foundation
import XCTest
@testable import VigilOVAL

/// Runs textfilecontent54 objects through `oscap` (OpenSCAP 1.3.7) and checks that
/// `OVALRegex.openSCAPScan` finds the same instances, texts and subexpressions, and fails
/// where OpenSCAP flags an error. Skipped when oscap is not installed.
final class RegexOpenSCAPTests: XCTestCase {
    struct Case {
        let content: [UInt8]
        let pattern: String
        var options: OVALRegex.Options = []
    }

    /// One collected instance: its text and subexpressions.
    struct Instance: Equatable {
        let text: String
        let subexpressions: [String]
    }

    func testScanAgreesWithTextFileContent54() throws {
        let oscap = "/usr/bin/oscap"
        guard FileManager.default.isExecutableFile(atPath: oscap) else { throw XCTSkip("oscap is not installed") }
        let config = "key = value\nother=1\nkey=second\n"
        let cases: [Case] = [
            Case(content: Array("ab".utf8), pattern: "(?=b)"),
            Case(content: Array("é".utf8), pattern: "q*"),
            Case(content: Array("aab".utf8), pattern: "a*"),
            Case(content: Array("x\u{0}x".utf8), pattern: "x"),
            Case(content: Array("ab".utf8), pattern: "(a)|(b)"),
            Case(content: Array(config.utf8), pattern: #"^key\s*=\s*(\S+)$"#, options: .multiline),
            Case(content: Array(config.utf8), pattern: #"^key\s*=\s*(\S+)$"#),
            Case(content: Array("PermitRootLogin yes\n".utf8), pattern: #"^permitrootlogin\s+(\w+)"#,
                 options: [.caseInsensitive, .multiline]),
            Case(content: Array("a\nb".utf8), pattern: "a.b", options: .dotAll),
            Case(content: Array("a\nb".utf8), pattern: "a.b"),
            Case(content: Array("abcdefghijklmnopqrstuvwxyz".utf8), pattern: String(repeating: "(.)", count: 21)),
            Case(content: [0x61, 0xFF], pattern: "a"),
            Case(content: Array("grüße straße".utf8), pattern: "(\\S*ß)(e)"),
            Case(content: Array((String(repeating: "ab", count: 3000) + "c").utf8), pattern: "(a|b)*c"),
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (i, c) in cases.enumerated() {
            try Data(c.content).write(to: dir.appendingPathComponent("f\(i + 1)"))
        }
        let definitions = dir.appendingPathComponent("defs.xml")
        let results = dir.appendingPathComponent("results.xml")
        try Self.document(cases, directory: dir.path).write(to: definitions, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: oscap)
        process.arguments = ["oval", "eval", "--skip-valid", "--results", results.path, definitions.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let xml = try String(contentsOf: results, encoding: .utf8)
        let collected = try Self.collected(from: xml)
        XCTAssertEqual(collected.count, cases.count)
        // Errors must come up on both sides for the cases built to fail.
        XCTAssertEqual(collected.values.filter { $0.flag == "error" }.count, 3)

        for (i, c) in cases.enumerated() {
            let label = "case \(i + 1): /\(c.pattern)/"
            guard let theirs = collected[i + 1] else {
                XCTFail("\(label): no collected object in OpenSCAP's results")
                continue
            }
            let regex = try OVALRegex(c.pattern, options: c.options, limits: .openSCAPFileContent)
            let scan = regex.openSCAPScan(in: c.content)
            let ours = scan.matches.map {
                Instance(text: $0.text, subexpressions: $0.openSCAPSubexpressions)
            }
            XCTAssertEqual(scan.error != nil, theirs.flag == "error", "\(label): \(String(describing: scan.error))")
            XCTAssertEqual(ours, theirs.instances, label)
        }
    }

    /// What OpenSCAP collected for each object number: its flag and its instances in order.
    static func collected(from xml: String) throws -> [Int: (flag: String, instances: [Instance])] {
        let objectRE = try OVALRegex(#"<object id="oval:x:obj:(\d+)"[^>]*flag="([^"]+)"(?:/>|>(.*?)</object>)"#,
                                     options: .dotAll)
        let refRE = try OVALRegex(#"item_ref="(\d+)""#)
        let itemRE = try OVALRegex(#"<ind-sys:textfilecontent_item id="(\d+)".*?</ind-sys:textfilecontent_item>"#,
                                   options: .dotAll)
        let instanceRE = try OVALRegex(#"<ind-sys:instance[^>]*>(\d+)<"#)
        let textRE = try OVALRegex(#"<ind-sys:text(?:/>|>(.*?)</ind-sys:text>)"#, options: .dotAll)
        let subRE = try OVALRegex(#"<ind-sys:subexpression(?:/>|>(.*?)</ind-sys:subexpression>)"#, options: .dotAll)

        var items: [String: (Int, Instance)] = [:]
        for m in try itemRE.matchAll(xml) {
            guard let id = m.groups[1], let n = try instanceRE.match(m.text)?.groups[1].flatMap({ Int($0) }) else { continue }
            let text: String = try textRE.match(m.text)?.groups[1].flatMap { $0 } ?? ""
            let subs = try subRE.matchAll(m.text).map { unescape($0.groups[1] ?? "") }
            items[id] = (n, Instance(text: unescape(text), subexpressions: subs))
        }
        var objects: [Int: (flag: String, instances: [Instance])] = [:]
        for m in try objectRE.matchAll(xml) {
            guard let n = m.groups[1].flatMap({ Int($0) }), let flag = m.groups[2] else { continue }
            let refs = try refRE.matchAll(m.groups[3] ?? "").compactMap { $0.groups[1] }
            let instances = refs.compactMap { items[$0] }.sorted { $0.0 < $1.0 }.map(\.1)
            objects[n] = (flag, instances)
        }
        return objects
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }

    static func document(_ cases: [Case], directory: String) -> String {
        let ind = "http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"
        var definitions = "", tests = "", objects = ""
        for (index, c) in cases.enumerated() {
            let n = index + 1
            let pattern = c.pattern.replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            definitions += """
                <definition class="compliance" id="oval:x:def:\(n)" version="1"><metadata><title>c</title>\
                <description>c</description></metadata><criteria><criterion test_ref="oval:x:tst:\(n)"/>\
                </criteria></definition>
                """
            tests += """
                <textfilecontent54_test xmlns="\(ind)" id="oval:x:tst:\(n)" version="1" check="all" \
                check_existence="any_exist" comment="c"><object object_ref="oval:x:obj:\(n)"/></textfilecontent54_test>
                """
            objects += """
                <textfilecontent54_object xmlns="\(ind)" id="oval:x:obj:\(n)" version="1">\
                <behaviors ignore_case="\(c.options.contains(.caseInsensitive))" \
                multiline="\(c.options.contains(.multiline))" singleline="\(c.options.contains(.dotAll))"/>\
                <path>\(directory)</path><filename>f\(n)</filename>\
                <pattern operation="pattern match">\(pattern)</pattern>\
                <instance datatype="int" operation="greater than or equal">1</instance></textfilecontent54_object>
                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" \
            xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5">
            <generator><oval:schema_version>5.11</oval:schema_version>\
            <oval:timestamp>2024-01-01T00:00:00</oval:timestamp></generator>
            <definitions>\(definitions)</definitions><tests>\(tests)</tests><objects>\(objects)</objects>
            </oval_definitions>
            """
    }
}
