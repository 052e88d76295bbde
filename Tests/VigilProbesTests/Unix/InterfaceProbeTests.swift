import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class InterfaceProbeTests: XCTestCase {
    private func object(_ name: String, _ op: OVALOperation = .equals) -> ResolvedObject {
        let e = OVALEntity(name: "name", value: name, operation: op)
        return ResolvedObject(object: OVALObject(id: "oval:t:obj:1", type: "interface_object", family: "unix", entities: [e]),
                              entities: [ResolvedEntity(entity: e, values: [name])])
    }

    func testLiveLoopback() throws {
        guard FileManager.default.fileExists(atPath: "/sys/class/net/lo") else { throw XCTSkip("no loopback interface") }
        let r = InterfaceProbe().collect(object("lo"), context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .complete)
        let v4 = try XCTUnwrap(r.items.first { $0.value("inet_addr") == "127.0.0.1" })
        XCTAssertEqual(v4.fields.map(\.name).prefix(6), ["name", "type", "hardware_addr", "inet_addr", "broadcast_addr", "netmask"])
        XCTAssertEqual(v4.value("type"), "ARPHRD_LOOPBACK")
        XCTAssertEqual(v4.value("netmask"), "255.0.0.0")
        XCTAssertEqual(v4.value("broadcast_addr"), "")
        XCTAssertEqual(v4.fields(named: "inet_addr").first?.datatype, .ipv4Address)
        let sysfsMAC = try String(contentsOfFile: "/sys/class/net/lo/address", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        XCTAssertEqual(v4.value("hardware_addr"), sysfsMAC)
        let flags = v4.fields(named: "flag").map(\.value)
        XCTAssertTrue(flags.contains("UP") && flags.contains("LOOPBACK"), "\(flags)")
        XCTAssertFalse(flags.contains("BROADCAST"))
        if let v6 = r.items.first(where: { $0.value("inet_addr") == "::1/128" }) {
            XCTAssertEqual(v6.value("netmask"), "")
            XCTAssertEqual(v6.fields(named: "netmask").first?.datatype, .ipv6Address)
        }
    }

    func testLiveSelectionByName() throws {
        let all = InterfaceProbe().collect(object(".*", .patternMatch), context: ProbeContext(target: Targets.host))
        let names = Set(all.items.compactMap { $0.value("name") })
        XCTAssertTrue(names.contains("lo"))
        let none = InterfaceProbe().collect(object("no-such-if0"), context: ProbeContext(target: Targets.host))
        XCTAssertEqual(none.flag, .doesNotExist)
        // An interface with a broadcast flag reports its broadcast address.
        for item in all.items where item.fields(named: "flag").contains(where: { $0.value == "BROADCAST" })
            && item.fields(named: "inet_addr").first?.datatype == .ipv4Address {
            XCTAssertNotEqual(item.value("broadcast_addr"), "")
        }
    }

    func testOfflineIsNotApplicable() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-if-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let r = ProbeCollector(target: try RootTarget(root), probes: [InterfaceProbe()]).collect(object("lo"))
        XCTAssertEqual(r.flag, .notApplicable)
    }

    func testFlagsAndPrefixLengths() {
        XCTAssertEqual(InterfaceProbe.flagNames(0x1 | 0x8 | 0x40 | 0x80 | 0x10000), ["UP", "LOOPBACK", "RUNNING", "NOAPP"])
        XCTAssertEqual(InterfaceProbe.prefixLength([UInt8](repeating: 0xff, count: 16)), 128)
        XCTAssertEqual(InterfaceProbe.prefixLength([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff] + [UInt8](repeating: 0, count: 8)), 64)
        XCTAssertEqual(InterfaceProbe.prefixLength([0xff, 0xfe] + [UInt8](repeating: 0, count: 14)), 15)
        XCTAssertEqual(InterfaceProbe.prefixLength([UInt8](repeating: 0, count: 16)), 0)
    }
}
