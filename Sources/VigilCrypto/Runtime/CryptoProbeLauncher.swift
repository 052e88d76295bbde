import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How `openssl_runtime` finds and runs `vigil-crypto-probe`: the executable (the
/// `VIGIL_CRYPTO_PROBE` environment variable, else the file of that name beside the running
/// executable), the environment it passes through and the time limit.
struct CryptoProbeLauncher: Sendable {
    /// The probe's file name.
    static let fileName = "vigil-crypto-probe"
    /// Seconds the probe may take before it is killed.
    static let defaultTimeLimit = 5.0

    /// The probe to run, or why there is none.
    var executable: Result<String, ProbeFailure>
    /// The environment the probe starts with: the scanner's own (OPENSSL_CONF, OPENSSL_MODULES).
    var environment: [String: String]
    var timeLimit: Double

    /// The launcher of a process with `environment` (this one's by default), looking beside
    /// this process's executable.
    static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> CryptoProbeLauncher {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let directory = exe.map { ($0 as NSString).deletingLastPathComponent }
        return CryptoProbeLauncher(executable: locate(environment: environment, executableDirectory: directory),
                                   environment: environment, timeLimit: defaultTimeLimit)
    }

    /// `VIGIL_CRYPTO_PROBE` when set (it must be an executable file), else the probe in
    /// `executableDirectory`.
    static func locate(environment: [String: String], executableDirectory: String?) -> Result<String, ProbeFailure> {
        if let path = environment["VIGIL_CRYPTO_PROBE"], !path.isEmpty {
            return access(path, X_OK) == 0 ? .success(path)
                : .failure(ProbeFailure("VIGIL_CRYPTO_PROBE=\(path) is not an executable file"))
        }
        let candidate = executableDirectory.map { "\($0)/\(fileName)" }
        if let candidate, access(candidate, X_OK) == 0 { return .success(candidate) }
        return .failure(ProbeFailure("\(fileName) not found (looked in VIGIL_CRYPTO_PROBE, unset, and \(candidate ?? "the running executable's directory, unknown"))"))
    }

    /// Runs the probe once, asking about `digests`, with `OPENSSL_CONF` set to `opensslConf`
    /// when given, and reads its report.
    func state(opensslConf: String?, digests: [String]) -> Result<OpenSSLRuntimeState, ProbeFailure> {
        let path: String
        switch executable {
        case .failure(let failure): return .failure(failure)
        case .success(let p): path = p
        }
        var env = environment
        if let opensslConf { env["OPENSSL_CONF"] = opensslConf }
        let outcome: ProbeProcess.Outcome
        do {
            outcome = try ProbeProcess(executable: path, arguments: digests, environment: env, timeLimit: timeLimit).run()
        } catch {
            return .failure(error as? ProbeFailure ?? ProbeFailure("\(error)"))
        }
        let name = (path as NSString).lastPathComponent
        let stderr = Self.firstLine(outcome.stderr).map { ": \($0)" } ?? ""
        switch outcome.ending {
        case .timedOut:
            return .failure(ProbeFailure("\(name) timed out after \(Self.seconds(timeLimit)) s and was killed"))
        case .signaled(let signal):
            return .failure(ProbeFailure("\(name) was killed by signal \(signal) (\(Self.signalName(signal)))\(stderr)"))
        case .exited(let status) where status != 0:
            return .failure(ProbeFailure("\(name) exited with status \(status)\(stderr)"))
        case .exited:
            if outcome.truncated { return .failure(ProbeFailure("\(name) wrote more than \(ProbeProcess.outputLimit >> 20) MiB")) }
            return OpenSSLRuntimeState.parse(outcome.stdout).mapError { ProbeFailure("\(name): \($0.message)") }
        }
    }

    /// The first non-empty line of `bytes`, at most 160 characters.
    static func firstLine(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        return text.split(separator: "\n").first.map { String($0.prefix(160)) }
    }

    static func seconds(_ t: Double) -> String {
        t == t.rounded() ? String(Int(t)) : String(t)
    }

    /// "SIGSEGV" and the like, else the C library's description.
    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
                                      SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGTRAP: "SIGTRAP"]
        return names[signal] ?? strsignal(signal).map { String(cString: $0) } ?? "unknown signal"
    }
}
