import Foundation
import XCTest

/// Values of a local variable take the variable's declared datatype, and a state entity
/// with var_ref compares with the values' datatype, as `oscap` does: checked against oscap
/// on a file of numbers, versions, booleans and words, for every pair of variable and
/// state datatypes and the ordering operations.
final class VariableDatatypeDifferentialTests: XCTestCase {
    static let lines: [(key: String, value: String)] = [
        ("min", "1000"), ("sys", "999"), ("big", "01000"), ("ver", "1.10"), ("ver2", "1.9"),
        ("bool", "true"), ("bool2", "1"), ("word", "abc"), ("neg", "-5"), ("space", " 7"),
    ]
    static let datatypes = ["int", "string", "version", "boolean", "float"]
    static let operations = ["equals", "not equal", "greater than", "less than", "greater than or equal",
                             "less than or equal"]
    /// (key of the line the item reads, key of the line the variable captures).
    static let pairs = [("sys", "min"), ("min", "big"), ("ver2", "ver"), ("bool2", "bool"), ("word", "min"),
                        ("min", "word"), ("neg", "sys"), ("space", "neg")]

    func testLocalVariableValuesTakeTheVariableDatatypeAsOscap() throws {
        let dir = try OscapOVAL.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("numbers.txt").path
        try Self.lines.map { "\($0.key) \($0.value)\n" }.joined().write(toFile: file, atomically: true, encoding: .utf8)

        let keyIndex = Dictionary(uniqueKeysWithValues: Self.lines.enumerated().map { ($1.key, $0 + 1) })
        func varID(_ key: String, _ datatype: String) -> Int { keyIndex[key]! * 10 + Self.datatypes.firstIndex(of: datatype)! }
        var objects = "", variables = "", definitions = "", tests = "", states = ""
        for (key, _) in Self.lines {
            objects += """
            <ind:textfilecontent54_object id="oval:t:obj:\(keyIndex[key]!)" version="1">
              <ind:filepath>\(file)</ind:filepath><ind:pattern operation="pattern match">^\(key) (.+)$</ind:pattern>
              <ind:instance datatype="int">1</ind:instance></ind:textfilecontent54_object>
            """
            for dt in Self.datatypes {
                // Captured through regex_capture, as SSG's UID-bound variables are.
                variables += """
                <local_variable id="oval:t:var:\(varID(key, dt))" version="1" datatype="\(dt)" comment="\(key)">
                  <regex_capture pattern="^\(key) (.+)$"><object_component object_ref="oval:t:obj:\(keyIndex[key]!)" item_field="text"/></regex_capture>
                </local_variable>
                """
            }
        }
        var n = 0
        for variableType in Self.datatypes {
            for stateType in Self.datatypes {
                for op in Self.operations {
                    for (itemKey, varKey) in Self.pairs {
                        n += 1
                        definitions += """
                        <definition id="oval:t:def:\(n)" version="1" class="compliance"><metadata>
                          <title>variable \(variableType), state \(stateType): \(itemKey) \(op) \(varKey)</title><description>x</description>
                        </metadata><criteria><criterion test_ref="oval:t:tst:\(n)"/></criteria></definition>
                        """
                        tests += """
                        <ind:textfilecontent54_test id="oval:t:tst:\(n)" version="1" check="all" comment="x">
                          <ind:object object_ref="oval:t:obj:\(keyIndex[itemKey]!)"/><ind:state state_ref="oval:t:ste:\(n)"/></ind:textfilecontent54_test>
                        """
                        states += """
                        <ind:textfilecontent54_state id="oval:t:ste:\(n)" version="1">
                          <ind:subexpression datatype="\(stateType)" operation="\(op)" var_ref="oval:t:var:\(varID(varKey, variableType))"/>
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
}
