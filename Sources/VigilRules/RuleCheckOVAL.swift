import Foundation
import VigilXML

/// Turns a rule's check into OVAL: objects, states and tests in the builder, and the
/// criteria of the rule's definition. The meaning of each kind is documented in
/// `rules/README.md`; this is its one implementation (Vigil evaluates folders through it).
struct RuleCheckOVAL {
    let oval: OVALBuilder
    /// Value name → its XCCDF type, for `${name}`.
    let values: [String: String]
    /// Value name → every value a profile can give it (default, options, literal choices).
    var choices: [String: [String]] = [:]
    /// (value name, external variable id) pairs the rule's check exports.
    private(set) var exports: [(value: String, variable: String)] = []

    init(oval: OVALBuilder, values: [String: String]) {
        self.oval = oval
        self.values = values
    }

    /// `name` when `text` is `${name}`.
    static func valueName(_ text: String) -> String? {
        guard text.hasPrefix("${"), text.hasSuffix("}"), text.count > 3 else { return nil }
        return String(text.dropFirst(2).dropLast())
    }

    /// The `${value}`s a check uses.
    static func valueReferences(_ check: RuleCheck) -> [String] {
        func of(_ t: ValueTest) -> [String] {
            switch t {
            case .equals(let s), .atMost(let s), .atLeast(let s): return valueName(s).map { [$0] } ?? []
            case .range(let low, let high): return [low, high].compactMap(valueName)
            case .pattern, .allowed: return []
            }
        }
        switch check {
        case .file(let c): return c.modeValue.map { [$0] } ?? []
        case .keyValue(let k): return of(k.test)
        case .yaml(let y): return of(y.test)
        case .flag(let f): if case .value(let t) = f.condition { return of(t) } else { return [] }
        case .sysctl(let s): return valueName(s.value).map { [$0] } ?? []
        default: return []
        }
    }

    static func re(_ literal: String) -> String { NSRegularExpression.escapedPattern(for: literal) }

