#if canImport(Glibc)
import Glibc
#endif
import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

/// A fake systemd speaking D-Bus directly (peer to peer) on a Unix socket.
private final class FakeSystemd: @unchecked Sendable {
    let path: String
    private let listener: Int32
    private var thread: Thread?

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bus-\(UUID().uuidString.prefix(8))").path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard rc == 0, listen(listener, 4) == 0 else { throw XCTSkip("cannot listen on a Unix socket") }
        let t = Thread { [self] in serve() }
        thread = t
        t.start()
    }

    deinit {
        close(listener)
        unlink(path)
    }

    static let units: [String: [(String, SystemdBusValue)]] = [
        "multi-user.target": [("Id", .string("multi-user.target")),
                              ("Requires", .array(elementSignature: "s", [.string("basic.target")])),
                              ("Wants", .array(elementSignature: "s", [.string("sshd.service"), .string("getty.target")]))],
        "basic.target": [("Id", .string("basic.target")), ("Requires", .array(elementSignature: "s", [])),
                         ("Wants", .array(elementSignature: "s", [.string("multi-user.target")]))],
        "getty.target": [("Id", .string("getty.target")), ("Requires", .array(elementSignature: "s", [])),
                         ("Wants", .array(elementSignature: "s", [.string("getty@tty1.service")]))],
        "sshd.service": [("Id", .string("sshd.service")), ("ActiveState", .string("active")),
                         ("Names", .array(elementSignature: "s", [.string("sshd.service"), .string("ssh.service")])),
                         ("Requires", .array(elementSignature: "s", [])),
                         ("CanStart", .boolean(true)), ("NRestarts", .uint32(0)),
                         ("Job", .structure([.uint32(0), .objectPath("/")])),
                         ("Conditions", .array(elementSignature: "(sbbsi)", [.structure([.string("a"), .boolean(false), .boolean(false), .string(""), .int32(0)])]))],
    ]

    private func readAll(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &chunk, chunk.count)
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    private func serve() {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var buffer: [UInt8] = []
        // Authentication: "\0AUTH EXTERNAL <hex>\r\n", then "BEGIN\r\n".
        while !(String(decoding: buffer, as: UTF8.self).contains("\r\n")) { guard readAll(fd, into: &buffer) else { return } }
        buffer.removeAll()
        let ok = Array("OK 0123456789abcdef0123456789abcdef\r\n".utf8)
        _ = ok.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        while !(String(decoding: buffer, as: UTF8.self).contains("BEGIN\r\n")) { guard readAll(fd, into: &buffer) else { return } }
        if let r = String(decoding: buffer, as: UTF8.self).range(of: "BEGIN\r\n") {
            buffer = Array(String(decoding: buffer, as: UTF8.self)[r.upperBound...].utf8)
        }
        var serial: UInt32 = 100
        while true {
            while buffer.count < 16 { guard readAll(fd, into: &buffer) else { return } }
            guard let total = SystemdBusMessage.totalLength(head: Array(buffer[0..<16])) else { return }
            while buffer.count < total { guard readAll(fd, into: &buffer) else { return } }
            guard let call = try? SystemdBusMessage.decode(Array(buffer[0..<total])) else { return }
            buffer.removeSubrange(0..<total)
            serial += 1
            var reply = SystemdBusMessage(kind: .methodReturn, serial: serial, replySerial: call.serial)
            reply.body = answer(call, &reply)
            let bytes = reply.encoded()
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }

    private func answer(_ call: SystemdBusMessage, _ reply: inout SystemdBusMessage) -> [SystemdBusValue] {
        func arg(_ i: Int) -> String? {
            guard i < call.body.count, case .string(let s) = call.body[i] else { return nil }
            return s
        }
        switch call.member {
        case "Hello": return [.string(":1.42")]
        case "ListUnits":
            let rows = FakeSystemd.units.keys.sorted().map { name -> SystemdBusValue in
                .structure([.string(name), .string(""), .string("loaded"), .string("active"), .string("active"),
                            .string(""), .objectPath("/u"), .uint32(0), .string(""), .objectPath("/")])
            }
            return [.array(elementSignature: "(ssssssouso)", rows)]
        case "LoadUnit":
            return [.objectPath("/org/freedesktop/systemd1/unit/" + (arg(0) ?? "").replacingOccurrences(of: ".", with: "_2e")
                        .replacingOccurrences(of: "-", with: "_2d").replacingOccurrences(of: "@", with: "_40"))]
        case "GetAll", "Get":
            let unitPath = call.path ?? ""
            guard let unit = FakeSystemd.units.first(where: { unitPath.hasSuffix($0.key.replacingOccurrences(of: ".", with: "_2e")
                        .replacingOccurrences(of: "-", with: "_2d").replacingOccurrences(of: "@", with: "_40")) }) else {
                if call.member == "Get" { return [.variant(.array(elementSignature: "s", []))] }
                return [.array(elementSignature: "{sv}", [])]
            }
            if call.member == "Get" {
                let v = unit.value.first { $0.0 == arg(1) }?.1 ?? .array(elementSignature: "s", [])
                return [.variant(v)]
            }
            return [.array(elementSignature: "{sv}", unit.value.map { .dictEntry(.string($0.0), .variant($0.1)) })]
        default:
            reply.kind = .error
            reply.errorName = "org.freedesktop.DBus.Error.UnknownMethod"
            return [.string("no \(call.member ?? "")")]
        }
    }
}

