import Foundation
import VigilStore
import XCTest
@testable import VigilReports

/// Markup that tries to run script from any text a report shows. Each piece also comes
/// disguised: a prepended concatenation mark (U+0600) joins every `<` into another
/// Character, and a combining long solidus (U+0338) every `>`, `"` and `'`, which is how
/// text slips through escaping that compares Characters instead of Unicode scalars. The
/// scripts set `data-pwned…` on the body, or the page title, where a test can see them.
enum Hostile {
    static func markup(_ field: String) -> String {
        let tag = "pwned" + field.lowercased().filter(\.isLetter)
        return "x\"'></title></textarea><img src=x onerror=document.body.dataset.\(tag)=1>"
            + "<svg onload=document.body.dataset.\(tag)=2></svg><script>document.body.dataset.\(tag)=3;document.title=1337</script>"
    }

    static func disguised(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "<" { out.append("\u{600}") }
            out.append(s)
            if s == ">" || s == "\"" || s == "'" { out.append("\u{338}") }
        }
        return String(out)
    }

    /// `field`'s text: a word naming it, then the markup plain and disguised.
    static func text(_ field: String) -> String {
        "\(field) \(markup(field)) \(disguised(markup(field)))"
    }

    /// The characters that build markup, counted by Unicode scalar.
    static func markupCharacters(_ text: String) -> Int {
        text.unicodeScalars.filter { "<>\"'".unicodeScalars.contains($0) }.count
    }
}

/// A report whose every text field is `value(field name)`.
func textReport(_ value: (String) -> String, now: Date = Date(timeIntervalSince1970: 1_790_000_000)) throws -> ReportData {
    let rules = [
        RuleRecord(ruleID: "xccdf_org.example_rule_" + value("ruleid"), instance: value("instance"), title: value("title"),
                   severity: value("severity"), result: .fail,
                   references: [RuleReference(kind: "stig", system: value("refsystem"), id: value("refid")),
                                RuleReference(kind: value("refkind"), system: "https://example.org/x", id: "y")],
                   evidence: value("evidence") + " uniqueevidenceword", description: value("description"),
                   rationale: value("rationale"), fixText: value("fix"), groups: [value("group"), value("subgroup")]),
        RuleRecord(ruleID: "xccdf_org.example_rule_waived", title: value("title2"), severity: "high", result: .fail,
                   evidence: value("evidence2")),
        // Results are typed (`XCCDFResult`): no text of the scanned system reaches a report as
        // a result; the store refuses a result it does not know (ScanStoreTests).
        RuleRecord(ruleID: "xccdf_org.example_rule_odd", title: "odd", severity: "low", result: .notchecked),
    ]
    let record = ScanRecord(uuid: "0f0e0d0c-0000-4000-8000-000000000001", hostName: value("host"), hostID: value("hostid"),
                            target: value("target"), contentPath: "/srv/" + value("content") + ".xml",
                            contentSHA256: String(repeating: "ab", count: 32), benchmarkID: value("benchmark"),
                            benchmarkVersion: value("version"), profileID: value("profile"), vigilVersion: "0.1.0",
                            startedAt: now.addingTimeInterval(-5), finishedAt: now.addingTimeInterval(-3),
                            score: 40, scoreMax: 100, scoreSystem: value("scoresystem"), rules: rules)
    /// A YAML double-quoted scalar: printable ASCII as it is, anything else as an escape.
    func yaml(_ s: String) -> String {
        "\"" + s.unicodeScalars.map { c in
            (0x20..<0x7F).contains(c.value) && c != "\"" && c != "\\" ? String(c) : String(format: "\\U%08X", c.value)
        }.joined() + "\""
    }
    let waivers = try WaiverList.parse("""
        waivers:
          - rule: waived
            reason: \(yaml(value("waiverreason")))
            owner: \(yaml(value("waiverowner")))
            expires: 2099-12-31
        """, file: "w.yaml")
    var data = ReportData(scan: StoredScan(unstored: record), rules: rules, waivers: waivers, generator: "0.1.0", now: now)
    data.benchmarkTitle = value("benchmarktitle")
    return data
}

