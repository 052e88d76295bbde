import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class SystemdUnitPropertyProbeTests: XCTestCase {
    private func collect(_ target: any Target, unit: (String, OVALOperation), property: (String, OVALOperation),
                         probe: SystemdUnitPropertyProbe = SystemdUnitPropertyProbe()) -> CollectedObject {
        ProbeCollector(target: target, probes: [probe])
            .collect(sysObject("systemdunitproperty_object", [("unit", unit.0, unit.1), ("property", property.0, property.1)]))
    }

    func testLiveWithoutBusIsAnErrorLikeOpenSCAP() {
        let probe = SystemdUnitPropertyProbe(busAddress: "unix:path=/nonexistent/vigil/bus")
        let r = collect(Targets.host, unit: ("sshd.service", .equals), property: ("ActiveState", .equals), probe: probe)
        XCTAssertEqual(r.flag, .error)
        XCTAssertEqual(r.messages.first, "DBus connection failed, could not identify systemd units.")
        if !FileManager.default.fileExists(atPath: "/run/dbus/system_bus_socket") && getenv("DBUS_SYSTEM_BUS_ADDRESS") == nil {
            XCTAssertEqual(collect(Targets.host, unit: ("a.service", .equals), property: ("Id", .equals)).flag, .error)
        }
    }

    func testOfflineLikeOpenSCAPIsNotCollected() throws {
        let fx = try systemdFixture()
        let r = collect(try fx.offlineTarget(), unit: ("ssh.service", .equals), property: ("LoadState", .equals),
                        probe: SystemdUnitPropertyProbe(offlineUnitFiles: false))
        XCTAssertEqual(r.flag, .notCollected)
    }

    func testOfflineFromUnitFiles() throws {
        let fx = try systemdFixture()
        let target = try fx.offlineTarget()
        let load = collect(target, unit: ("^(ssh|rsync|cron)\\.service$", .patternMatch), property: ("LoadState", .equals))
        XCTAssertEqual(load.flag, .complete)
        XCTAssertEqual(load.items.map { $0.fields.map(\.value) },
                       [["cron.service", "LoadState", "loaded"], ["rsync.service", "LoadState", "masked"],
                        ["ssh.service", "LoadState", "loaded"]])
        XCTAssertEqual(load.items.first?.fields.map(\.name), ["unit", "property", "value"])

        let names = collect(target, unit: ("ssh.service", .equals), property: ("Names", .equals))
        XCTAssertEqual(names.items.first?.fields(named: "value").map(\.value), ["ssh.service", "sshd.service"])
        let description = collect(target, unit: ("ssh.service", .equals), property: ("Description", .equals))
        XCTAssertEqual(description.items.first?.value("value"), "Overridden")
        let wantedBy = collect(target, unit: ("ssh.service", .equals), property: ("WantedBy", .equals))
        XCTAssertEqual(wantedBy.items.first?.fields(named: "value").map(\.value), ["multi-user.target"])
        let state = collect(target, unit: ("rsync.service", .equals), property: ("UnitFileState", .equals))
        XCTAssertEqual(state.items.first?.value("value"), "masked")
        // Empty lists are left out, as OpenSCAP does with empty D-Bus arrays.
        XCTAssertEqual(collect(target, unit: ("cron.service", .equals), property: ("Requires", .equals)).flag, .doesNotExist)
        // An alias is not a unit of its own.
        XCTAssertEqual(collect(target, unit: ("sshd.service", .equals), property: ("Id", .equals)).flag, .doesNotExist)
    }

    func testRuntimePropertiesAreNotCollectedOffline() throws {
        let fx = try systemdFixture()
        let r = collect(try fx.offlineTarget(), unit: ("ssh.service", .equals), property: ("ActiveState", .equals))
        XCTAssertEqual(r.flag, .notCollected)
    }
}
