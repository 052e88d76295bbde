import Foundation
import VigilCore
import VigilTarget

/// `sshd_config`: a keyword of the SSH server's effective configuration, computed with
/// OpenSSH's semantics for the target's OpenSSH release. See rules/README.md.
public struct SSHDConfigCheck: NativeCheckKind {
    public static let name = "sshd_config"
    public static let parameterNames = SSHConfigEvaluator.commonParameters + ["connection"]
    let evaluator: SSHConfigEvaluator

    public init(_ p: NativeParameters) throws {
        evaluator = try SSHConfigEvaluator(p, server: true)
    }
    public var needs: TargetCapabilities { [] }
    public func evaluate(_ context: NativeContext) -> NativeVerdict { evaluator.evaluate(context) }
}

/// `ssh_config`: a keyword of the SSH client's effective configuration (`ssh -G` for a
/// host name, by default the blocks every host gets). See rules/README.md.
public struct SSHClientConfigCheck: NativeCheckKind {
    public static let name = "ssh_config"
    public static let parameterNames = SSHConfigEvaluator.commonParameters + ["host"]
    let evaluator: SSHConfigEvaluator

    public init(_ p: NativeParameters) throws {
        evaluator = try SSHConfigEvaluator(p, server: false)
    }
    public var needs: TargetCapabilities { [] }
    public func evaluate(_ context: NativeContext) -> NativeVerdict { evaluator.evaluate(context) }
}

/// The evaluation shared by both kinds.
struct SSHConfigEvaluator: Sendable {
    static let commonParameters = ["path", "keyword"] + SSHValueTest.names + ["explicit", "match_blocks", "openssh_version"]
    let server: Bool
    let path: String
    let keyword: String
    let test: SSHValueTest
    let explicit: Bool
    let checkBlocks: Bool
    let version: OpenSSHVersion?
    let connection: SSHConnection?
    let host: SSHClientHost

    init(_ p: NativeParameters, server: Bool) throws {
        self.server = server
        path = try p.string("path") ?? (server ? "/etc/ssh/sshd_config" : "/etc/ssh/ssh_config")
        guard path.hasPrefix("/") else { throw NativeCheckError(parameter: "path", "'path' must be absolute") }
        let k = try p.required("keyword").lowercased()
        keyword = SSHKeywords.aliases[k] ?? k
        let known = server ? SSHKeywords.serverMatch.union(SSHKeywords.serverGlobal) : SSHKeywords.client
        guard known.contains(k) else { throw NativeCheckError(parameter: "keyword", "'\(k)' is not an OpenSSH \(server ? "sshd" : "ssh") keyword") }
        test = try SSHValueTest(p)
        explicit = try p.bool("explicit") ?? false
        checkBlocks = try p.choice("match_blocks", ["check", "ignore"]) != "ignore"
        if let v = try p.string("openssh_version") {
            guard let parsed = OpenSSHVersion(parsing: v, source: "parameter") else {
                throw NativeCheckError(parameter: "openssh_version", "'\(v)' is not an OpenSSH version such as 9.2p1")
            }
            version = parsed
        } else { version = nil }
        // sshd -T, like every connection, applies the Match blocks that match: without a
        // connection given, those that need no field (`Match all`).
        connection = server ? try SSHConnection(spec: try p.string("connection") ?? "") : nil
        host = SSHClientHost(name: try p.string("host"))
    }

    func evaluate(_ context: NativeContext) -> NativeVerdict {
        let target = context.target, server = self.server, path = self.path
        let parsed = context.cache.value("ssh:\(server ? "sshd" : "ssh"):\(path)") {
            SSHConfigReader.read(path, target: target, server: server)
        }
        // Boxed: NativeCache's `as? T` takes a missing key for a cached nil when T is optional.
        let found = version ?? context.cache.value("ssh:version:\(server)") {
            OpenSSHVersionBox(version: OpenSSHVersionFinder.find(on: target, server: server))
        }.version
        if parsed.files.isEmpty, let p = parsed.problems.first { return .error("\(p.message)") }
        let config = SSHEffectiveConfig(parsed: parsed, server: server, version: found)
        let problems = parsed.problems + config.valueProblems()
        let mine = problems.filter { $0.keyword == keyword }
        if !mine.isEmpty {
            return NativeVerdict(.fail, evidence: Self.clip(mine.map { "\($0.location): \($0.message) (\(server ? "sshd" : "ssh") refuses the configuration)" }))
        }
        if let p = problems.first {
            return .error(Self.clip(["\(server ? "sshd" : "ssh") refuses this configuration: \(p.location): \(p.message)"])[0])
        }
        let groups: (String) -> [String]? = { SSHUserGroups.groups(of: $0, target: target) }
        let sources = config.sources(keyword, connection: connection, host: host, groups: groups)
        guard let value = config.value(keyword, sources: sources) else {
            return found == nil && SSHAlgorithmKind.of(keyword: keyword) != nil
                ? .error("the OpenSSH release of the target is not known (no OpenSSH_ banner in its binaries, no dpkg status); set openssh_version")
                : .error("\(keyword) is not set and Vigil does not know the default of \(found?.description ?? "this OpenSSH")")
        }
        var evidence: [String] = []
        var failed = false
        if explicit, sources.isEmpty {
            failed = true
            evidence.append("\(keyword) is not set in \(path) or its includes (the rule asks for an explicit setting)")
        } else {
            let others = parsed.directives.contains { d in
                d.keyword == keyword && config.isGlobal(d, host: host) && !sources.contains { $0.file == d.file && $0.line == d.line }
            }
            let (bad, line) = describe(value, found, firstWins: others)
            failed = bad
            evidence.append(line)
        }
        if checkBlocks {
            for d in parsed.directives where d.keyword == keyword && !sources.contains(where: { $0.file == d.file && $0.line == d.line })
                && !config.isGlobal(d, host: host) {
                guard let v = config.value(keyword, sources: [d]) else { continue }
                let (bad, line) = describe(v, found, firstWins: false)
                if bad { failed = true; evidence.append(line + " in \(d.blocks.last?.text ?? "a block") at \(d.blocks.last?.location ?? "")") }
            }
        }
        return NativeVerdict(failed ? .fail : .pass, evidence: Self.clip(evidence))
    }

    /// Whether `v` fails, and the evidence line that says why or what passed.
    private func describe(_ v: SSHEffectiveValue, _ version: OpenSSHVersion?, firstWins: Bool) -> (Bool, String) {
        let shown = v.text.count > 120 ? String(v.text.prefix(120)) + "..." : v.text
        let origin = v.sources.isEmpty ? "default of \(version?.description ?? "OpenSSH"): \(keyword) \(shown)"
            : v.sources.count == 1 ? v.sources[0].evidence : v.sources.map(\.evidence).joined(separator: "; ")
        if let p = v.problem { return (true, "\(origin) (\(p); \(server ? "sshd" : "ssh") refuses it)") }
        if let why = test.failure(v) {
            let first = firstWins && v.sources.count == 1 ? "first value wins; " : ""
            return (true, "\(origin) (\(first)\(why))")
        }
        return (false, v.sources.isEmpty ? origin : "\(origin) (effective: \(shown))")
    }

    static func clip(_ lines: [String]) -> [String] {
        let short = lines.map { $0.count > 198 ? String($0.prefix(195)) + "..." : $0 }
        return short.count <= 5 ? short : Array(short.prefix(5)) + ["and \(short.count - 5) more"]
    }
}

/// The target's OpenSSH release as cached per scan (nil: not found).
struct OpenSSHVersionBox: Sendable {
    var version: OpenSSHVersion?
}
