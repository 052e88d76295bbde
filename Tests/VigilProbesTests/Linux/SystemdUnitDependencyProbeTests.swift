import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class SystemdUnitDependencyProbeTests: XCTestCase {
    private func collect(_ target: any Target, _ unit: String, _ op: OVALOperation = .equals,
                         probe: SystemdUnitDependencyProbe = SystemdUnitDependencyProbe()) -> CollectedObject {
        ProbeCollector(target: target, probes: [probe]).collect(sysObject("systemdunitdependency_object", [("unit", unit, op)]))
    }

    func testTargetsExpandRecursivelyOthersDoNot() throws {
        let fx = try systemdFixture()
        let target = try fx.offlineTarget()
        let r = collect(target, "multi-user.target")
        XCTAssertEqual(r.flag, .complete)
        let item = try XCTUnwrap(r.items.first)
        XCTAssertEqual(item.value("unit"), "multi-user.target")
        XCTAssertEqual(item.fields(named: "dependency").map(\.value),
                       ["basic.target", "sysinit.target", "sockets.target", "dbus.socket",
                        "ssh.service", "getty.target", "getty@tty1.service"])
        let ssh = collect(target, "ssh.service")
        XCTAssertEqual(ssh.items.map { $0.fields.map(\.name) }, [["unit"]])
        XCTAssertEqual(collect(target, "nothing.target").flag, .doesNotExist)
    }

    func testLiveWithoutBusAndOfflineOpenSCAPMode() throws {
        let live = collect(Targets.host, "multi-user.target",
                           probe: SystemdUnitDependencyProbe(busAddress: "unix:path=/nonexistent/vigil/bus"))
        XCTAssertEqual(live.flag, .error)
        let fx = try systemdFixture()
        let offline = collect(try fx.offlineTarget(), "multi-user.target", probe: SystemdUnitDependencyProbe(offlineUnitFiles: false))
        XCTAssertEqual(offline.flag, .notCollected)
    }
}