/// A drift report whose every text field is `value(field name)`.
func textDrift(_ value: (String) -> String) throws -> (DriftReport, [StoredScan]) {
    let before = try textReport(value, now: Date(timeIntervalSince1970: 1_780_000_000))
    var from = before.scan
    from.id = 1
    var to = try textReport(value).scan
    to.id = 2
    to.score = 55
    let fromRules = before.rules.map(\.record).map { r -> RuleRecord in var r = r; r.result = .pass; return r }
    var toRules = before.rules.map(\.record)
    toRules.append(RuleRecord(ruleID: "xccdf_org.example_rule_new_" + value("newid"), title: value("newtitle"),
                              severity: value("newseverity"), result: .fail, evidence: value("newevidence")))
    return (DriftReport(from: from, fromResults: fromRules, to: to, toResults: toRules), [from, to])
}

final class HTMLInjectionTests: XCTestCase {
    /// Escaping works on Unicode scalars: nothing that builds markup survives, whatever
    /// Characters the text forms, and the escaped text reads back as the original.
    func testEscapingIsByUnicodeScalar() {
        let samples = ["<\u{338}", "\u{600}<", "\">\u{338}", "'\u{301}", "a\u{200D}<b", "&\u{20DD}", "`\u{FE0F}", "x\u{0}y",
                       "👩‍👩‍👧<", Hostile.disguised(Hostile.markup("a"))]
        for s in samples {
            let escaped = HTMLEscaping.escape(s)
            XCTAssertEqual(Hostile.markupCharacters(escaped), 0, s.debugDescription)
            XCTAssertFalse(escaped.unicodeScalars.contains("`"))
            var decoded = escaped
            for (entity, raw) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#96;", "`"), ("&amp;", "&")] {
                decoded = decoded.replacingOccurrences(of: entity, with: raw, options: .literal)
            }
            XCTAssertEqual(Array(decoded.unicodeScalars), Array(s.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}").unicodeScalars))
        }
    }

    /// The page rendered with hostile text in every field has exactly the markup of the
    /// page rendered with plain text: no `<`, `>`, `"` or `'` of a value reaches the page
    /// or the packed rule details unescaped.
    func testHostileTextAddsNoMarkupToTheReport() throws {
        let plain = String(decoding: try ReportPipeline.render(.html, try textReport { $0 }), as: UTF8.self)
        let hostile = String(decoding: try ReportPipeline.render(.html, try textReport(Hostile.text)), as: UTF8.self)
        XCTAssertEqual(Hostile.markupCharacters(hostile), Hostile.markupCharacters(plain))
        let plainDetails = try HTMLReport.unpackDetails(plain), hostileDetails = try HTMLReport.unpackDetails(hostile)
        XCTAssertEqual(hostileDetails.count, 3)
        for (p, h) in zip(plainDetails, hostileDetails) {
            XCTAssertEqual(Hostile.markupCharacters(h), Hostile.markupCharacters(p), h)
        }
        XCTAssertTrue(hostile.contains("&lt;img src=x onerror="), "the text is shown, escaped")
        XCTAssertTrue(hostile.contains("<h3>subgroup x&quot;&#39;&gt;"), "Group titles in the tree view too")
        XCTAssertTrue(hostileDetails.joined().contains("waiverreason x&quot;&#39;&gt;"), hostileDetails.joined())
    }

    func testHostileTextAddsNoMarkupToTheDriftPage() throws {
        let (plainDrift, plainTrend) = try textDrift { $0 }
        let (hostileDrift, hostileTrend) = try textDrift(Hostile.text)
        let plain = try DriftHTML.html(plainDrift, trend: plainTrend)
        let hostile = try DriftHTML.html(hostileDrift, trend: hostileTrend)
        XCTAssertEqual(Hostile.markupCharacters(hostile), Hostile.markupCharacters(plain))
        XCTAssertTrue(hostile.contains("newtitle x&quot;&#39;&gt;"), hostile)
    }

