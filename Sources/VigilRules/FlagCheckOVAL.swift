import Foundation

/// The `flag` check kind in OVAL: one textfilecontent54 regex over the manifest that
/// matches the last `command:`/`args:` item setting the flag, in either spelling, and
/// captures its value.
/// The command's items and then the args' are one argument list, as the kubelet runs them.
extension RuleCheckOVAL {
    /// The PCRE (multiline) whose single capture is the flag's effective value: for a
    /// boolean flag `--name` or `--name=value` as written, otherwise the value after `=` or
    /// the next list item
    /// (a comment, a blank line or `args:` may come between). A later item setting the flag
    /// rules a match out (pflag: the last wins).
    static func flagPattern(_ name: String, boolean: Bool) -> String {
        let item = "^[ \\t]*-[ \\t]+[\"']?"
        let flag = "--" + re(name)
        let end = "[\"']?(?:[ \\t]+#[^\\n]*)?[ \\t\\r]*$"
        let later = "(?![\\s\\S]*\(item)\(flag)(?:=|[\"']?[ \\t\\r]*$))"
        if boolean { return "\(item)(\(flag)(?:=.*?)?)\(end)\(later)" }
        let nextItem = "[\"']?[ \\t\\r]*(?:\\n[ \\t\\r]*(?:#[^\\n]*|args:[ \\t\\r]*)?)*\\n[ \\t]*-[ \\t]+[\"']?"
        return "\(item)\(flag)(?:=|\(nextItem))(.*?)\(end)\(later)"
    }

    /// A `command:` or `args:` written as a flow list (`[a, b]`), which the item pattern
    /// cannot read: the check fails there rather than pass on an unread flag.
    static let flowList = "^[ \\t]*(?:-[ \\t]+)?(?:command|args)[ \\t]*:[ \\t]*\\["

    mutating func flag(_ c: FlagCheck, _ title: String) -> Criteria {
        if let component = c.component { return componentFlag(c, component, title) }
        let obj = textObject(c.files, pattern: RuleCheckOVAL.flagPattern(c.name, boolean: c.boolean))
        let flow = oval.test("ind:textfilecontent54_test", comment: "no command or args flow list", object: textObject(c.files, pattern: RuleCheckOVAL.flowList),
                             existence: "none_exist")
        switch c.condition {
        case .present, .absent:
            let present = if case .present = c.condition { true } else { false }
            return .and([.test(flow), .test(oval.test("ind:textfilecontent54_test", comment: title, object: obj,
                                                      existence: present ? "at_least_one_exists" : "none_exist"))])
        case .value(let t):
            let note = c.defaultValue.map { " (absent: the default \($0) \(c.missingPasses ? "passes" : "fails"))" } ?? ""
            return .and([.test(flow), .test(oval.test("ind:textfilecontent54_test", comment: title + note, object: obj, states: states(t),
                                                      existence: c.missingPasses ? "any_exist" : "at_least_one_exists"))])
        }
    }
}
