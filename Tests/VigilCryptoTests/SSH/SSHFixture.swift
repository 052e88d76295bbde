import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// A throw-away directory holding sshd/ssh configuration files, a host key, and helpers
/// that run the real `sshd -T` / `ssh -G` on them (OpenSSH from Debian's openssh-server
/// and openssh-client packages, which .ci/run installs).
final class SSHFixture {
    static let sshd = "/usr/sbin/sshd"
    static let ssh = "/usr/bin/ssh"
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-ssh-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes `text` (with `{D}` replaced by the fixture directory) to `name` under it.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.replacingOccurrences(of: "{D}", with: dir).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Fails in CI (`CI=true`, where everything is installed), else skips, saying what is missing.
    static func missing(_ what: String) throws -> Never {
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(what) }
        throw XCTSkip(what)
    }

    /// Skips the test when the OpenSSH programs are missing (fails it in CI, which installs
    /// them: `CI=true`); creates the privilege separation directory sshd -T insists on.
    static func requirePrograms() throws {
        for p in [sshd, ssh, "/usr/bin/ssh-keygen"] where !FileManager.default.isExecutableFile(atPath: p) {
            try missing("\(p) is missing: these differential tests need Debian's openssh-server and openssh-client (apt-get install openssh-server)")
        }
        if !FileManager.default.fileExists(atPath: "/run/sshd") {
            guard getuid() == 0 else {
                try missing("sshd -T needs /run/sshd; create it (as root: mkdir /run/sshd) or run the tests as root")
                return
            }
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
    }

    /// A fresh ed25519 host key in the fixture; its path.
    func hostKey() throws -> String {
        let key = dir + "/hostkey"
        if !FileManager.default.fileExists(atPath: key) {
            let r = Self.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key])
            guard r.status == 0 else { throw NSError(domain: "ssh-keygen", code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: r.output]) }
        }
        return key
    }

    /// `sshd -T -f file [-C spec]`: keyword → values (one per printed line), or nil with
    /// sshd's message when it refuses the configuration.
    static func sshdT(_ file: String, connection: String? = nil) -> (values: [String: [String]]?, output: String) {
        let r = run(sshd, ["-T", "-f", file] + (connection.map { ["-C", $0] } ?? []))
        return (r.status == 0 ? table(r.output) : nil, r.output)
    }

    /// `ssh -G -F file host`.
    static func sshG(_ file: String, host: String) -> (values: [String: [String]]?, output: String) {
        let r = run(ssh, ["-G", "-F", file, host])
        return (r.status == 0 ? table(r.output) : nil, r.output)
    }

    private static func table(_ output: String) -> [String: [String]] {
        var t: [String: [String]] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            t[String(parts[0]), default: []].append(parts.count > 1 ? String(parts[1]) : "")
        }
        return t
    }

    static func run(_ program: String, _ args: [String]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (-1, "\(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Runs a native check of `kind` with `params` on `target`.
    static func verdict(_ kind: String, _ params: [(String, [String])], target: any Target = HostTarget()) throws -> NativeVerdict {
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: kind, parameters: params.map { (name: $0.0, values: $0.1) }))
        return check.evaluate(NativeContext(target: target))
    }
}
