/// `--metrics-listen ADDR:PORT`: `127.0.0.1:9818`, `[::1]:9818`, or `:9818` (every IPv4
/// address); port 0 lets the system choose.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(_ text: String) throws {
        func fail(_ why: String) -> Error { ListenAddressError(description: "--metrics-listen '\(text)': \(why)") }
        guard let colon = text.lastIndex(of: ":") else { throw fail("expected ADDR:PORT (127.0.0.1:9818, [::1]:9818, :9818)") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), portText.allSatisfy(\.isNumber), (0...65535).contains(port) else {
            throw fail("the port must be a number from 0 to 65535")
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { throw fail("an IPv6 address is written in brackets: [::1]:9818") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw fail("an IPv6 address is written in brackets: [::1]:9818")
        }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A `--metrics-listen` value that cannot be used.
public struct ListenAddressError: Error, CustomStringConvertible {
    public let description: String
}
