#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL

/// One provider loaded in the default library context: its name as loaded, the
/// parameters it reports (`name`, `version`, `buildinfo`, `status`) and whether its
/// on-demand self-test (`OSSL_PROVIDER_self_test`; the FIPS provider's known-answer tests)
/// passes.
struct ProviderInfo {
    var name: String
    var description = ""
    var version = ""
    var buildinfo = ""
    var status: Int32 = -1
    var selfTest = false

    /// The providers of the default library context, in OpenSSL's order.
    static func loaded() -> [ProviderInfo] {
        final class Box { var providers: [OpaquePointer] = [] }
        let box = Box()
        _ = OSSL_PROVIDER_do_all(nil, { provider, data in
            if let provider, let data { Unmanaged<Box>.fromOpaque(data).takeUnretainedValue().providers.append(provider) }
            return 1
        }, Unmanaged.passUnretained(box).toOpaque())
        return box.providers.map(ProviderInfo.init(provider:))
    }

    init(provider: OpaquePointer) {
        name = OSSL_PROVIDER_get0_name(provider).map { String(cString: $0) } ?? ""
        var nameValue: UnsafeMutablePointer<CChar>?, versionValue: UnsafeMutablePointer<CChar>?
        var buildValue: UnsafeMutablePointer<CChar>?
        var statusValue: Int32 = -1
        let names: [String] = ["name", "version", "buildinfo", "status"]
        let keys = names.map { strdup($0)! }
        defer { keys.forEach { free($0) } }
        withUnsafeMutablePointer(to: &nameValue) { n in
            withUnsafeMutablePointer(to: &versionValue) { v in
                withUnsafeMutablePointer(to: &buildValue) { b in
                    var params = [
                        OSSL_PARAM_construct_utf8_ptr(keys[0], n, 0),
                        OSSL_PARAM_construct_utf8_ptr(keys[1], v, 0),
                        OSSL_PARAM_construct_utf8_ptr(keys[2], b, 0),
                        OSSL_PARAM_construct_int(keys[3], &statusValue),
                        OSSL_PARAM_construct_end(),
                    ]
                    _ = OSSL_PROVIDER_get_params(provider, &params)
                    // A provider that does not know `status` leaves it unset: -1 stays.
                }
            }
        }
        description = nameValue.map { String(cString: $0) } ?? ""
        version = versionValue.map { String(cString: $0) } ?? ""
        buildinfo = buildValue.map { String(cString: $0) } ?? ""
        status = statusValue
        selfTest = OSSL_PROVIDER_self_test(provider) == 1
        _ = OpenSSLErrors.drain()
    }

    func json() -> String {
        JSON.object([
            ("name", JSON.string(name)), ("description", JSON.string(description)),
            ("version", JSON.string(version)), ("buildinfo", JSON.string(buildinfo)),
            ("status", String(status)), ("self_test", selfTest ? "true" : "false"),
        ])
    }
}

/// Whether a digest is usable by a process: fetched from the default library context
/// with the default properties (`EVP_MD_fetch(NULL, name, NULL)`, which a FIPS-only
/// configuration refuses for MD5), and a one-block digest computed with it.
struct DigestInfo {
    var name: String
    var fetched = false
    var works = false
    var error = ""

    init(name: String) {
        self.name = name
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            error = OpenSSLErrors.drain().first ?? "not fetched"
            return
        }
        defer { EVP_MD_free(md) }
        fetched = true
        guard let ctx = EVP_MD_CTX_new() else { error = "out of memory"; return }
        defer { EVP_MD_CTX_free(ctx) }
        let block = [UInt8](repeating: 0x61, count: 64)
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        works = EVP_DigestInit_ex2(ctx, md, nil) == 1 && EVP_DigestUpdate(ctx, block, block.count) == 1
            && EVP_DigestFinal_ex(ctx, &out, &length) == 1 && length > 0
        if !works { error = OpenSSLErrors.drain().first ?? "digest failed" }
    }

    func json() -> String {
        JSON.object([
            ("name", JSON.string(name)), ("fetched", fetched ? "true" : "false"),
            ("works", works ? "true" : "false"), ("error", JSON.string(error)),
        ])
    }
}
