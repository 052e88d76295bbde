import Foundation
import VigilTarget
import XCTest
@testable import VigilCrypto

/// Fixtures of the runtime tests: OpenSSL configurations, fake probes written as scripts,
/// and checks built from parameters as a rule gives them.
enum RuntimeFixtures {
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file `name` in `dir` holding `text`, executable when `mode` says so.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: URL, mode: Int = 0o644) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// A configuration activating the default and legacy providers.
    static let legacy = """
        openssl_conf = openssl_init
        [openssl_init]
        providers = provider_sect
        [provider_sect]
        default = default_sect
        legacy = legacy_sect
        [default_sect]
        activate = 1
        [legacy_sect]
        activate = 1
        """

    /// A configuration asking every fetch for `fips=yes`, with no FIPS provider to answer.
    static let fipsPropertiesOnly = """
        openssl_conf = openssl_init
        [openssl_init]
        alg_section = algorithm_sect
        [algorithm_sect]
        default_properties = fips=yes
        """

    /// The check `parameters` describe, run by `launcher` when given.
    static func check(_ parameters: [(String, [String])], launcher: CryptoProbeLauncher? = nil) throws -> OpenSSLRuntimeCheck {
        let made = try NativeCheckKinds.make(NativeCheckSpec(kind: "openssl_runtime", parameters: parameters.map { (name: $0.0, values: $0.1) }))
        var check = try XCTUnwrap(made as? OpenSSLRuntimeCheck)
        if let launcher { check.launcher = launcher }
        return check
    }

    /// A launcher running the executable at `path` with a time limit of `seconds`.
    static func launcher(_ path: String, seconds: Double = CryptoProbeLauncher.defaultTimeLimit) -> CryptoProbeLauncher {
        CryptoProbeLauncher(executable: .success(path), environment: ProcessInfo.processInfo.environment, timeLimit: seconds)
    }

    /// The live host's context with a cache of its own (one scan).
    static func context(_ cache: NativeCache = NativeCache()) -> NativeContext {
        NativeContext(target: Targets.host, cache: cache)
    }

}
