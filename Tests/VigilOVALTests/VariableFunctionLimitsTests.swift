import Foundation
import VigilContent
import VigilOVAL
import VigilXML
import XCTest

/// Arithmetic and time_difference never trap on extreme operands (64-bit overflow, NaN,
/// infinity, dates far out of range): they give OpenSCAP's value where OpenSCAP gives a
/// defined one and an error otherwise. Functions building cartesian products refuse more
/// than `ContentLimits.maxVariableValues` values before building them.
final class VariableFunctionLimitsTests: XCTestCase {
    func values(_ function: String, datatype: String = "int", extra: String = "") throws -> VariableValues {
        let doc = try ovalDocument(variables: """
            <local_variable id="var:1" version="1" datatype="\(datatype)" comment="x">\(function)</local_variable>\(extra)
            """)
        let ev = OVALEvaluator(document: doc, collector: TableCollector([:]))
        return finishes { ev.variable("var:1") } ?? VariableValues(flag: .notCollected, values: [])
    }

    func literal(_ text: String, _ datatype: String = "string") -> String {
        #"<literal_component datatype="\#(datatype)">\#(text)</literal_component>"#
    }

    func testArithmeticOverflowNaNAndInfinityAreErrorsOrOpenSCAPValues() throws {
        let multiply = #"<arithmetic arithmetic_operation="multiply">"#, add = #"<arithmetic arithmetic_operation="add">"#
        for (operands, op) in [
            (literal("9223372036854775807", "int") + literal("10", "int"), multiply),
            (literal("-9223372036854775807", "int") + literal("-9223372036854775807", "int"), add),
            (literal("1e300") + literal("1e300"), multiply),
            (literal("nan") + literal("1", "int"), add),
            (literal("inf") + literal("1", "int"), add),
            (literal("-inf") + literal("inf"), add),
            (literal("1e999") + literal("1", "int"), add),
        ] {
            let v = try values(op + operands + "</arithmetic>")
            XCTAssertEqual(v.flag, .error, operands)
            XCTAssertEqual(v.values, [], operands)
        }
        XCTAssertEqual(try values(add + literal("inf", "float") + literal("1", "int") + "</arithmetic>", datatype: "float").values.map(\.text), ["inf"])
        XCTAssertEqual(try values(add + literal("nan", "float") + literal("1", "float") + "</arithmetic>", datatype: "float").flag, .complete)
        XCTAssertEqual(try values(multiply + literal("4611686018427387904", "int") + literal("-2", "int") + "</arithmetic>").values.map(\.text),
                       ["-9223372036854775808"])
        XCTAssertEqual(try values(add + literal("12abc") + literal("1", "int") + "</arithmetic>").values.map(\.text), ["13"])
        XCTAssertEqual(try values(add + literal("1.0", "version") + literal("1", "int") + "</arithmetic>").flag, .error)
    }

    func timeDifference(_ a: String, _ b: String, format: String = "seconds_since_epoch") -> String {
        #"<time_difference format_1="\#(format)" format_2="\#(format)">"# + literal(a) + literal(b) + "</time_difference>"
    }

    func testTimeDifferenceWithExtremeValuesNeverTraps() throws {
        for (a, b) in [("-9223372036854775808", "9223372036854775807"), ("9223372036854775807", "-9223372036854775808"),
                       ("9223372036854775807", "-1")] {
            let v = try values(timeDifference(a, b))
            XCTAssertEqual(v.flag, .complete)
            XCTAssertEqual(v.values.count, 1)
        }
        XCTAssertEqual(try values(timeDifference("99999999999999999999", "1")).flag, .error)
        for date in ["99999999999-01-01", "999999999999999999999-01-01", "2020-99999999999999-01", "0-01-01",
                     "2020-01-01 999999999999999:00:00", "2020-01-01 00:00:9223372036854775807", "2020-13-01"] {
            XCTAssertEqual(try values(timeDifference(date, "2020-01-01", format: "year_month_day")).flag, .error, date)
        }
        XCTAssertEqual(try values(timeDifference("2020-01-02 00:00:01", "2020-01-01", format: "year_month_day")).values.map(\.text),
                       ["86401"])
        // One component: the current time minus it, read with format_2 (as OpenSCAP does).
        let now = #"<time_difference format_2="seconds_since_epoch">"# + literal("-9223372036854775808") + "</time_difference>"
        XCTAssertEqual(try values(now).flag, .complete)
    }