    mutating func criteria(_ rule: RuleSpec) throws -> Criteria {
        let title = rule.title
        switch rule.check {
        case .file(let c): return c.modeValue == nil ? file(c, title) : try tunedMode(c, title)
        case .line(let c):
            let obj = textObject(c.files, pattern: c.pattern)
            return .test(oval.test("ind:textfilecontent54_test", comment: title, object: obj,
                                   existence: c.present ? "at_least_one_exists" : "none_exist"))
        case .keyValue(let c): return keyValue(c, title)
        case .sysctl(let c): return sysctl(c, title)
        case .package(let name, let installed):
            let has = packageInstalled(name)
            return installed ? has : .not(has)
        case .service(let c): return service(c, title)
        case .kernelArg(let c): return kernelArg(c, title)
        case .yaml(let c):
            let (op, text, datatype, varRef) = comparison(c.test)
            let field = "<field name=\"#\"\(datatype == "string" ? "" : " datatype=\"\(datatype)\"") operation=\"\(op)\"" +
                (varRef.map { " var_ref=\"\($0)\" var_check=\"all\"/>" } ?? ">\(xmlEscape(text))</field>")
            let ste = oval.state("ind:yamlfilecontent_state", "<ind:value datatype=\"record\">\(field)</ind:value>")
            return each(c.path) { path in
                let obj = oval.object("ind:yamlfilecontent_object",
                                      "<ind:filepath>\(xmlEscape(path))</ind:filepath><ind:yamlpath>\(xmlEscape(c.yamlPath))</ind:yamlpath>")
                return .test(oval.test("ind:yamlfilecontent_test", comment: title, object: obj, states: [ste],
                                       existence: c.missingPasses ? "any_exist" : "at_least_one_exists"))
            }
        case .flag(let c): return flag(c, title)
        case .symlink(let c): return symlink(c, title)
        case .oval(let xml, let line): return try raw(xml, rule: rule, line: line)
        case .native(let n):
            throw RuleError(file: rule.file, line: n.line, "the native check '\(n.spec.kind)' has no OVAL form")
        }
    }

    // MARK: files

    func fileEntities(_ s: FileSelection, prefix: String) -> String {
        if let name = s.namePattern {
            let entities = "<\(prefix):path>\(xmlEscape(s.path))</\(prefix):path><\(prefix):filename operation=\"pattern match\">\(xmlEscape(name))</\(prefix):filename>"
            return s.recursive ? recursive(entities, prefix: prefix) : entities
        }
        return "<\(prefix):filepath>\(xmlEscape(s.path))</\(prefix):filepath>"
    }

    /// The unix:file_object of a selection. A single path names a file or a directory: the
    /// union of a `filepath` object (which never selects a directory, in oscap as in Vigil)
    /// and a `path` object with a nil `filename` (the directory itself).
    func fileObject(_ s: FileSelection) -> String {
        guard s.namePattern == nil else { return oval.object("unix:file_object", fileEntities(s, prefix: "unix")) }
        let directory = "<unix:path>\(xmlEscape(s.path))</unix:path><unix:filename xsi:nil=\"true\"/>"
        return oval.union("unix:file_object", [oval.object("unix:file_object", fileEntities(s, prefix: "unix")),
                                               oval.object("unix:file_object", directory)])
    }

    func file(_ c: FileCheck, _ title: String) -> Criteria {
        let states = fileStates(c)
        let existence = !c.exists ? "none_exist" : states.isEmpty || !c.missingPasses ? "at_least_one_exists" : "any_exist"
        return each(c.path) { path in
            let obj = fileObject(c.selection(path))
            return .test(oval.test("unix:file_test", comment: title, object: obj, states: states, existence: existence))
        }
    }

    /// The file_state of a `file` check's mode, owner and group (none: existence decides).
    func fileStates(_ c: FileCheck) -> [String] {
        guard c.exists else { return [] }
        var states: [String] = []
        if c.mode != nil || c.owner != nil || c.group != nil {
            var inner = ""
            if let g = c.group { inner += "<unix:group_id datatype=\"int\">\(g)</unix:group_id>" }
            if let u = c.owner { inner += "<unix:user_id datatype=\"int\">\(u)</unix:user_id>" }
            if let mode = c.mode {
                let bits: [(String, UInt16)] = [("suid", 0o4000), ("sgid", 0o2000), ("sticky", 0o1000),
                                                ("uread", 0o400), ("uwrite", 0o200), ("uexec", 0o100),
                                                ("gread", 0o40), ("gwrite", 0o20), ("gexec", 0o10),
                                                ("oread", 0o4), ("owrite", 0o2), ("oexec", 0o1)]
                for (name, bit) in bits where mode & bit == 0 { inner += "<unix:\(name) datatype=\"boolean\">false</unix:\(name)>" }
            }
            if !inner.isEmpty { states.append(oval.state("unix:file_state", inner)) }
        }
        return states
    }

    /// One textfilecontent54 object over all `files` (a union when there are several).
    func textObject(_ files: [FileSelection], pattern: String) -> String {
        let members = files.map { f in
            oval.object("ind:textfilecontent54_object", fileEntities(f, prefix: "ind")
                + "<ind:pattern operation=\"pattern match\">\(xmlEscape(pattern))</ind:pattern>"
                + "<ind:instance datatype=\"int\" operation=\"greater than or equal\">1</ind:instance>")
        }
        return oval.union("ind:textfilecontent54_object", members)
    }

    /// Operation, literal, datatype and variable for a value test.
    mutating func comparison(_ t: ValueTest) -> (op: String, text: String, datatype: String, varRef: String?) {
        func variable(_ text: String, numeric: Bool) -> (String, String?) {
            guard let name = RuleCheckOVAL.valueName(text) else { return (numeric ? "int" : "string", nil) }
            let datatype = numeric || values[name] == "number" ? "int" : (values[name] == "boolean" ? "boolean" : "string")
            let id = oval.external(value: name, datatype: datatype)
            if !exports.contains(where: { $0.value == name }) { exports.append((name, id)) }
            return (datatype, id)
        }
        switch t {
        case .equals(let v):
            let (dt, ref) = variable(v, numeric: false)
            return ("equals", v, dt, ref)
        case .pattern(let p): return ("pattern match", "^(?:\(p))$", "string", nil)
        case .allowed(let items):
            let one = "(?:" + items.map(RuleCheckOVAL.re).joined(separator: "|") + ")"
            return ("pattern match", "^\(one)(?:,\(one))*$", "string", nil)
        case .atMost(let v):
            let (_, ref) = variable(v, numeric: true)
            return ("less than or equal", v, "int", ref)
        case .atLeast(let v):
            let (_, ref) = variable(v, numeric: true)
            return ("greater than or equal", v, "int", ref)
        case .range:
            preconditionFailure("a range is two comparisons; see states(_:)")
        }
    }

    /// The textfilecontent54 states a value test needs: one, or two for a range.
    mutating func states(_ t: ValueTest) -> [String] {
        if case .range(let low, let high) = t { return states(.atLeast(low)) + states(.atMost(high)) }
        let (op, text, dt, ref) = comparison(t)
        return [subexpressionState(op, text, dt, ref)]
    }

    func subexpressionState(_ op: String, _ text: String, _ datatype: String, _ varRef: String?) -> String {
        let dt = datatype == "string" ? "" : " datatype=\"\(datatype)\""
        let body = varRef.map { "<ind:subexpression\(dt) operation=\"\(op)\" var_ref=\"\($0)\" var_check=\"all\"/>" }
            ?? "<ind:subexpression\(dt) operation=\"\(op)\">\(xmlEscape(text))</ind:subexpression>"
        return oval.state("ind:textfilecontent54_state", body)
    }

    mutating func keyValue(_ c: KeyValueCheck, _ title: String) -> Criteria {
        let key = c.ignoreCase ? "(?i:\(RuleCheckOVAL.re(c.key)))" : RuleCheckOVAL.re(c.key)
        let sep = c.equalsSeparator ? "[ \\t]*=[ \\t]*" : "[ \\t]+"
        // The value runs to a '#' comment or the end of the line, without trailing blanks.
        let pattern = "^[ \\t]*\(key)\(sep)([^#\\n]*?)[ \\t]*(?:#.*)?$"
        let obj = textObject(c.files, pattern: pattern)
        return .test(oval.test("ind:textfilecontent54_test", comment: title, object: obj, states: states(c.test),
                               existence: c.missingPasses ? "any_exist" : "at_least_one_exists"))
    }

    // MARK: kernel

    static let sysctlFiles = [
        FileSelection(path: "/etc/sysctl.conf", namePattern: nil),
        FileSelection(path: "/etc/sysctl.d", namePattern: "^.*\\.conf$"),
        FileSelection(path: "/run/sysctl.d", namePattern: "^.*\\.conf$"),
        FileSelection(path: "/usr/lib/sysctl.d", namePattern: "^.*\\.conf$"),
    ]

    mutating func sysctl(_ c: SysctlCheck, _ title: String) -> Criteria {
        var parts: [Criteria] = []
        let (_, _, dt, ref) = comparison(.equals(c.value))
        if c.runtime {
            let obj = oval.object("unix:sysctl_object", "<unix:name>\(xmlEscape(c.name))</unix:name>")
            let body = ref.map { "<unix:value\(dt == "string" ? "" : " datatype=\"\(dt)\"") operation=\"equals\" var_ref=\"\($0)\" var_check=\"all\"/>" }
                ?? "<unix:value operation=\"equals\">\(xmlEscape(c.value))</unix:value>"
            let ste = oval.state("unix:sysctl_state", body)
            parts.append(.test(oval.test("unix:sysctl_test", comment: title + " (running kernel)", object: obj, states: [ste])))
        }
        if c.configured {
            // sysctl.d accepts '/' for '.', and a leading '-' (ignore failures).
            let name = c.name.split(separator: ".", omittingEmptySubsequences: false)
                .map { RuleCheckOVAL.re(String($0)) }.joined(separator: "[./]")
            let obj = textObject(RuleCheckOVAL.sysctlFiles, pattern: "^[ \\t]*-?\(name)[ \\t]*=[ \\t]*([^#\\n]*?)[ \\t]*(?:#.*)?$")
            let ste = subexpressionState("equals", c.value, dt, ref)
            parts.append(.test(oval.test("ind:textfilecontent54_test", comment: title + " (configuration files)", object: obj, states: [ste])))
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    mutating func kernelArg(_ c: KernelArgCheck, _ title: String) -> Criteria {
        let arg = RuleCheckOVAL.re(c.name) + (c.value.map { "=" + RuleCheckOVAL.re($0) } ?? "(?:=[^\\s\"']*)?")
        var parts: [Criteria] = []
        if c.runtime {
            let obj = textObject([FileSelection(path: "/proc/cmdline", namePattern: nil)], pattern: "(?:^|\\s)\(arg)(?=\\s|$)")
            parts.append(.test(oval.test("ind:textfilecontent54_test", comment: title + " (running kernel)", object: obj)))
        }
        if c.configured {
            let grub = "^[ \\t]*GRUB_CMDLINE_LINUX(?:_DEFAULT)?=[\"']?(?:[^\"'\\n]*[ \\t])?\(arg)(?=[\\s\"']|$)"
            let members = [
                textObject([FileSelection(path: "/etc/default/grub", namePattern: nil),
                            FileSelection(path: "/etc/default/grub.d", namePattern: "^.*\\.cfg$")], pattern: grub),
                textObject([FileSelection(path: "/etc/kernel/cmdline", namePattern: nil)], pattern: "(?:^|\\s)\(arg)(?=\\s|$)"),
                textObject([FileSelection(path: "/boot/loader/entries", namePattern: "^.*\\.conf$")],
                           pattern: "^options[ \\t]+(?:.*[ \\t])?\(arg)(?=\\s|$)"),
            ]
            let obj = oval.union("ind:textfilecontent54_object", members)
            parts.append(.test(oval.test("ind:textfilecontent54_test", comment: title + " (boot configuration)", object: obj)))
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    // MARK: packages and services

    /// Installed, through dpkg where its database exists and rpm where its does.
    func packageInstalled(_ name: String) -> Criteria {
        let dpkgDB = oval.test("unix:file_test", comment: "the dpkg database exists",
                               object: oval.object("unix:file_object", "<unix:filepath>/var/lib/dpkg/status</unix:filepath>"))
        let rpmDB = oval.test("unix:file_test", comment: "an rpm database exists", object: oval.union("unix:file_object", [
            oval.object("unix:file_object", "<unix:filepath>/var/lib/rpm</unix:filepath>"),
            oval.object("unix:file_object", "<unix:filepath>/usr/lib/sysimage/rpm</unix:filepath>"),
        ]))
        let n = xmlEscape(name)
        let dpkg = oval.test("linux:dpkginfo_test", comment: "package \(name) is installed (dpkg)",
                             object: oval.object("linux:dpkginfo_object", "<linux:name>\(n)</linux:name>"))
        let rpm = oval.test("linux:rpminfo_test", comment: "package \(name) is installed (rpm)",
                            object: oval.object("linux:rpminfo_object", "<linux:name>\(n)</linux:name>"))
        return .or([.and([.test(dpkgDB), .test(dpkg)]), .and([.test(rpmDB), .test(rpm)])])
    }

    func service(_ c: ServiceCheck, _ title: String) -> Criteria {
        var parts: [Criteria] = []
        if let enabled = c.enabled {
            let obj = oval.object("unix:file_object",
                                  "<unix:path operation=\"pattern match\">^/etc/systemd/system/[^/]+\\.(?:wants|requires)$</unix:path>"
                                  + "<unix:filename>\(xmlEscape(c.unit))</unix:filename>")
            parts.append(.test(oval.test("unix:file_test", comment: "\(c.unit) is \(enabled ? "" : "not ")wanted by a target",
                                         object: obj, existence: enabled ? "at_least_one_exists" : "none_exist")))
        }
        if let active = c.active {
            let obj = oval.object("linux:systemdunitproperty_object",
                                  "<linux:unit>\(xmlEscape(c.unit))</linux:unit><linux:property>ActiveState</linux:property>")
            let ste = oval.state("linux:systemdunitproperty_state", "<linux:value>active</linux:value>")
            let t = oval.test("linux:systemdunitproperty_test", comment: "\(c.unit) is active", object: obj, states: [ste])
            parts.append(active ? .test(t) : .not(.test(t)))
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    // MARK: raw OVAL

    func raw(_ xml: String, rule: RuleSpec, line: Int) throws -> Criteria {
        let wrapped = "<oval_snippet \(OVALBuilder.namespaces)>\n\(xml)\n</oval_snippet>"
        let doc: XMLDocument
        do { doc = try XMLDocument.parse(string: wrapped, label: rule.file) } catch let e as XMLError {
            // Line 1 of the wrapper is the line before the block's first line.
            throw RuleError(file: rule.file, line: e.line.map { line + $0 - 1 }, "check 'oval' is not well-formed XML: \(e.message)")
        }
        var tests: [String] = []
        for el in doc.root?.children ?? [] {
            let here = "\(rule.file):\(line + el.line - 1)"
            guard let id = el.attribute("id") else { throw RuleError(file: rule.file, line: line + el.line - 1, "<\(el.name)> has no id") }
            guard !id.hasPrefix("oval:\(oval.namespace):") else {
                throw RuleError(file: rule.file, line: line + el.line - 1, "OVAL id \(id) is in the namespace Vigil uses for generated checks; pick another")
            }
            let section: String
            if el.name.hasSuffix("_test") { section = "tests"; tests.append(id) }
            else if el.name.hasSuffix("_object") { section = "objects" }
            else if el.name.hasSuffix("_state") { section = "states" }
            else if el.name.hasSuffix("_variable") { section = "variables" }
            else { throw RuleError(file: rule.file, line: line + el.line - 1, "<\(el.name)> is not an OVAL test, object, state or variable") }
            try oval.addRaw(section: section, xml: el.serialized(), id: id, location: here)
        }
        guard !tests.isEmpty else { throw RuleError(file: rule.file, line: line, "check 'oval' holds no test") }
        return tests.count == 1 ? .test(tests[0]) : .and(tests.map { .test($0) })
    }
}
