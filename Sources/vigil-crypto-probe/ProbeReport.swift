#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL

/// The probe's answer, written as one JSON object:
///
///     {"probe": 1,
///      "openssl": {"version": "OpenSSL 3.0.22 25 Aug 2026", "config_file": "/usr/lib/ssl/openssl.cnf",
///                  "config_loaded": true, "config_errors": [], "modules_dir": "..."},
///      "default_properties_fips": false,
///      "providers": [{"name": "default", "description": "OpenSSL Default Provider",
///                     "version": "3.0.22", "buildinfo": "3.0.22", "status": 1, "self_test": true}],
///      "digests": [{"name": "MD5", "fetched": true, "works": true, "error": ""}]}
struct ProbeReport {
    var version = ""
    var configFile = ""
    var configLoaded = false
    var configErrors: [String] = []
    var modulesDir = ""
    var defaultPropertiesFIPS = false
    var providers: [ProviderInfo] = []
    var digests: [DigestInfo] = []

    /// The library's version and where its configuration and modules come from.
    mutating func openssl(configLoaded: Bool, configErrors: [String]) {
        version = String(cString: OpenSSL_version(OPENSSL_VERSION))
        self.configLoaded = configLoaded
        self.configErrors = configErrors
        let dir = OPENSSL_info(OPENSSL_INFO_CONFIG_DIR).map { String(cString: $0) } ?? ""
        // The file OpenSSL reads: OPENSSL_CONF (ignored by set-user-id programs), else its default.
        configFile = getenv("OPENSSL_CONF").map { String(cString: $0) } ?? dir + "/openssl.cnf"
        modulesDir = OPENSSL_info(OPENSSL_INFO_MODULES_DIR).map { String(cString: $0) } ?? ""
    }

    func json() -> String {
        let openssl = JSON.object([
            ("version", JSON.string(version)), ("config_file", JSON.string(configFile)),
            ("config_loaded", configLoaded ? "true" : "false"),
            ("config_errors", JSON.array(configErrors.map(JSON.string))), ("modules_dir", JSON.string(modulesDir)),
        ])
        return JSON.object([
            ("probe", "1"), ("openssl", openssl),
            ("default_properties_fips", defaultPropertiesFIPS ? "true" : "false"),
            ("providers", JSON.array(providers.map { $0.json() })),
            ("digests", JSON.array(digests.map { $0.json() })),
        ])
    }
}

/// Minimal JSON writing (the probe links no Foundation, to start fast).
enum JSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ": " + $0.1 }.joined(separator: ", ") + "}"
    }
}

/// OpenSSL's error queue as text.
enum OpenSSLErrors {
    /// The queued errors, oldest first (at most 8), and the queue emptied.
    static func drain() -> [String] {
        var out: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if out.count < 8 { out.append(text(code)) }
        }
        return out
    }

    static func text(_ code: UInt) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
