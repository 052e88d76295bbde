import Foundation
import VigilCore
import VigilTarget

/// The XCCDF check system of Vigil's native checks. A rule with a native check carries it
/// as `<check system="NativeCheckSystem.uri">`, followed by an OVAL check as the fallback
/// that other SCAP tools evaluate (XCCDF 1.2: a tool uses the first check it supports).
public enum NativeCheckSystem {
    /// The check system URI.
    public static let uri = "https://vigil.dev/xccdf/native-check/1"
    /// The XML namespace of `<check-content>`'s `<vigil:check kind="..."><vigil:param .../>`.
    public static let namespace = "https://vigil.dev/xccdf/native-check/1"
}

/// One native check as a rule gives it: the kind (`x509`, `sshd_config`, ...) and its
/// parameters, each a list of strings (a scalar is a list of one). Strings may hold
/// `${name}` references to the benchmark's values; the engine substitutes the profile's
/// choices before `NativeCheckKind.init` reads them.
public struct NativeCheckSpec: Sendable, Equatable {
    /// The kind's name, `NativeCheckKind.name`.
    public var kind: String
    /// Parameter name → values, in the order written.
    public var parameters: [(name: String, values: [String])]

    public init(kind: String, parameters: [(name: String, values: [String])]) {
        self.kind = kind
        self.parameters = parameters
    }

    public static func == (a: NativeCheckSpec, b: NativeCheckSpec) -> Bool {
        a.kind == b.kind && a.parameters.elementsEqual(b.parameters) { $0.name == $1.name && $0.values == $1.values }
    }
}

/// A native check's parameters, read by a kind's `init`. Each accessor throws a
/// `NativeCheckError` naming the parameter when the value is malformed.
public struct NativeParameters: Sendable {
    /// The parameters, names unique.
    public let values: [String: [String]]
    /// The parameters of `spec`; a name given twice has its values joined.
    public init(_ spec: NativeCheckSpec) {
        var v: [String: [String]] = [:]
        for p in spec.parameters { v[p.name, default: []] += p.values }
        values = v
    }

    /// Whether the parameter is given.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// A scalar parameter, or nil when absent; throws when given as a list of several.
    public func string(_ name: String) throws -> String? {
        guard let v = values[name] else { return nil }
        guard v.count == 1 else { throw NativeCheckError(parameter: name, "'\(name)' takes one value, not a list") }
        return v[0]
    }

    /// A scalar that must be given.
    public func required(_ name: String) throws -> String {
        guard let s = try string(name) else { throw NativeCheckError(parameter: name, "'\(name)' is required") }
        return s
    }

    /// A list (a scalar counts as a list of one), or nil when absent.
    public func strings(_ name: String) -> [String]? { values[name] }

    /// A boolean: true/false/yes/no.
    public func bool(_ name: String) throws -> Bool? {
        guard let s = try string(name) else { return nil }
        switch s.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw NativeCheckError(parameter: name, "'\(name)' must be true or false, not '\(s)'")
        }
    }

    /// A non-negative integer.
    public func integer(_ name: String) throws -> Int? {
        guard let s = try string(name) else { return nil }
        guard let n = Int(s), n >= 0 else { throw NativeCheckError(parameter: name, "'\(name)' must be a whole number, not '\(s)'") }
        return n
    }

    /// One of `choices`.
    public func choice(_ name: String, _ choices: [String]) throws -> String? {
        guard let s = try string(name) else { return nil }
        guard choices.contains(s) else {
            throw NativeCheckError(parameter: name, "'\(name)' must be one of \(choices.joined(separator: ", ")), not '\(s)'")
        }
        return s
    }
}

/// A problem with a native check's parameters: which parameter, and what is wrong.
public struct NativeCheckError: Error, Sendable, CustomStringConvertible {
    public var parameter: String?
    public var message: String
    public init(parameter: String? = nil, _ message: String) {
        self.parameter = parameter
        self.message = message
    }
    public var description: String { message }
}

/// What a native check found: the result, the evidence that decided it (each line names
/// the file and line, the certificate or the process that decided), and a message when
/// the result is error, unknown, notchecked or notapplicable.
public struct NativeVerdict: Sendable, Equatable {
    public var result: XCCDFResult
    public var evidence: [String]
    public var message: String?

    public init(_ result: XCCDFResult, evidence: [String] = [], message: String? = nil) {
        self.result = result
        self.evidence = evidence
        self.message = message
    }

    /// `.error` with a message.
    public static func error(_ message: String) -> NativeVerdict { NativeVerdict(.error, message: message) }
}

/// What a native check reads through: the target, a cache shared by every check of one
/// scan (so that, say, `sshd_config` is parsed once for all SSH rules), and the time the
/// scan takes as "now" (certificate validity).
public struct NativeContext: Sendable {
    public let target: any Target
    public let cache: NativeCache
    public let now: Date

    public init(target: any Target, cache: NativeCache = NativeCache(), now: Date = Date()) {
        self.target = target
        self.cache = cache
        self.now = now
    }
}

/// A kind of native check: how its parameters are read and how it is evaluated. Kinds
/// read the system only through `NativeContext.target` and never load or run anything
/// from it (configuration includes, modules and binaries are parsed).
public protocol NativeCheckKind: Sendable {
    /// The name in rule files and in XCCDF (`x509`, `sshd_config`, ...).
    static var name: String { get }
    /// The parameter names it accepts; others are refused with the file and line.
    static var parameterNames: [String] { get }
    /// Reads the parameters (references already substituted); throws `NativeCheckError`.
    init(_ parameters: NativeParameters) throws
    /// What the target must be able to answer. A target lacking `.runtimeState` makes the
    /// rule `notapplicable`, as OVAL objects describing a running system are offline.
    var needs: TargetCapabilities { get }
    /// Evaluates the check. Never throws and never traps on what it reads: a problem is an
    /// `.error` (or `.unknown`) verdict with a message.
    func evaluate(_ context: NativeContext) -> NativeVerdict
}

/// The memo shared by the native checks of one scan: each key's value is computed once, by
/// the first caller; concurrent callers of that key wait for it. Keys are namespaced by the
/// caller ("sshd_config:/etc/ssh/sshd_config", ...); a key's type never changes.
public typealias NativeCache = ScanCache
