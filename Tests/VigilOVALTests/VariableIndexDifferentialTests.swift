import Foundation
import XCTest

/// A state entity compared with a variable of many values (hashed, see `ValueIndex`) gives
/// oscap's results: for string, binary, int and boolean variables of twelve values with
/// repeats, case and forms only C reads alike, every equality operation and every
/// var_check, on values that are among the variable's, equal to one only as C reads them,
/// or absent.
final class VariableIndexDifferentialTests: XCTestCase {
    static let values: [String: [String]] = [
        "string": ["app", "app", "App", "web", "db", "cache", "queue", "app-1", "APP", "x y", "z", "q"],
        "binary": ["0a1b", "0A1B", "ff", "FF", "00", "0a", "1b", "abcd", "ABCD", "12", "34", "56"],
        "int": ["7", "07", "+7", "8", "9", "10", "-7", "100", "7", "11", "12", "13"],
        "boolean": ["true", "1", "false", "0", "true", "false", "TRUE", "yes", "1", "0", "no", "true"],
    ]
    static let actuals: [String: [String]] = [
        "string": ["app", "APP", "web", "none"],
        "binary": ["0A1b", "ff", "99"],
        "int": ["7", "007", "8", "5"],
        "boolean": ["true", "1", "false", "maybe"],
    ]
    static let operations: [String: [String]] = [
        "string": ["equals", "not equal", "case insensitive equals", "case insensitive not equal"],
        "binary": ["equals", "not equal"], "int": ["equals", "not equal"], "boolean": ["equals", "not equal"],
    ]
    static let checks = ["all", "at least one", "only one", "none satisfy"]

    func testStatesComparedWithManyValuesAgreeWithOscap() throws {
        let dir = try OscapOVAL.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("values.txt").path
        var lines = ""
        for (dt, values) in Self.values { lines += values.map { "v-\(dt) \($0)\n" }.joined() }
        for (dt, actuals) in Self.actuals { lines += actuals.enumerated().map { "a-\(dt)-\($0) \($1)\n" }.joined() }
        try lines.write(toFile: file, atomically: true, encoding: .utf8)

        var objects = "", variables = "", definitions = "", tests = "", states = "", n = 0
        for (d, dt) in Self.values.keys.sorted().enumerated() {
            objects += Self.object(id: 100 + d, file: file, pattern: "^v-\(dt) (.+)$", instance: ">= 1")
            variables += """
            <local_variable id="oval:t:var:\(d + 1)" version="1" datatype="\(dt)" comment="\(dt)">
              <object_component object_ref="oval:t:obj:\(100 + d)" item_field="subexpression"/></local_variable>
            """
            for (a, _) in Self.actuals[dt]!.enumerated() {
                objects += Self.object(id: 1000 + 10 * d + a, file: file, pattern: "^a-\(dt)-\(a) (.+)$", instance: "1")
                for op in Self.operations[dt]! {
                    for check in Self.checks {
                        n += 1
                        definitions += """
                        <definition id="oval:t:def:\(n)" version="1" class="compliance"><metadata>
                          <title>\(dt) value \(a) \(op) var_check \(check)</title><description>x</description>
                        </metadata><criteria><criterion test_ref="oval:t:tst:\(n)"/></criteria></definition>
                        """
                        tests += """
                        <ind:textfilecontent54_test id="oval:t:tst:\(n)" version="1" check="all" comment="x">
                          <ind:object object_ref="oval:t:obj:\(1000 + 10 * d + a)"/><ind:state state_ref="oval:t:ste:\(n)"/>
                        </ind:textfilecontent54_test>
                        """
                        states += """
                        <ind:textfilecontent54_state id="oval:t:ste:\(n)" version="1">
                          <ind:subexpression datatype="\(dt)" operation="\(op)" var_ref="oval:t:var:\(d + 1)" var_check="\(check)"/>
                        </ind:textfilecontent54_state>
                        """
                    }
                }
            }
        }
        let xml = OscapOVAL.document(definitions: definitions, tests: tests, objects: objects, states: states,
                                     variables: variables)
        let wrong = try OscapOVAL.disagreements(xml, in: dir)
        XCTAssertEqual(wrong, [], "\(wrong.count) of \(n) definitions disagree with oscap")
    }

    private static func object(id: Int, file: String, pattern: String, instance: String) -> String {
        let (op, value) = instance == "1" ? ("equals", "1") : ("greater than or equal", "1")
        return """
        <ind:textfilecontent54_object id="oval:t:obj:\(id)" version="1">
          <ind:filepath>\(file)</ind:filepath><ind:pattern operation="pattern match">\(pattern)</ind:pattern>
          <ind:instance datatype="int" operation="\(op)">\(value)</ind:instance></ind:textfilecontent54_object>
        """
    }
}
