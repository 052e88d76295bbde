import Foundation
import XCTest
import VigilTarget
@testable import VigilCrypto

/// What Vigil works out from a configuration against what this host's libcrypto does with
/// it: `openssl list -providers` (in its own process) on test configurations under /tmp and
/// on the host's own openssl.cnf, and the installation against `openssl version -a`.
final class OpenSSLHostDifferentialTests: XCTestCase {
    static let cases: [String: String] = [
        "activate-zero": "[p]\nlegacy = l\n[l]\nactivate = 0\n",
        "missing-module-soft": "[p]\nfips = f\n[f]\nactivate = 1\nsoft_load = 1\n",
        "missing-module-then-default": "[p]\nfips = f\ndefault = d\n[f]\nactivate = 1\n[d]\nactivate = 1\n",
        "legacy-and-default": "[p]\ndefault = d\nlegacy = l\n[d]\nactivate = 1\n[l]\nactivate = 1\n",
        "base-only": "[p]\nbase = b\n[b]\nactivate = yes\n",
        "declared-not-activated": "[p]\ndefault = d\nlegacy = l\n[d]\n[l]\nmodule = legacy.so\n",
        "identity": "[p]\nmine = s\n[s]\nidentity = legacy\nactivate = 1\n",
        "dotted": "[p]\n1.legacy = s\n2.default = s2\n[s]\nactivate = 1\n[s2]\nactivate = 1\n",
        "relative-module": "[p]\nlegacy = l\n[l]\nmodule = legacy.so\nactivate = 1\n",
        "twice": "[p]\nlegacy = l\nlegacy.again = l\n[l]\nactivate = 1\n",
        "builtin-ignores-module": "[p]\ndefault = d\n[d]\nmodule = /nonexistent/default.so\nactivate = 1\n",
        "declared-then-activated": "[p]\nlegacy = l0\n2.legacy = l\n[l0]\n[l]\nactivate = 1\n",
    ]

    private func activeOnHost(_ config: String) throws -> Set<String> {
        let out = try runTool("/usr/bin/openssl", ["list", "-providers"], environment: ["OPENSSL_CONF": config])
        return Set(out.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .map { $0.trimmingCharacters(in: .whitespaces) })
    }

    private func activeByVigil(_ config: String) -> Set<String>? {
        let target = OpenSSLTargetConfig.load(NativeContext(target: Targets.host), path: config)
        guard target.obstacle() == nil, let state = target.state else { return nil }
        return Set(state.activeNames)
    }

    func testProvidersActivatedAsLibcryptoActivatesThem() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { throw XCTSkip("no openssl command") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-providers-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, body) in Self.cases.sorted(by: { $0.key < $1.key }) {
            let path = dir + "/\(name).cnf"
            try ("openssl_conf = i\n[i]\nproviders = p\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertEqual(activeByVigil(path), try activeOnHost(path), name)
        }
        let host = try XCTUnwrap(OpenSSLInstallation.find(in: Targets.host).configPath)
        XCTAssertEqual(activeByVigil(host), try activeOnHost(host), host)
    }

    func testInstallationAsOpenSSLReportsIt() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { throw XCTSkip("no openssl command") }
        let found = OpenSSLInstallation.find(in: Targets.host)
        let out = try runTool("/usr/bin/openssl", ["version", "-v", "-d", "-m"])
        XCTAssertTrue(out.hasPrefix("OpenSSL \(try XCTUnwrap(found.version)) "), out)
        XCTAssertTrue(out.contains("OPENSSLDIR: \"\(try XCTUnwrap(found.opensslDir))\""), out)
        XCTAssertTrue(out.contains("MODULESDIR: \"\(try XCTUnwrap(found.modulesDir))\""), out)
    }

    /// Whether SHA-256 is refused on this host (no FIPS provider installed) under `config`:
    /// exactly when the configuration makes fetches require fips=yes.
    private func sha256RefusedOnHost(_ config: String) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["dgst", "-sha256", "/dev/null"]
        process.environment = ["OPENSSL_CONF": config, "PATH": "/usr/bin:/bin"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus != 0
    }

    func testDefaultPropertiesAsLibcryptoAppliesThem() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { throw XCTSkip("no openssl command") }
        let found = OpenSSLInstallation.find(in: Targets.host)
        if let modules = found.modulesDir, FileManager.default.fileExists(atPath: modules + "/fips.so") { throw XCTSkip("a FIPS module is installed") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-properties-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = ["default_properties = fips=yes", "default_properties = ?fips=yes", "default_properties = fips = YES",
                     "default_properties = fips=no", "default_properties = fips!=yes", "default_properties = fips",
                     "default_properties = provider=default", "fips_mode = yes", "fips_mode = no",
                     "default_properties = fips=yes\ndefault_properties = provider=default"]
        for (i, line) in lines.enumerated() {
            let path = dir + "/\(i).cnf"
            try "openssl_conf = i\n[i]\nalg_section = a\n[a]\n\(line)\n".write(toFile: path, atomically: true, encoding: .utf8)
            let target = OpenSSLTargetConfig.load(NativeContext(target: Targets.host), path: path)
            XCTAssertEqual(target.state?.fipsPropertyRequired, try sha256RefusedOnHost(path), line)
        }
    }

    func testLiveHostChecksAreQuick() throws {
        let start = Date()
        let context = NativeContext(target: Targets.host)
        let config = try NativeCheckKinds.make(NativeCheckSpec(kind: "openssl_config", parameters: [("providers_inactive", ["legacy"])]))
        let module = try NativeCheckKinds.make(NativeCheckSpec(kind: "fips_module", parameters: []))
        let verdicts = [config.evaluate(context), module.evaluate(context)]
        let elapsed = Date().timeIntervalSince(start)
        print("openssl_config + fips_module on this host: \(Int(elapsed * 1000)) ms: \(verdicts.map { "\($0.result)" })")
        XCTAssertLessThan(elapsed, 0.5)
        XCTAssertFalse(verdicts.contains { $0.result == .error }, "\(verdicts)")
    }
}
