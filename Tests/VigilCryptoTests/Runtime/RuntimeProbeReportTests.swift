import Foundation
import VigilCore
import XCTest
@testable import VigilCrypto

/// How `openssl_runtime` reads what a probe reports on hosts this machine cannot be (a FIPS
/// provider loaded, a self-test failing, a configuration that did not load): a fake probe
/// writes the report a real one would.
final class RuntimeProbeReportTests: XCTestCase {
    /// A probe report with `providers` (JSON objects) and every digest working unless `refused`.
    func report(providers: [String], fips: Bool, refused: Set<String> = [], configLoaded: Bool = true) -> String {
        let digests = RuntimeDigestNames.canonical.map { name in
            let works = !refused.contains(name)
            return #"{"name": "\#(name)", "fetched": \#(works), "works": \#(works), "error": "\#(works ? "" : "error:0308010C:digital envelope routines::unsupported")"}"#
        }
        return """
            {"probe": 1, "openssl": {"version": "OpenSSL 3.0.9 30 May 2023", "config_file": "/etc/ssl/openssl.cnf",
             "config_loaded": \(configLoaded), "config_errors": \(configLoaded ? "[]" : #"["error:1C80006D:Provider routines::fips module entering error state"]"#),
             "modules_dir": "/usr/lib64/ossl-modules"},
             "default_properties_fips": \(fips), "providers": [\(providers.joined(separator: ", "))],
             "digests": [\(digests.joined(separator: ", "))]}
            """
    }

    func provider(_ name: String, _ description: String, status: Int = 1, selfTest: Bool = true) -> String {
        #"{"name": "\#(name)", "description": "\#(description)", "version": "3.0.9", "buildinfo": "3.0.9-fips", "status": \#(status), "self_test": \#(selfTest)}"#
    }

    func verdict(_ report: String, _ parameters: [(String, [String])]) throws -> NativeVerdict {
        let dir = try RuntimeFixtures.tempDir()
        let json = try RuntimeFixtures.write(report, "report.json", in: dir)
        let probe = try RuntimeFixtures.write("#!/bin/sh\ncat '\(json)'\n", "probe", in: dir, mode: 0o755)
        return try RuntimeFixtures.check(parameters, launcher: RuntimeFixtures.launcher(probe)).evaluate(RuntimeFixtures.context())
    }

    /// A RHEL-style FIPS host: the FIPS provider loaded under a name of the configuration's
    /// own, `fips=yes`, MD5 refused.
    func testAFIPSProviderUnderItsOwnNamePassesTheFIPSConditions() throws {
        let fipsHost = report(providers: [provider("base", "OpenSSL Base Provider"),
                                          provider("myfips", "Red Hat Enterprise Linux 9 - OpenSSL FIPS Provider")],
                              fips: true, refused: ["MD5", "MD4", "SHA2-512/224"])
        let v = try verdict(fipsHost, [("fips_provider", ["available"]), ("self_test", ["passed"]),
                                       ("default_properties_fips", ["true"]), ("refuses", ["MD5"]), ("accepts", ["SHA-256"]),
                                       ("providers_absent", ["legacy"])])
        XCTAssertEqual(v.result, .pass, "\(v)")
        XCTAssertEqual(v.evidence[1], "FIPS provider loaded: myfips 3.0.9 (status 1, self-test passed)")
        XCTAssertEqual(v.evidence.last, "and 2 more")
        XCTAssertEqual(try verdict(fipsHost, [("fips_provider", ["absent"])]).result, .fail)
    }

    func testAFailingSelfTestOrStatusFails() throws {
        for fips in [provider("fips", "OpenSSL FIPS Provider", selfTest: false), provider("fips", "OpenSSL FIPS Provider", status: 0)] {
            let v = try verdict(report(providers: [fips], fips: true), [("self_test", ["passed"])])
            XCTAssertEqual(v.result, .fail, fips)
            XCTAssertTrue(v.evidence[1].hasSuffix("; expected passed"), "\(v.evidence)")
        }
    }

    /// A configuration that did not load is named on the first line of the evidence.
    func testAConfigurationThatDidNotLoadIsNamed() throws {
        let v = try verdict(report(providers: [provider("default", "OpenSSL Default Provider")], fips: false,
                                   refused: Set(RuntimeDigestNames.canonical), configLoaded: false),
                            [("accepts", ["SHA256"])])
        XCTAssertEqual(v.result, .fail)
        XCTAssertEqual(v.evidence[0], "runtime: OpenSSL 3.0.9 30 May 2023, configuration /etc/ssl/openssl.cnf (failed to load: fips module entering error state)")
        XCTAssertEqual(v.evidence[1], "SHA256 refused (unsupported); expected accepted")
    }

    func testAReportOfAnotherFormatIsAnError() throws {
        let v = try verdict(report(providers: [], fips: false).replacingOccurrences(of: #""probe": 1"#, with: #""probe": 2"#),
                            [("accepts", ["SHA256"])])
        XCTAssertEqual(v.result, .error)
        XCTAssertEqual(v.message, "probe: the probe's output is of format 2, not 1")
    }
}