    /// The policy allows exactly the page's own script (by its SHA-256), not inline script
    /// in general; the drift page has no script and allows none.
    func testContentSecurityPolicyAllowsOnlyThePagesOwnScript() throws {
        let page = String(decoding: try ReportPipeline.render(.html, sampleReport()), as: UTF8.self)
        let policy = try XCTUnwrap(page.components(separatedBy: "http-equiv=\"Content-Security-Policy\" content=\"").dropFirst().first?
            .prefix { $0 != "\"" })
        let scriptSources = try XCTUnwrap(policy.components(separatedBy: "script-src ").dropFirst().first?.prefix { $0 != ";" })
        XCTAssertFalse(scriptSources.contains("unsafe"), String(policy))
        let scripts = page.components(separatedBy: "<script>").dropFirst().map { $0.components(separatedBy: "</script>")[0] }
        XCTAssertEqual(scripts.count, 1)
        let digest = InlineScripts.sha256(Array(scripts[0].utf8))
        XCTAssertEqual(String(scriptSources), "'sha256-\(Data(digest).base64EncodedString())'")
        // A known SHA-256, so the digest itself is checked.
        XCTAssertEqual(InlineScripts.sha256(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined(),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let (drift, trend) = try textDrift { $0 }
        XCTAssertTrue(try DriftHTML.html(drift, trend: trend).contains("script-src 'none'"))
        XCTAssertThrowsError(try InlineScripts.cspSources(template: "<script>var a = \"{{x}}\"</script>", name: "t"))
    }

    /// Both pages in headless Chromium, with their policy and without it (so escaping
    /// alone is tested too): no payload runs, and the report's own script still works.
    func testNoPayloadRunsInChromium() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-xss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let chromium = try Chromium.find(profileIn: dir)
        let report = String(decoding: try ReportPipeline.render(.html, try textReport(Hostile.text)), as: UTF8.self)
        let (drift, trend) = try textDrift(Hostile.text)
        let driftPage = try DriftHTML.html(drift, trend: trend)
        func withoutPolicy(_ page: String) -> String {
            page.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.contains("Content-Security-Policy") }.joined(separator: "\n")
        }
        XCTAssertNotEqual(withoutPolicy(report), report)
        for (name, page) in [("report", report), ("report-nocsp", withoutPolicy(report)),
                             ("drift", driftPage), ("drift-nocsp", withoutPolicy(driftPage))] {
            let file = dir.appendingPathComponent("\(name).html")
            try Data(page.utf8).write(to: file)
            let (dom, log) = try chromium.dom(file)
            XCTAssertFalse(dom.contains("data-pwned"), "\(name): a payload ran: \(dom.components(separatedBy: "<body")[1].prefix(300))")
            XCTAssertFalse(dom.contains("<title>1337"), "\(name): a payload set the title")
            // Searched as bytes (String.contains compares Characters); the browser writes
            // attributes of real elements quoted, the escaped payload's unquoted.
            let bytes = Data(dom.utf8)
            for element in ["<img", "onerror=\"", "onload=\""] {
                XCTAssertNil(bytes.range(of: Data(element.utf8)), "\(name): the page has \(element) from a payload")
            }
            XCTAssertNotNil(bytes.range(of: Data("&lt;img src=x onerror=".utf8)), "\(name): the payload is shown as text")
            if name.hasPrefix("report") {
                XCTAssertTrue(dom.contains("data-ready=\"true\""), "\(name): the page's own script ran:\n\(log.suffix(2000))")
                XCTAssertTrue(dom.contains("<h3>Evidence</h3><pre>evidence "), "\(name): details are unpacked")
                XCTAssertTrue(dom.contains("<h3>Waiver</h3><p>Until 2099-12-31, owner waiverowner"), "\(name)")
                let searched = try chromium.dom(file, "#q=uniqueevidenceword").dom
                XCTAssertEqual(Chromium.visibleRows(searched), 1, "\(name): search still narrows the table")
            }
        }
    }
}
