import Foundation
import XCTest

/// `unique` keeps values that differ in their bytes, as oscap compares them (`strcmp`):
/// "café" precomposed and decomposed are two values, though Swift strings equate them.
final class UniqueDifferentialTests: XCTestCase {
    func testUniqueKeepsValuesThatDifferInTheirBytesAsOscap() throws {
        let dir = try OscapOVAL.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("values.txt").path
        try "v caf\u{e9}\nv cafe\u{301}\nv caf\u{e9}\nv Caf\u{e9}\n".write(toFile: file, atomically: true, encoding: .utf8)
        var definitions = "", tests = "", states = ""
        for n in 1...4 {
            definitions += """
            <definition id="oval:t:def:\(n)" version="1" class="compliance"><metadata><title>unique gives \(n) values</title>
              <description>x</description></metadata><criteria><criterion test_ref="oval:t:tst:\(n)"/></criteria></definition>
            """
            tests += """
            <ind:variable_test id="oval:t:tst:\(n)" version="1" check="all" comment="x">
              <ind:object object_ref="oval:t:obj:2"/><ind:state state_ref="oval:t:ste:\(n)"/></ind:variable_test>
            """
            states += #"<ind:variable_state id="oval:t:ste:\#(n)" version="1"><ind:value datatype="int">\#(n)</ind:value></ind:variable_state>"#
        }
        let xml = OscapOVAL.document(definitions: definitions, tests: tests, objects: """
            <ind:textfilecontent54_object id="oval:t:obj:1" version="1"><ind:filepath>\(file)</ind:filepath>
              <ind:pattern operation="pattern match">^v (.+)$</ind:pattern>
              <ind:instance datatype="int" operation="greater than or equal">1</ind:instance></ind:textfilecontent54_object>
            <ind:variable_object id="oval:t:obj:2" version="1"><ind:var_ref>oval:t:var:2</ind:var_ref></ind:variable_object>
            """, states: states, variables: """
            <local_variable id="oval:t:var:1" version="1" datatype="string" comment="u">
              <unique><object_component object_ref="oval:t:obj:1" item_field="subexpression"/></unique></local_variable>
            <local_variable id="oval:t:var:2" version="1" datatype="int" comment="c">
              <count><variable_component var_ref="oval:t:var:1"/></count></local_variable>
            """)
        XCTAssertEqual(try OscapOVAL.disagreements(xml, in: dir), [])
        XCTAssertEqual(try OscapOVAL.vigilResults(dir.appendingPathComponent("defs.xml").path)["oval:t:def:3"], "true")
    }
}
