import VigilContent

/// The kinds of remediation script `vigil fix` writes, by the XCCDF fix system they take.
public enum FixFormat: String, CaseIterable, Sendable {
    case bash, ansible

    /// The `<fix system=>` this format takes.
    public var system: String {
        switch self {
        case .bash: return "urn:xccdf:fix:script:sh"
        case .ansible: return "urn:xccdf:fix:script:ansible"
        }
    }
}

/// A remediation script for a list of rules, made as `oscap xccdf generate fix` makes it:
/// per rule, the first fix of the format's system (after oscap's reboot and disruption
/// preferences), with the profile's values in place of its `<sub>`s. A rule without such
/// a fix is marked missing; one whose fix cannot be resolved is marked, and named in
/// `problems`, never half written.
public struct FixScript: Sendable {
    /// One rule's part of the script.
    public struct Entry: Sendable {
        public var ruleID: String
        /// The fix text, values filled in; nil when the rule has none that can be written.
        public var script: String?
        /// Why there is no script: no fix of this system, or the fix could not be resolved.
        public var missing: String?
    }

    public let format: FixFormat
    /// Comment lines that open the script (what it was made from).
    public let header: [String]
    public let entries: [Entry]
    /// Fixes that could not be written, each "rule: file:line: why".
    public var problems: [String] { entries.compactMap { e in e.script == nil && e.missing != Self.noFix ? "\(e.ruleID): \(e.missing ?? "")" : nil } }

    static let noFix = "no fix"

    /// The script for `rules` (in that order, each once), from `fixes` (by rule id) with
    /// `values` (a policy's values, by Value id) in place of each `<sub>`.
    public init(format: FixFormat, rules: [String], fixes: [String: [RemediationFix]], values: [String: String],
                header: [String]) {
        self.format = format
        self.header = header
        var seen = Set<String>()
        entries = rules.filter { seen.insert($0).inserted }.map { id in
            guard let fix = Self.choose(fixes[id] ?? [], system: format.system) else {
                return Entry(ruleID: id, script: nil, missing: Self.noFix)
            }
            let (script, problem) = fix.text(values: values)
            return Entry(ruleID: id, script: script, missing: problem)
        }
    }

    /// Rule ids that have a script.
    public var rulesWithScript: [String] { entries.filter { $0.script != nil }.map(\.ruleID) }

    /// oscap's choice among a rule's fixes: those of `system`; when one needs no reboot,
    /// only those that need none; when some are of `low` or `medium` disruption, only those
    /// of the last such level met; then the first.
    static func choose(_ fixes: [RemediationFix], system: String) -> RemediationFix? {
        var candidates = fixes.filter { $0.system == system }
        if candidates.contains(where: { !$0.reboot }) { candidates.removeAll(where: \.reboot) }
        if let level = candidates.last(where: { $0.disruption == "low" || $0.disruption == "medium" })?.disruption {
            candidates.removeAll { $0.disruption != level }
        }
        return candidates.first
    }

    /// The whole script.
    public var text: String {
        switch format {
        case .bash: return bashText
        case .ansible: return ansibleText
        }
    }

    private var bashText: String {
        var out = "#!/usr/bin/env bash\n" + Self.banner(header)
        for (i, e) in entries.enumerated() {
            let id = Self.oneLine(e.ruleID)
            let position = "\(i + 1)/\(entries.count)"
            out += "\n" + Self.rule + "\n# BEGIN fix (\(i + 1) / \(entries.count)) for '\(id)'\n" + Self.rule + "\n"
            out += "(>&2 echo \(Self.shellQuoted("Remediating rule \(position): '\(id)'")))\n"
            if let script = e.script {
                out += Self.trimmed(script) + "\n"
            } else {
                if let why = e.missing, why != Self.noFix { out += "# \(Self.oneLine(why))\n" }
                let what = e.missing == Self.noFix ? "IS MISSING" : "WAS NOT WRITTEN (see above)"
                out += "(>&2 echo \(Self.shellQuoted("FIX FOR THIS RULE '\(id)' \(what)!")))\n"
            }
            out += "# END fix for '\(id)'\n"
        }
        return out
    }

    private var ansibleText: String {
        var vars: [(name: String, value: String)] = []
        var tasks = ""
        for (i, e) in entries.enumerated() {
            let id = Self.oneLine(e.ruleID)
            tasks += "    # BEGIN fix (\(i + 1) / \(entries.count)) for '\(id)'\n"
            guard let script = e.script else {
                let why = e.missing == Self.noFix ? "IS MISSING" : "WAS NOT WRITTEN: \(Self.oneLine(e.missing ?? ""))"
                tasks += "    # FIX FOR THIS RULE \(why)\n\n"
                continue
            }
            let (promoted, rest) = AnsibleVariables.split(Self.trimmed(script))
            for v in promoted where !vars.contains(where: { $0.name == v.name }) { vars.append(v) }
            for line in rest.split(separator: "\n", omittingEmptySubsequences: false) {
                tasks += line.isEmpty ? "\n" : "    " + line + "\n"
            }
            tasks += "\n"
        }
        var out = "---\n" + Self.banner(header) + "\n- hosts: all\n"
        out += vars.isEmpty ? "  vars: {}\n" : "  vars:\n" + vars.map { "    \($0.name): \($0.value)\n" }.joined()
        out += entries.isEmpty ? "  tasks: []\n" : "  tasks:\n" + tasks
        return out
    }

    private static let rule = String(repeating: "#", count: 79)

    private static func banner(_ lines: [String]) -> String {
        rule + "\n#\n" + lines.map { "# \(oneLine($0))\n" }.joined() + "#\n" + rule + "\n"
    }

    /// `text` without blank lines and spaces at its ends.
    static func trimmed(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    /// Text from the content made safe for a comment line: control characters (a line
    /// break would end the comment) become '?'.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    }

    /// `text` as one single-quoted shell word: nothing in it is expanded.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The Ansible snippets of the SCAP Security Guide declare each XCCDF Value they use as a
/// `set_fact` task marked `# promote to variable`; oscap moves those to the playbook's
/// `vars`, and so does Vigil.
enum AnsibleVariables {
    /// The promoted variables of `snippet` (name, value) and the snippet without them. A
    /// block is five lines: `- name: XCCDF Value NAME # promote to variable`, `  set_fact:`,
    /// `    VAR: VALUE`, `  tags:`, `    - always`.
    static func split(_ snippet: String) -> (vars: [(name: String, value: String)], rest: String) {
        let lines = snippet.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
        var vars: [(name: String, value: String)] = []
        var rest: [String] = []
        var i = 0
        while i < lines.count {
            if i + 4 < lines.count, lines[i].hasPrefix("- name: XCCDF Value "), lines[i].hasSuffix(" # promote to variable"),
               lines[i + 1] == "  set_fact:", lines[i + 3] == "  tags:", lines[i + 4] == "    - always",
               lines[i + 2].hasPrefix("    "), let colon = lines[i + 2].range(of: ": ") {
                let name = String(lines[i + 2][lines[i + 2].index(lines[i + 2].startIndex, offsetBy: 4)..<colon.lowerBound])
                if !name.isEmpty && !name.contains(" ") {
                    vars.append((name, String(lines[i + 2][colon.upperBound...])))
                    i += 5
                    continue
                }
            }
            rest.append(lines[i])
            i += 1
        }
        return (vars, FixScript.trimmed(rest.joined(separator: "\n")))
    }
}
