import Foundation
import VigilCore
import VigilTarget
import XCTest
@testable import VigilCrypto

/// `openssl_runtime` with the real `vigil-crypto-probe` (built beside the test runner) on
/// this host, as it is configured and under fixture configurations.
final class OpenSSLRuntimeCheckTests: XCTestCase {
    /// This host's stock configuration: the default provider only, MD5 accepted, no FIPS.
    func testThisHostAsConfigured() throws {
        let cache = NativeCache()
        func verdict(_ parameters: [(String, [String])]) throws -> NativeVerdict {
            try RuntimeFixtures.check(parameters).evaluate(RuntimeFixtures.context(cache))
        }
        let absent = try verdict([("fips_provider", ["absent"]), ("default_properties_fips", ["false"]),
                                  ("providers_absent", ["legacy"]), ("accepts", ["SHA256", "md5"])])
        XCTAssertEqual(absent.result, .pass, "\(absent)")
        XCTAssertTrue(absent.evidence[0].hasPrefix("runtime: OpenSSL 3."), "\(absent.evidence)")
        XCTAssertTrue(absent.evidence.contains { $0.hasPrefix("FIPS provider absent (loaded: default 3.") }, "\(absent.evidence)")

        let fips = try verdict([("fips_provider", ["available"])])
        XCTAssertEqual(fips.result, .fail)
        XCTAssertTrue(fips.evidence[1].hasSuffix("; expected available"), "\(fips.evidence)")
        let md5 = try verdict([("refuses", ["MD5"])])
        XCTAssertEqual(md5.result, .fail)
        XCTAssertEqual(md5.evidence.last, "MD5 accepted; expected refused")
        let selfTest = try verdict([("self_test", ["passed"])])
        XCTAssertEqual(selfTest.result, .fail)
        XCTAssertEqual(selfTest.evidence.last, "FIPS self-test: no FIPS provider loaded; expected passed")
        // MD4 lives in the legacy provider, which is not loaded.
        XCTAssertEqual(try verdict([("refuses", ["MD4"])]).result, .pass)
    }

    func testALegacyConfigurationLoadsTheLegacyProvider() throws {
        let dir = try RuntimeFixtures.tempDir()
        let conf = try RuntimeFixtures.write(RuntimeFixtures.legacy, "legacy.cnf", in: dir)
        let cache = NativeCache()
        let off = try RuntimeFixtures.check([("providers_absent", ["legacy"]), ("openssl_conf", [conf])])
            .evaluate(RuntimeFixtures.context(cache))
        XCTAssertEqual(off.result, .fail)
        XCTAssertTrue(off.evidence.allSatisfy { $0.count < 200 }, "\(off.evidence)")
        XCTAssertTrue(off.evidence[0].hasSuffix("configuration \(conf)"), "\(off.evidence)")
        XCTAssertTrue(off.evidence[1].hasPrefix("legacy provider loaded: legacy 3."), "\(off.evidence)")
        let md4 = try RuntimeFixtures.check([("accepts", ["MD4", "RIPEMD160"]), ("openssl_conf", [conf])])
            .evaluate(RuntimeFixtures.context(cache))
        XCTAssertEqual(md4.result, .pass, "\(md4)")
    }

