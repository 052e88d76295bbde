import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class SysctlProbeTests: XCTestCase {
    private func fixture() throws -> SysProbeFixture {
        let fx = try SysProbeFixture()
        try fx.write("/proc/sys/kernel/hostname", "myhost\n")
        try fx.write("/proc/sys/kernel/core_modes", "file\npipe\nsocket\n")
        try fx.write("/proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n")
        try fx.write("/proc/sys/net/ipv4/conf/all/rp_filter", "1\n")
        try fx.write("/proc/sys/net/ipv4/ip_local_reserved_ports", "\n")
        try fx.write("/proc/sys/net/ipv6/conf/all/stable_secret", "")
        try fx.write("/proc/sys/vm/compact_memory", "", mode: 0o200)
        return fx
    }

    private func collect(_ fx: SysProbeFixture, _ name: String, _ op: OVALOperation = .equals) -> CollectedObject {
        SysctlProbe().collect(sysObject("sysctl_object", [("name", name, op)], family: "unix"),
                              context: ProbeContext(target: fx.liveLikeTarget()))
    }

    func testNamesAreDottedPathsAndValuesSplitOnLines() throws {
        let fx = try fixture()
        let host = collect(fx, "kernel.hostname")
        XCTAssertEqual(host.flag, .complete)
        XCTAssertEqual(host.items.map { $0.fields.map(\.name) }, [["name", "value"]])
        XCTAssertEqual(host.items.first?.value("value"), "myhost")

        let modes = collect(fx, "kernel.core_modes")
        XCTAssertEqual(modes.items.first?.fields(named: "value").map(\.value), ["file", "pipe", "socket"])

        let rmem = collect(fx, "net.ipv4.tcp_rmem")
        XCTAssertEqual(rmem.items.first?.fields(named: "value").map(\.value), ["4096\t131072\t6291456"])

        XCTAssertEqual(collect(fx, "net.ipv4.conf.all.rp_filter").items.first?.value("value"), "1")
    }

    func testEmptyAndWriteOnlyFilesAreSkipped() throws {
        let fx = try fixture()
        XCTAssertEqual(collect(fx, "net.ipv6.conf.all.stable_secret").flag, .doesNotExist)
        XCTAssertEqual(collect(fx, "vm.compact_memory").flag, .doesNotExist)
        // A lone newline is a value: one empty string.
        let reserved = collect(fx, "net.ipv4.ip_local_reserved_ports")
        XCTAssertEqual(reserved.items.first?.fields(named: "value").map(\.value), [""])
    }

    func testOtherOperationsSelectAmongAllNames() throws {
        let fx = try fixture()
        let all = collect(fx, "kernel.hostname", .notEqual).items.compactMap { $0.value("name") }
        XCTAssertEqual(all, ["kernel.core_modes", "net.ipv4.conf.all.rp_filter",
                             "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_rmem"])
        let pattern = collect(fx, #"^net\.ipv4\.tcp_.mem$"#, .patternMatch).items.compactMap { $0.value("name") }
        XCTAssertEqual(pattern, ["net.ipv4.tcp_rmem"])
        let bad = collect(fx, "net.(ipv4", .patternMatch)
        XCTAssertEqual(bad.flag, .doesNotExist)
        XCTAssertFalse(bad.messages.isEmpty)
    }

    func testValueSplitting() {
        XCTAssertNil(SysctlProbe.values(of: []))
        XCTAssertEqual(SysctlProbe.values(of: Array("1\n".utf8)), ["1"])
        XCTAssertEqual(SysctlProbe.values(of: Array("a\n\nb".utf8)), ["a", "", "b"])
        XCTAssertEqual(SysctlProbe.values(of: [0x61, 0x01, 0x62, 0x0a]), ["a", "b"])
        XCTAssertEqual(SysctlProbe.values(of: Array("x y\tz\n".utf8)), ["x y\tz"])
        let long = [UInt8](repeating: 0x31, count: 9000)
        XCTAssertEqual(SysctlProbe.values(of: long)?.first?.count, 8191)
    }

    func testLiveHostMatchesProcDirectly() throws {
        let expected = try String(contentsOfFile: "/proc/sys/kernel/ostype", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let r = SysctlProbe().collect(sysObject("sysctl_object", [("name", "kernel.ostype", .equals)], family: "unix"),
                                      context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.items.first?.value("value"), expected)
    }
}
