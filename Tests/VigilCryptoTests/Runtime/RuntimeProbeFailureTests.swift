import Foundation
import VigilCore
import XCTest
@testable import VigilCrypto

/// A probe that cannot be found, crashes, hangs, fails or answers garbage makes the rule
/// `error` saying which; nothing else is affected.
final class RuntimeProbeFailureTests: XCTestCase {
    /// The verdict of a check whose probe is the script `body`.
    func verdict(script body: String, seconds: Double = 5) throws -> NativeVerdict {
        let dir = try RuntimeFixtures.tempDir()
        let probe = try RuntimeFixtures.write("#!/bin/sh\n" + body + "\n", "probe", in: dir, mode: 0o755)
        let check = try RuntimeFixtures.check([("refuses", ["MD5"])], launcher: RuntimeFixtures.launcher(probe, seconds: seconds))
        return check.evaluate(RuntimeFixtures.context())
    }

    /// VIGIL_CRYPTO_PROBE names a probe that kills itself with SIGSEGV.
    func testACrashIsAnErrorNamingTheSignal() throws {
        let dir = try RuntimeFixtures.tempDir()
        let probe = try RuntimeFixtures.write("#!/bin/sh\necho 'about to crash' >&2\nkill -SEGV $$\n", "crashing-probe", in: dir, mode: 0o755)
        let launcher = CryptoProbeLauncher.standard(environment: ["VIGIL_CRYPTO_PROBE": probe, "PATH": "/usr/bin:/bin"])
        let v = try RuntimeFixtures.check([("refuses", ["MD5"])], launcher: launcher).evaluate(RuntimeFixtures.context())
        XCTAssertEqual(v.result, .error)
        XCTAssertEqual(v.message, "crashing-probe was killed by signal 11 (SIGSEGV): about to crash")
    }

    /// A probe that hangs is killed at the time limit, with what it started (its process group).
    func testAHangIsKilledAtTheTimeLimit() throws {
        let start = Date()
        let v = try verdict(script: "sleep 30 & sleep 30", seconds: 1)
        XCTAssertEqual(v.result, .error)
        XCTAssertEqual(v.message, "probe timed out after 1 s and was killed")
        XCTAssertLessThan(Date().timeIntervalSince(start), 3)
        // An exit leaving a child that holds the pipe open does not hang either.
        let early = Date()
        let left = try verdict(script: "sleep 30 &\necho '{}'", seconds: 2)
        XCTAssertEqual(left.result, .error)
        XCTAssertTrue(left.message?.contains("no 'probe'") == true, "\(left)")
        XCTAssertLessThan(Date().timeIntervalSince(early), 1.5)
    }

    func testGarbageABadStatusAndAWrongShapeAreErrors() throws {
        let garbage = try verdict(script: "echo 'Segmentation fault? no: just text'")
        XCTAssertEqual(garbage.result, .error)
        XCTAssertEqual(garbage.message, "probe: the probe's output is not its JSON report (not JSON): 'Segmentation fault? no: just text '")
        let status = try verdict(script: "echo 'cannot load libcrypto' >&2; exit 3")
        XCTAssertEqual(status.message, "probe exited with status 3: cannot load libcrypto")
        let shape = try verdict(script: #"echo '{"probe": 1, "openssl": {"version": 3}}'"#)
        XCTAssertEqual(shape.result, .error)
        XCTAssertTrue(shape.message?.contains("bad value at openssl.version") == true, "\(shape)")
        let huge = try verdict(script: "yes | head -c 3000000")
        XCTAssertEqual(huge.message, "probe wrote more than 1 MiB")
    }

    func testAMissingProbeIsAnErrorSayingWhereItLooked() throws {
        let dir = try RuntimeFixtures.tempDir()
        let none = CryptoProbeLauncher.locate(environment: [:], executableDirectory: dir.path)
        XCTAssertEqual(none, .failure(ProbeFailure("vigil-crypto-probe not found (looked in VIGIL_CRYPTO_PROBE, unset, and \(dir.path)/vigil-crypto-probe)")))
        let text = try RuntimeFixtures.write("not a program", "text", in: dir)
        XCTAssertEqual(CryptoProbeLauncher.locate(environment: ["VIGIL_CRYPTO_PROBE": text], executableDirectory: dir.path),
                       .failure(ProbeFailure("VIGIL_CRYPTO_PROBE=\(text) is not an executable file")))
        let probe = try RuntimeFixtures.write("#!/bin/sh\n", CryptoProbeLauncher.fileName, in: dir, mode: 0o755)
        XCTAssertEqual(CryptoProbeLauncher.locate(environment: [:], executableDirectory: dir.path), .success(probe))
        XCTAssertEqual(CryptoProbeLauncher.locate(environment: ["VIGIL_CRYPTO_PROBE": "/bin/true"], executableDirectory: dir.path),
                       .success("/bin/true"))

        var check = try RuntimeFixtures.check([("accepts", ["SHA256"])])
        check.launcher.executable = none
        let v = check.evaluate(RuntimeFixtures.context())
        XCTAssertEqual(v.result, .error)
        XCTAssertTrue(v.message?.hasPrefix("vigil-crypto-probe not found (looked in") == true, "\(v)")
    }

    func testAMissingConfigurationFileIsAnError() throws {
        let v = try RuntimeFixtures.check([("accepts", ["SHA256"]), ("openssl_conf", ["/nonexistent/openssl.cnf"])])
            .evaluate(RuntimeFixtures.context())
        XCTAssertEqual(v.result, .error)
        XCTAssertEqual(v.message, "openssl_conf /nonexistent/openssl.cnf: No such file or directory")
    }

    func testParametersAreChecked() {
        func refused(_ parameters: [(String, [String])], _ text: String, line: UInt = #line) {
            XCTAssertThrowsError(try RuntimeFixtures.check(parameters), line: line) {
                XCTAssertTrue("\($0)".contains(text), "\($0)", line: line)
            }
        }
        refused([], "needs at least one condition")
        refused([("refuses", ["MD55"])], "OpenSSL 3 has no digest 'MD55'")
        refused([("fips_provider", ["yes"])], "must be one of available, absent")
        refused([("self_test", ["failed"])], "must be one of passed")
        refused([("openssl_conf", ["openssl.cnf"]), ("accepts", ["MD5"])], "must be an absolute path")
        refused([("accept", ["MD5"])], "'accept' is not a parameter of openssl_runtime")
    }
}