    /// `default_properties = fips=yes` and no FIPS provider (Debian has none): every fetch
    /// from the default context fails, MD5 and SHA-256 alike.
    func testFIPSPropertiesWithoutAFIPSProviderRefuseEveryDigest() throws {
        let dir = try RuntimeFixtures.tempDir()
        let conf = try RuntimeFixtures.write(RuntimeFixtures.fipsPropertiesOnly, "fips.cnf", in: dir)
        let cache = NativeCache()
        func verdict(_ parameters: [(String, [String])]) throws -> NativeVerdict {
            try RuntimeFixtures.check(parameters + [("openssl_conf", [conf])]).evaluate(RuntimeFixtures.context(cache))
        }
        let refused = try verdict([("default_properties_fips", ["true"]), ("refuses", ["MD5", "SHA-256"])])
        XCTAssertEqual(refused.result, .pass, "\(refused)")
        XCTAssertTrue(refused.evidence.contains("MD5 refused (unsupported)"), "\(refused.evidence)")
        XCTAssertTrue(refused.evidence.contains("default properties: fips=yes"), "\(refused.evidence)")
        let accepts = try verdict([("accepts", ["SHA256"])])
        XCTAssertEqual(accepts.result, .fail)
        XCTAssertEqual(accepts.evidence.last, "SHA256 refused (unsupported); expected accepted")
        XCTAssertEqual(try verdict([("fips_provider", ["available"])]).result, .fail)
        XCTAssertEqual(try verdict([("default_properties_fips", ["false"])]).result, .fail)
    }

    /// A configuration OpenSSL refuses with `config_diagnostics = 1`: the `openssl` command
    /// does not start; the evidence says so and names OpenSSL's most specific error.
    func testAConfigurationThatFailsToLoadIsNamed() throws {
        let dir = try RuntimeFixtures.tempDir()
        let conf = try RuntimeFixtures.write("""
            config_diagnostics = 1
            openssl_conf = openssl_init
            [openssl_init]
            no_such_module = x_sect
            [x_sect]
            a = b
            """, "diagnostics.cnf", in: dir)
        let v = try RuntimeFixtures.check([("accepts", ["SHA256"]), ("openssl_conf", [conf])]).evaluate(RuntimeFixtures.context())
        XCTAssertEqual(v.result, .pass, "\(v)")
        XCTAssertTrue(v.evidence[0].hasSuffix("configuration \(conf) (failed to load: unknown module name)"),
                      "\(v.evidence)")
    }

    /// Every rule of a scan reads one probe run.
    func testTheProbeRunsOncePerScan() throws {
        let dir = try RuntimeFixtures.tempDir()
        let real = try XCTUnwrap(try? CryptoProbeLauncher.standard().executable.get(), "vigil-crypto-probe is built beside the tests")
        let counter = dir.appendingPathComponent("runs").path
        let wrapper = try RuntimeFixtures.write("#!/bin/sh\necho run >> '\(counter)'\nexec '\(real)' \"$@\"\n", "probe", in: dir, mode: 0o755)
        let cache = NativeCache()
        for parameters in [[("refuses", ["MD4"])], [("accepts", ["SHA256"])], [("fips_provider", ["absent"])]] {
            let check = try RuntimeFixtures.check(parameters, launcher: RuntimeFixtures.launcher(wrapper))
            XCTAssertEqual(check.evaluate(RuntimeFixtures.context(cache)).result, .pass)
        }
        XCTAssertEqual(try String(contentsOfFile: counter, encoding: .utf8), "run\n")
    }

    /// One run of the real probe, timed: issue 15 wants a whole `fips-140` scan of a live host
    /// under 0.5 s, so the probe must stay far below that.
    func testOneProbeRunIsQuick() throws {
        let launcher = CryptoProbeLauncher.standard()
        var times: [Double] = []
        for _ in 0..<10 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try launcher.state(opensslConf: nil, digests: RuntimeDigestNames.canonical).get()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        let sorted = times.sorted()
        print("[runtime] vigil-crypto-probe, 10 runs with \(RuntimeDigestNames.canonical.count) digests: median \(sorted[5]) ms, max \(sorted[9]) ms")
        XCTAssertLessThan(sorted[5], 150, "median run in ms")
    }

    func testAnOfflineRootIsNotApplicable() throws {
        let root = try RootTarget(try RuntimeFixtures.tempDir().path)
        let verdict = try RuntimeFixtures.check([("fips_provider", ["available"])]).evaluate(NativeContext(target: root))
        XCTAssertEqual(verdict.result, .notapplicable)
        XCTAssertEqual(try RuntimeFixtures.check([("fips_provider", ["available"])]).needs, .runtimeState)
    }
}
