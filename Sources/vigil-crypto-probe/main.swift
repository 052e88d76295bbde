// vigil-crypto-probe: reports, as one JSON object on stdout, what OpenSSL gives a process
// started on this host with this environment (OPENSSL_CONF, OPENSSL_MODULES): the library
// version, the configuration's load, the providers loaded with their parameters and
// self-test, whether default properties ask for FIPS, and for each digest named as an
// argument whether it can be fetched from the default library context and hash one block.
//
// Vigil's `openssl_runtime` check runs it in a separate process with a time limit, so a
// configuration that crashes or hangs OpenSSL cannot take the scanner down. It writes no
// file, opens no network connection and exits at once. Output format: see ProbeReport.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL

// OpenSSL reads the configuration once, at this call (as any program using it would).
let configLoaded = OPENSSL_init_crypto(UInt64(OPENSSL_INIT_LOAD_CONFIG), nil) == 1
let configErrors = OpenSSLErrors.drain()

var report = ProbeReport()
report.openssl(configLoaded: configLoaded, configErrors: configErrors)
report.defaultPropertiesFIPS = EVP_default_properties_is_fips_enabled(nil) == 1
report.providers = ProviderInfo.loaded()
report.digests = CommandLine.arguments.dropFirst().map(DigestInfo.init(name:))

let text = report.json() + "\n"
var bytes = Array(text.utf8)
var written = 0
while written < bytes.count {
    let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + written, $0.count - written) }
    if n < 0 { if errno == EINTR { continue }; exit(3) }
    written += n
}
exit(0)