    /// The values oscap computes for the same time_difference functions, read from its
    /// results file (OpenSCAP subtracts the second component from the first, in unsigned
    /// arithmetic, printing at most 15 digits).
    func testTimeDifferenceValuesMatchOscap() throws {
        // Only seconds since the epoch: OpenSCAP 1.3.7 reads the date formats with the year
        // and month offset twice (2021-03-01 minus 2020-02-28 is 370 days there), which
        // Vigil does not copy.
        let cases = [("100", "30", "seconds_since_epoch"), ("30", "100", "seconds_since_epoch"),
                     ("1700000000", "1600000000", "seconds_since_epoch"), ("5", "1700000000", "seconds_since_epoch")]
        // (oscap 1.3.7 crashes on negative or 64-bit extreme epoch values, so those are only
        // checked above, for not trapping.)
        var variables = "", objects = "", tests = "", criteria = ""
        for (i, c) in cases.enumerated() {
            let n = i + 1
            variables += #"<local_variable id="oval:t:var:\#(n)" version="1" datatype="int" comment="x">"#
                + timeDifference(c.0, c.1, format: c.2) + "</local_variable>"
            objects += #"<ind:variable_object id="oval:t:obj:\#(n)" version="1"><ind:var_ref>oval:t:var:\#(n)</ind:var_ref></ind:variable_object>"#
            tests += #"<ind:variable_test id="oval:t:tst:\#(n)" version="1" check="all" comment="x"><ind:object object_ref="oval:t:obj:\#(n)"/></ind:variable_test>"#
            criteria += #"<criterion test_ref="oval:t:tst:\#(n)"/>"#
        }
        let xml = OscapOVAL.document(
            definitions: #"<definition id="oval:t:def:1" version="1" class="compliance"><metadata><title>t</title><description>x</description></metadata><criteria>\#(criteria)</criteria></definition>"#,
            tests: tests, objects: objects, variables: variables)
        let dir = try OscapOVAL.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("time.xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        _ = try OscapOVAL.oscapResults(path)
        let results = try XMLDocument.parse(file: path + ".results.xml")
        var reference: [String: [String]] = [:]
        for n in 1...cases.count {
            let id = "oval:t:var:\(n)"
            let query = "//*[local-name()='variable_value' and @variable_id='\(id)']"
            guard case .strings(let found) = try results.xpath(query) else { continue }
            reference[id] = found
        }
        let ev = OVALEvaluator(document: try OVALLoader.load(try XMLDocument.parse(file: path).root!), collector: TableCollector([:]))
        for n in 1...cases.count {
            let id = "oval:t:var:\(n)"
            XCTAssertEqual(ev.variable(id).values.map(\.text), reference[id] ?? [], "\(cases[n - 1])")
        }
    }

    func constants(_ id: String, _ count: Int) -> String {
        #"<constant_variable id="\#(id)" version="1" datatype="string" comment="x">"#
            + (0..<count).map { "<value>\($0)</value>" }.joined() + "</constant_variable>"
    }

    func testCartesianProductsBeyondTheLimitAreErrorsBeforeBuilding() throws {
        let thousand = constants("k", 1000)
        let started = Date()
        let parts = String(repeating: #"<variable_component var_ref="k"/>"#, count: 3)
        for function in ["<concat>\(parts)</concat>",
                         #"<arithmetic arithmetic_operation="add">\#(parts)</arithmetic>"#,
                         #"<time_difference format_1="seconds_since_epoch" format_2="seconds_since_epoch"><variable_component var_ref="k"/><concat>\#(parts)</concat></time_difference>"#] {
            let v = try values(function, extra: thousand)
            XCTAssertEqual(v.flag, .error, function)
            XCTAssertTrue(v.message?.contains("more than the limit of \(ContentLimits.maxVariableValues)") ?? false, v.message ?? "no message")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the limit must be checked before building the product")
        let small = try values(#"<concat><variable_component var_ref="k"/><literal_component>x</literal_component></concat>"#, extra: thousand)
        XCTAssertEqual(small.flag, .complete)
        XCTAssertEqual(small.values.count, 1000)
    }
}