final class SystemdBusConnectionTests: XCTestCase {
    func testPropertyProbeOverFakeBus() throws {
        let bus = try FakeSystemd()
        let probe = SystemdUnitPropertyProbe(busAddress: "unix:path=" + bus.path)
        let object = sysObject("systemdunitproperty_object", [("unit", "sshd.service", .equals), ("property", ".*", .patternMatch)])
        let r = probe.collect(object, context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .complete, r.messages.joined())
        XCTAssertEqual(r.items.map { $0.fields.map(\.value) },
                       [["sshd.service", "Id", "sshd.service"], ["sshd.service", "ActiveState", "active"],
                        ["sshd.service", "Names", "sshd.service", "ssh.service"],
                        ["sshd.service", "CanStart", "true"], ["sshd.service", "NRestarts", "0"]])
    }

    func testDependencyProbeOverFakeBus() throws {
        let bus = try FakeSystemd()
        let probe = SystemdUnitDependencyProbe(busAddress: "unix:path=" + bus.path)
        let r = probe.collect(sysObject("systemdunitdependency_object", [("unit", "multi-user.target", .equals)]),
                              context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .complete, r.messages.joined())
        XCTAssertEqual(r.items.first?.fields(named: "dependency").map(\.value),
                       ["basic.target", "multi-user.target", "sshd.service", "getty.target", "getty@tty1.service"])
    }

    func testRealDaemonAcceptsOurMessages() throws {
        let daemon = "/usr/bin/dbus-daemon"
        guard FileManager.default.isExecutableFile(atPath: daemon) else { throw XCTSkip("dbus-daemon is not installed") }
        let fx = try SysProbeFixture()
        let socketPath = fx.root + "/bus"
        try fx.write("/bus.conf", """
            <busconfig><type>custom</type><listen>unix:path=\(socketPath)</listen><auth>EXTERNAL</auth>
            <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
            <allow own="*"/><allow user="*"/></policy></busconfig>
            """)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: daemon)
        p.arguments = ["--config-file=" + fx.root + "/bus.conf", "--nofork", "--nopidfile"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }
        var connection: SystemdBusConnection?
        for _ in 0..<50 where connection == nil {
            connection = try? SystemdBusConnection(address: "unix:path=" + socketPath)
            if connection == nil { usleep(100_000) }
        }
        let c = try XCTUnwrap(connection, "could not connect to the private dbus-daemon")
        let names = try c.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                               interface: "org.freedesktop.DBus", member: "ListNames")
        guard case .array(_, let list)? = names.first else { return XCTFail("unexpected reply \(names)") }
        XCTAssertTrue(list.contains(.string("org.freedesktop.DBus")))
        XCTAssertTrue(list.contains { if case .string(let s) = $0 { return s.hasPrefix(":") }; return false })
        XCTAssertThrowsError(try c.call(destination: "org.freedesktop.DBus", path: "/org/freedesktop/DBus",
                                        interface: "org.freedesktop.DBus", member: "NoSuchMethod"))
        // A bus without systemd: ListUnits fails and, as in OpenSCAP, there are no items.
        let r = SystemdUnitPropertyProbe(busAddress: "unix:path=" + socketPath)
            .collect(sysObject("systemdunitproperty_object", [("unit", "a.service", .equals), ("property", "Id", .equals)]),
                     context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .doesNotExist)
    }
}
