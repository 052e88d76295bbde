#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A minimal client connection to a D-Bus bus over a Unix socket: EXTERNAL
/// authentication, `Hello`, and blocking method calls. Enough to ask systemd what the
/// systemd probes need; calls are serialized by a lock.
final class SystemdBusConnection: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var nextSerial: UInt32 = 1
    private var buffer: [UInt8] = []

    /// Connects to the first reachable `unix:path=` or `unix:abstract=` address of
    /// `address` (addresses separated by ';'), authenticates and says Hello.
    init(address: String, timeoutSeconds: Int = 25) throws {
        var lastError = SystemdBusError("no usable address in '\(address)'")
        for candidate in address.split(separator: ";") {
            guard let sock = SystemdBusConnection.parse(String(candidate)) else { continue }
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { lastError = SystemdBusError("socket: errno \(errno)"); continue }
            var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let pathBytes = (sock.abstract ? [0] : []) + Array(sock.path.utf8)
            let capacity = MemoryLayout.size(ofValue: addr.sun_path)
            guard pathBytes.count < capacity else { close(fd); lastError = SystemdBusError("socket path too long"); continue }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, b) in pathBytes.enumerated() { raw[i] = b }
            }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (sock.abstract ? 0 : 1))
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
            }
            guard rc == 0 else {
                lastError = SystemdBusError("connect \(sock.path): errno \(errno)")
                close(fd)
                continue
            }
            self.fd = fd
            do {
                try authenticate()
                _ = try call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                             interface: "org.freedesktop.DBus", member: "Hello")
            } catch {
                close(fd)
                throw error
            }
            return
        }
        throw lastError
    }

    deinit { close(fd) }

    private static func parse(_ address: String) -> (path: String, abstract: Bool)? {
        guard address.hasPrefix("unix:") else { return nil }
        for part in address.dropFirst(5).split(separator: ",") {
            if part.hasPrefix("path=") { return (unescape(String(part.dropFirst(5))), false) }
            if part.hasPrefix("abstract=") { return (unescape(String(part.dropFirst(9))), true) }
        }
        return nil
    }

    /// Undoes D-Bus address %-escapes.
    private static func unescape(_ s: String) -> String {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%"), bytes.count >= 2,
               let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func authenticate() throws {
        let uid = String(getuid())
        let hex = uid.utf8.map { String(format: "%02x", $0) }.joined()
        try send([0] + Array("AUTH EXTERNAL \(hex)\r\n".utf8))
        let reply = try readLine()
        guard reply.hasPrefix("OK ") else { throw SystemdBusError("authentication refused: \(reply)") }
        try send(Array("BEGIN\r\n".utf8))
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SystemdBusError("write failed: errno \(errno)") }
            sent += n
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SystemdBusError(n == 0 ? "connection closed" : "read failed: errno \(errno)") }
            buffer += chunk[0..<n]
            return
        }
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[0..<i], as: UTF8.self)
                buffer.removeSubrange(0...i)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            guard buffer.count < 16384 else { throw SystemdBusError("authentication line too long") }
            try fill()
        }
    }

    private func readMessage() throws -> SystemdBusMessage {
        while buffer.count < 16 { try fill() }
        guard let total = SystemdBusMessage.totalLength(head: Array(buffer[0..<16])) else {
            throw SystemdBusError("malformed message header")
        }
        while buffer.count < total { try fill() }
        let bytes = Array(buffer[0..<total])
        buffer.removeSubrange(0..<total)
        return try SystemdBusMessage.decode(bytes)
    }

    /// Sends a message as is (its serial is replaced by the connection's next one) and
    /// returns that serial.
    @discardableResult
    func post(_ message: SystemdBusMessage) throws -> UInt32 {
        lock.lock()
        defer { lock.unlock() }
        return try postLocked(message)
    }

    private func postLocked(_ message: SystemdBusMessage) throws -> UInt32 {
        var m = message
        m.serial = nextSerial
        nextSerial &+= 1
        try send(m.encoded())
        return m.serial
    }

    /// Reads the next message of any kind (for test peers).
    func receive() throws -> SystemdBusMessage {
        lock.lock()
        defer { lock.unlock() }
        return try readMessage()
    }

    /// Calls a method and returns the reply's body; a D-Bus error reply throws.
    func call(destination: String, path: String, interface: String, member: String,
              arguments: [SystemdBusValue] = []) throws -> [SystemdBusValue] {
        lock.lock()
        defer { lock.unlock() }
        let serial = try postLocked(SystemdBusMessage(kind: .methodCall, serial: 0, path: path, interface: interface,
                                                      member: member, destination: destination, body: arguments))
        while true {
            let m = try readMessage()
            guard m.replySerial == serial else { continue }
            if m.kind == .error {
                let detail = m.body.first.flatMap { v -> String? in if case .string(let s) = v { return s }; return nil }
                throw SystemdBusError("\(m.errorName ?? "error")\(detail.map { ": " + $0 } ?? "")")
            }
            return m.body
        }
    }
}

