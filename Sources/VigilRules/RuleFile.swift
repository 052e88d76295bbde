import Foundation
import VigilCrypto
import Yams

/// One rule file: its fields and its check, read strictly.
enum RuleFile {
    static let severities = ["high", "medium", "low", "info", "unknown"]
    static let referenceKinds = ["nist-800-53", "stig", "srg", "cci", "cis", "other"]
    static let checkKinds = ["file", "line", "key_value", "sysctl", "package", "service", "kernel_arg", "yaml", "flag", "symlink", "oval"]

    /// Whether `s` is a name: a letter or digit, then letters, digits, '-', '.', and '_'
    /// when `underscore` (XCCDF ids use '_' as a separator in namespaces and benchmark ids).
    static func isName(_ s: String, underscore: Bool = true) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, CharacterSet.alphanumerics.contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "." || (underscore && $0 == "_")) }
    }

    static func parse(_ node: Node, file: String, group: String) throws -> RuleSpec {
        let f = try YAMLFields(node, file: file, what: "the rule",
                               allowed: ["id", "title", "severity", "description", "rationale", "references", "remediation", "platform", "check", "fallback"])
        let id = try f.required("id")
        guard isName(id) else { throw f.error("id", "rule id '\(id)' may hold only letters, digits, '_', '-' and '.'") }
        let severity = try f.required("severity")
        guard severities.contains(severity) else {
            throw f.error("severity", "severity must be one of \(severities.joined(separator: ", ")), not '\(severity)'")
        }
        var references: [(String, String)] = []
        if let r = try f.fields("references", what: "the references of rule '\(id)'", allowed: referenceKinds) {
            for kind in referenceKinds { for value in try r.strings(kind) ?? [] { references.append((kind, value)) } }
        }
        let platform = try f.fields("platform", what: "the platform of rule '\(id)'", allowed: ["package", "file", "kubernetes", "static_pod"])
            .map(RuleFile.platform)
        guard let checkNode = f.mapping["check"] else { throw RuleError(file: file, line: f.line, "the rule '\(id)' has no 'check'") }
        let check = try parseCheck(checkNode, file: file, rule: id)
        let fallback = try f.mapping["fallback"].map { try parseFallback($0, of: check, file: file, rule: id) }
        return RuleSpec(id: id, title: try f.required("title"), severity: severity,
                        description: try f.required("description"), rationale: try f.string("rationale") ?? "",
                        references: references, remediation: try f.string("remediation") ?? "", platform: platform,
                        check: check, fallback: fallback, group: group, file: file, line: YAMLFields.line(node))
    }

    /// `{package: NAME}`, `{file: PATH}`, `{kubernetes: COMPONENT | DISTRIBUTION | node}` or
    /// `{static_pod: COMPONENT}`.
    static func platform(_ p: YAMLFields) throws -> RulePlatform {
        guard p.mapping.count == 1 else {
            throw RuleError(file: p.file, line: p.line,
                            "a platform is one of {package: NAME}, {file: PATH}, {kubernetes: NAME} or {static_pod: COMPONENT}")
        }
        if let name = try p.string("package") { return .package(name) }
        if let path = try p.string("file") { return .file(try absolute(path, p, "file")) }
        if let name = try p.string("static_pod") {
            let pods = KubernetesComponent.allCases.filter { c in KubernetesDistribution.allCases.contains { KubernetesLayout.manifest(c, $0) != nil } }
            guard let c = pods.first(where: { $0.rawValue == name }) else {
                throw p.error("static_pod", "'\(name)' never runs as a static pod; expected one of: \(pods.map(\.rawValue).joined(separator: ", "))")
            }
            return .staticPod(c)
        }
        let name = try p.required("kubernetes")
        if name == "node" { return .kubernetesNode }
        if let c = KubernetesComponent(rawValue: name) { return .kubernetesComponent(c) }
        if let d = KubernetesDistribution(rawValue: name) { return .kubernetesDistribution(d) }
        let known = KubernetesComponent.allCases.map(\.rawValue) + KubernetesDistribution.allCases.map(\.rawValue) + ["node"]
        throw p.error("kubernetes", "unknown Kubernetes component or distribution '\(name)'; expected one of: \(known.joined(separator: ", "))")
    }

    static func absolute(_ path: String, _ f: YAMLFields, _ key: String) throws -> String {
        guard path.hasPrefix("/"), !path.contains("/../"), !path.hasSuffix("/..") else {
            throw f.error(key, "'\(path)' must be an absolute path without '..'")
        }
        return path
    }

    /// The check of rule `rule`: a mapping with exactly one of `checkKinds`, read by the
    /// reader of that kind.
    static func parseCheck(_ node: Node, file: String, rule: String, native: Bool = true) throws -> RuleCheck {
        let kinds = checkKinds + (native ? NativeCheckKinds.names : [])
        let c = try YAMLFields(node, file: file, what: "the check of rule '\(rule)'", allowed: kinds)
        guard c.mapping.count == 1, let kind = c.mapping.keys.first?.scalar?.string, let body = c.mapping[kind] else {
            throw RuleError(file: file, line: c.line, "the check of rule '\(rule)' must hold exactly one of: \(kinds.joined(separator: ", "))")
        }
        if let nativeKind = NativeCheckKinds.kind(named: kind) {
            return .native(try nativeCheck(nativeKind, body, file: file, line: YAMLFields.line(c.mapping.keys.first!)))
        }
        func fields(_ allowed: [String]) throws -> YAMLFields {
            try YAMLFields(body, file: file, what: "check '\(kind)'", allowed: allowed)
        }
        switch kind {
        case "file":
            return .file(try fileCheck(try fields(["path", "name_pattern", "recursive", "exists", "mode", "owner", "group", "missing"])))
        case "line":
            let f = try fields(["files", "pattern", "present"])
            return .line(LineCheck(files: try files(f), pattern: try f.required("pattern"), present: try f.bool("present") ?? true))
        case "key_value":
            return .keyValue(try keyValueCheck(try fields(["files", "key", "separator", "ignore_case", "value", "value_pattern",
                                                           "allowed", "at_most", "at_least", "missing"])))
        case "sysctl":
            return .sysctl(try sysctlCheck(try fields(["name", "value", "runtime", "configured"])))
        case "package":
            let f = try fields(["name", "installed"])
            return .package(name: try f.required("name"), installed: try f.bool("installed") ?? true)
        case "service":
            return .service(try serviceCheck(try fields(["name", "enabled", "active"])))
        case "kernel_arg":
            return .kernelArg(try kernelArgCheck(try fields(["name", "value", "runtime", "configured"])))
        case "yaml":
            let f = try fields(["path", "yamlpath", "value", "value_pattern", "missing"])
            return .yaml(YAMLValueCheck(path: try RulePath.parse(f, "path"), yamlPath: try f.required("yamlpath"),
                                        test: try valueTest(f, kinds: ["value", "value_pattern"]), missingPasses: try missing(f)))
        case "flag":
            return .flag(try FlagCheck.parse(try fields(FlagCheck.keys)))
        case "symlink":
            return .symlink(try symlinkCheck(try fields(["path", "target", "target_pattern", "missing"])))
        case "oval":
            guard let xml = body.scalar?.string else {
                throw RuleError(file: file, line: YAMLFields.line(body), "check 'oval' must be OVAL XML text (use a | block)")
            }
            return .oval(xml: xml, line: YAMLFields.line(body))
        default:
            throw RuleError(file: file, line: c.line, "unknown check kind '\(kind)'")
        }
    }

    /// A `file` check: path (or directory and name pattern, at any depth when `recursive`),
    /// one path or one per distribution, existence, mode, owner, group.
    static func fileCheck(_ f: YAMLFields) throws -> FileCheck {
        let path = try RulePath.parse(f, "path"), namePattern = try f.string("name_pattern")
        let recursive = try f.bool("recursive") ?? false
        if recursive && namePattern == nil {
            throw f.error("recursive", "'recursive' needs a 'name_pattern' for the files to select below the path")
        }
        let exists = try f.bool("exists") ?? true
        var mode: UInt16?
        let modeValue = try f.string("mode").flatMap(RuleCheckOVAL.valueName)
        if let m = try f.string("mode"), modeValue == nil {
            guard m.count <= 5, let bits = UInt16(m, radix: 8), bits <= 0o7777 else {
                throw f.error("mode", "mode must be octal, like \"0640\", not '\(m)'")
            }
            mode = bits
        }
        let owner = try id(f, "owner"), group = try id(f, "group")
        if !exists && (mode != nil || modeValue != nil || owner != nil || group != nil) {
            throw f.error("exists", "a file that must not exist has no mode, owner or group to check")
        }
        return FileCheck(path: path, namePattern: namePattern, recursive: recursive, exists: exists, mode: mode, modeValue: modeValue,
                         owner: owner, group: group, missingPasses: try missing(f))
    }

    /// A `key_value` check: a key in configuration files, separated by space or '='.
    static func keyValueCheck(_ f: YAMLFields) throws -> KeyValueCheck {
        let sep = try f.string("separator") ?? "space"
        guard sep == "space" || sep == "equals" else { throw f.error("separator", "separator must be space or equals, not '\(sep)'") }
        return KeyValueCheck(files: try files(f), key: try f.required("key"), equalsSeparator: sep == "equals",
                             ignoreCase: try f.bool("ignore_case") ?? false,
                             test: try valueTest(f, kinds: ["value", "value_pattern", "allowed", "at_most", "at_least"]),
                             missingPasses: try missing(f))
    }

    /// A `symlink` check: an absolute path, and exactly one of `target` (an absolute path)
    /// and `target_pattern`.
    static func symlinkCheck(_ f: YAMLFields) throws -> SymlinkCheck {
        let path = try absolute(try f.required("path"), f, "path")
        let target = try f.string("target"), pattern = try f.string("target_pattern")
        guard (target == nil) != (pattern == nil) else {
            throw RuleError(file: f.file, line: f.line, "check 'symlink' needs exactly one of target and target_pattern")
        }
        if let target { _ = try absolute(target, f, "target") }
        return SymlinkCheck(path: path, target: target, targetPattern: pattern, missingPasses: try missing(f))
    }

    /// A `sysctl` check: a kernel parameter at run time, in configuration, or both.
    static func sysctlCheck(_ f: YAMLFields) throws -> SysctlCheck {
        let name = try f.required("name")
        guard name.range(of: #"^[A-Za-z0-9_.\-/*]+$"#, options: .regularExpression) != nil, !name.contains("*") else {
            throw f.error("name", "'\(name)' is not a sysctl name")
        }
        let s = SysctlCheck(name: name, value: try f.required("value"), runtime: try f.bool("runtime") ?? true,
                            configured: try f.bool("configured") ?? true)
        guard s.runtime || s.configured else { throw f.error("runtime", "a sysctl check needs runtime, configured, or both") }
        return s
    }

    /// A `service` check: a systemd unit (`.service` when the name has no suffix) enabled, active, or both.
    static func serviceCheck(_ f: YAMLFields) throws -> ServiceCheck {
        var unit = try f.required("name")
        if !unit.contains(".") { unit += ".service" }
        guard !unit.contains("/") else { throw f.error("name", "'\(unit)' is not a unit name") }
        let s = ServiceCheck(unit: unit, enabled: try f.bool("enabled"), active: try f.bool("active"))
        guard s.enabled != nil || s.active != nil else { throw RuleError(file: f.file, line: f.line, "a service check needs enabled, active, or both") }
        return s
    }

    /// A `kernel_arg` check: a kernel command-line argument at run time, in the boot configuration, or both.
    static func kernelArgCheck(_ f: YAMLFields) throws -> KernelArgCheck {
        let k = KernelArgCheck(name: try f.required("name"), value: try f.string("value"), runtime: try f.bool("runtime") ?? true,
                               configured: try f.bool("configured") ?? true)
        guard k.runtime || k.configured else { throw f.error("runtime", "a kernel_arg check needs runtime, configured, or both") }
        return k
    }

    static func id(_ f: YAMLFields, _ key: String) throws -> Int? {
        guard let text = try f.string(key) else { return nil }
        if text == "root" { return 0 }
        guard let n = Int(text), n >= 0 else {
            throw f.error(key, "\(key) must be root or a number, not '\(text)' (names other than root differ between systems)")
        }
        return n
    }

    static func missing(_ f: YAMLFields) throws -> Bool {
        guard let text = try f.string("missing") else { return false }
        guard text == "pass" || text == "fail" else { throw f.error("missing", "missing must be pass or fail, not '\(text)'") }
        return text == "pass"
    }

    static func files(_ f: YAMLFields) throws -> [FileSelection] {
        guard let list = try f.strings("files"), !list.isEmpty else { throw RuleError(file: f.file, line: f.line, "\(f.what) has no 'files'") }
        return try list.map { entry in
            let path = try absolute(entry, f, "files")
            let dir = (path as NSString).deletingLastPathComponent, name = (path as NSString).lastPathComponent
            if dir.contains("*") { throw f.error("files", "'\(entry)': only the last part of a path may hold '*'") }
            guard name.contains("*") else { return FileSelection(path: path, namePattern: nil) }
            let pattern = "^" + name.split(separator: "*", omittingEmptySubsequences: false)
                .map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: "[^/]*") + "$"
            return FileSelection(path: dir, namePattern: pattern)
        }
    }

    static func valueTest(_ f: YAMLFields, kinds: [String]) throws -> ValueTest {
        let given = kinds.filter { f.has($0) }
        if given == ["at_most", "at_least"] || given == ["at_least", "at_most"] {
            return .range(atLeast: try bound(f, "at_least"), atMost: try bound(f, "at_most"))
        }
        guard given.count == 1 else {
            throw RuleError(file: f.file, line: f.line, "\(f.what) needs exactly one of \(kinds.joined(separator: ", "))\(given.count > 1 ? ", not \(given.joined(separator: " and "))" : "")")
        }
        switch given[0] {
        case "value": return .equals(try f.string("value")!)
        case "value_pattern": return .pattern(try f.string("value_pattern")!)
        case "allowed":
            let items = try f.strings("allowed")!
            guard !items.isEmpty else { throw f.error("allowed", "'allowed' is empty") }
            return .allowed(items)
        case "at_most", "at_least":
            let text = try bound(f, given[0])
            return given[0] == "at_most" ? .atMost(text) : .atLeast(text)
        default: fatalError("unreachable")
        }
    }

    /// The bound given as `key` (`at_most`, `at_least`): an integer or `${value}`.
    static func bound(_ f: YAMLFields, _ key: String) throws -> String {
        let text = try f.string(key)!
        guard Int(text) != nil || RuleCheckOVAL.valueName(text) != nil else {
            throw f.error(key, "'\(key)' must be an integer or ${value}, not '\(text)'")
        }
        return text
    }
}
