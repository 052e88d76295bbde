import Foundation
import XCTest
import VigilCore
import VigilTarget
@testable import VigilCrypto

/// A temporary root holding an OpenSSL installation built by a test: files, a fake
/// `libcrypto.so.3` carrying the version strings the real one embeds, a fake module.
/// Removed when released.
final class OpenSSLFixture {
    let root: String
    static let modulesDir = "/usr/lib/x86_64-linux-gnu/ossl-modules"

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-openssl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `contents` at `path` inside the root.
    func write(_ path: String, _ contents: String) throws {
        try write(path, Data(contents.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let full = root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
    }

    /// A Debian-like libcrypto for `version`: OPENSSLDIR /usr/lib/ssl (linked to /etc/ssl/openssl.cnf).
    func libcrypto(_ version: String) throws {
        var bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        for s in ["OpenSSL \(version) 30 Jan 2024", "OPENSSLDIR: \"/usr/lib/ssl\"", "MODULESDIR: \"\(Self.modulesDir)\""] {
            bytes.append(contentsOf: Array(s.utf8) + [0, 7, 7])
        }
        try write("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", bytes)
        try FileManager.default.createDirectory(atPath: root + "/usr/lib/ssl", withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: root + "/usr/lib/ssl/openssl.cnf", withDestinationPath: "/etc/ssl/openssl.cnf")
    }

    /// A fake FIPS module of `size` random bytes at MODULESDIR/fips.so; its path in the root.
    @discardableResult
    func module(_ path: String = OpenSSLFixture.modulesDir + "/fips.so", size: Int = 50_000) throws -> String {
        try write(path, Data((0..<size).map { _ in UInt8.random(in: 0...255) }))
        return path
    }

    func target() throws -> any Target { try Targets.root(root) }

    /// Evaluates a native check on this root.
    func evaluate(_ kind: String, _ parameters: [(String, [String])], target: (any Target)? = nil) throws -> NativeVerdict {
        let check = try NativeCheckKinds.make(NativeCheckSpec(kind: kind, parameters: parameters.map { (name: $0.0, values: $0.1) }))
        return check.evaluate(NativeContext(target: try target ?? self.target()))
    }

    /// The configuration at `path` parsed by Vigil through this root.
    func parse(_ path: String = "/etc/ssl/openssl.cnf") throws -> OpenSSLConfig {
        try OpenSSLConfigParser(target: target()).parse(path)
    }
}

/// Runs a program and returns its standard output (the test fails when it exits non-zero).
func runTool(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw NativeCheckError("\(tool) \(arguments) exited \(process.terminationStatus)") }
    return String(decoding: data, as: UTF8.self)
}

/// HMAC-SHA256 of a host file with OpenSSL's default FIPS key, computed by the `openssl`
/// command (independently of Vigil), as `AA:BB:...` the way fipsinstall writes it.
func opensslFIPSMac(file: String) throws -> String {
    let out = try runTool("/usr/bin/openssl", ["mac", "-digest", "SHA256", "-macopt",
                                               "hexkey:f4556650ac31d35461610bac4ed81b1a181b2d8a43ea2854cbae22ca74560813", "-in", file, "HMAC"],
                          environment: ["OPENSSL_CONF": "/dev/null"])
    let hex = Array(out.trimmingCharacters(in: .whitespacesAndNewlines).uppercased())
    return stride(from: 0, to: hex.count, by: 2).map { String(hex[$0..<min($0 + 2, hex.count)]) }.joined(separator: ":")
}