/// systemd's units as its D-Bus API (`org.freedesktop.systemd1`) reports them.
struct SystemdBusUnits: SystemdUnitQuery, @unchecked Sendable {
    let connection: SystemdBusConnection

    private func manager(_ member: String, _ arguments: [SystemdBusValue] = []) throws -> [SystemdBusValue] {
        try connection.call(destination: "org.freedesktop.systemd1", path: "/org/freedesktop/systemd1",
                            interface: "org.freedesktop.systemd1.Manager", member: member, arguments: arguments)
    }

    /// `ListUnits`: the first field (name) of each loaded unit.
    func loadedUnits() throws -> [String] {
        guard case .array(_, let rows)? = try manager("ListUnits").first else {
            throw SystemdBusError("unexpected ListUnits reply")
        }
        return rows.compactMap { row in
            guard case .structure(let f) = row, case .string(let name)? = f.first else { return nil }
            return name
        }
    }

    /// `LoadUnit`: the unit's object path.
    private func path(_ unit: String) throws -> String {
        guard case .objectPath(let p)? = try manager("LoadUnit", [.string(unit)]).first else {
            throw SystemdBusError("unexpected LoadUnit reply for \(unit)")
        }
        return p
    }

    /// Throws when the unit cannot be loaded (OpenSCAP then stops listing units); a
    /// failed `GetAll` gives no properties.
    func properties(of unit: String) throws -> [(name: String, values: [String])] {
        let unitPath = try path(unit)
        guard let reply = try? connection.call(destination: "org.freedesktop.systemd1", path: unitPath,
                                               interface: "org.freedesktop.DBus.Properties", member: "GetAll",
                                               arguments: [.string("org.freedesktop.systemd1.Unit")]),
              case .array(_, let entries)? = reply.first else { return [] }
        var out: [(String, [String])] = []
        for entry in entries {
            guard case .dictEntry(.string(let name), .variant(let value)) = entry else { continue }
            if case .array(_, let elements) = value {
                let texts = elements.compactMap(\.openSCAPText)
                if !texts.isEmpty { out.append((name, texts)) }
            } else if let text = value.openSCAPText {
                out.append((name, [text]))
            }
        }
        return out
    }

    /// A failed call gives no values (as in OpenSCAP).
    func listProperty(_ property: String, of unit: String) throws -> [String] {
        guard let unitPath = try? path(unit),
              let reply = try? connection.call(destination: "org.freedesktop.systemd1", path: unitPath,
                                               interface: "org.freedesktop.DBus.Properties", member: "Get",
                                               arguments: [.string("org.freedesktop.systemd1.Unit"), .string(property)]),
              case .variant(let value)? = reply.first, let text = value.openSCAPText else { return [] }
        return text.components(separatedBy: ", ")
    }
}
