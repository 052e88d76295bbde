import Foundation

/// What `vigil-crypto-probe` reported about the OpenSSL a process on this host gets: the
/// library, its configuration's load, the providers loaded, whether default properties
/// ask for FIPS, and which digests work. Decoded from the probe's JSON (see the probe's
/// `ProbeReport`).
struct OpenSSLRuntimeState: Decodable, Sendable, Equatable {
    /// The library and its configuration.
    struct Library: Decodable, Sendable, Equatable {
        var version: String
        var configFile: String
        /// Whether OpenSSL's initialisation with the configuration succeeded. OpenSSL 3.0 says
        /// yes to most broken configurations (a missing module, a failed FIPS self-test,
        /// unparsable text) unless the file sets `config_diagnostics = 1`; then a process's
        /// OpenSSL fails to start (the `openssl` command exits at once).
        var configLoaded: Bool
        /// OpenSSL's errors from loading it, oldest first, the most specific last.
        var configErrors: [String]
        var modulesDir: String
    }

    /// A provider loaded in the default library context.
    struct Provider: Decodable, Sendable, Equatable {
        /// The name it was loaded under (`default`, `fips`, a configuration's own name).
        var name: String
        /// Its `name` parameter ("OpenSSL FIPS Provider").
        var description: String
        var version: String
        var buildinfo: String
        /// Its `status` parameter: 1 usable, 0 in error, -1 not reported.
        var status: Int
        /// Whether `OSSL_PROVIDER_self_test` passed.
        var selfTest: Bool

        /// Whether this is the provider `family` ("fips", "legacy"): loaded under that name,
        /// or describing itself as "... <family> Provider" (a configuration may load the FIPS
        /// module under a name of its own).
        func isA(_ family: String) -> Bool {
            name.caseInsensitiveCompare(family) == .orderedSame
                || description.range(of: "\(family) provider", options: .caseInsensitive) != nil
        }

        /// "fips 3.0.9 (status 1, self-test passed)".
        var summary: String {
            let test = selfTest ? "self-test passed" : "self-test failed"
            return "\(name) \(version.isEmpty ? "?" : version) (status \(status), \(test))"
        }
    }

    /// Whether a digest can be fetched and used.
    struct Digest: Decodable, Sendable, Equatable {
        var name: String
        var fetched: Bool
        var works: Bool
        var error: String
    }

    var probe: Int
    var openssl: Library
    var defaultPropertiesFips: Bool
    var providers: [Provider]
    var digests: [Digest]

    /// The state in `json`, or a failure saying what is wrong with it.
    static func parse(_ json: [UInt8]) -> Result<OpenSSLRuntimeState, ProbeFailure> {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            let state = try decoder.decode(OpenSSLRuntimeState.self, from: Data(json))
            guard state.probe == 1 else { return .failure(ProbeFailure("the probe's output is of format \(state.probe), not 1")) }
            return .success(state)
        } catch {
            let start = String(decoding: json.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            return .failure(ProbeFailure("the probe's output is not its JSON report (\(Self.reason(error))): '\(start)'"))
        }
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "bad value at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        default: return "not JSON"
        }
    }

    /// The providers that are `family`.
    func providers(_ family: String) -> [Provider] { providers.filter { $0.isA(family) } }

    /// The digest reported under `name` (a canonical name of `RuntimeDigestNames`).
    func digest(_ name: String) -> Digest? { digests.first { $0.name == name } }
}
