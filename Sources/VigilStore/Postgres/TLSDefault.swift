import CLibPQ
import Foundation

/// Vigil's one departure from libpq's defaults: a connection to another machine is made
/// with TLS and the server's certificate checked (`sslmode=verify-full`) unless the URI or
/// `PGSSLMODE` says otherwise. libpq's own default, `prefer`, falls back to plain text
/// without a word, which would send a node's scans (and its password) in the clear. Unix
/// sockets and loopback addresses keep libpq's default: nothing crosses a network.
enum TLSDefault {
    /// `uri` with `sslmode=verify-full` added when it names a remote host and neither it
    /// nor `PGSSLMODE` sets a mode; `uri` itself when libpq cannot parse it (its own error
    /// then says why).
    static func applied(to uri: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        guard environment["PGSSLMODE"] == nil, let options = parsed(uri) else { return uri }
        if let mode = options["sslmode"], !mode.isEmpty { return uri }
        let hosts = (options["host"] ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            + (options["hostaddr"] ?? "").split(separator: ",").map(String.init)
        let hostsOrEnvironment = hosts.allSatisfy(\.isEmpty) ? [environment["PGHOST"] ?? ""] : hosts
        guard hostsOrEnvironment.contains(where: { !isLocal($0) }) else { return uri }
        return uri + (uri.contains("?") ? "&" : "?") + "sslmode=verify-full"
    }

    /// Whether a libpq host names this machine: empty or a directory (a Unix socket),
    /// `localhost`, or a loopback address.
    static func isLocal(_ host: String) -> Bool {
        let h = host.trimmingCharacters(in: .whitespaces).lowercased()
        return h.isEmpty || h.hasPrefix("/") || h.hasPrefix("@") || h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// The connection options libpq reads from `uri` (keyword → value, set ones only).
    static func parsed(_ uri: String) -> [String: String]? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(uri, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var out: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { out[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return out
    }
}
