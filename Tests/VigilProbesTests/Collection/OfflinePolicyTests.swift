import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

/// A temporary directory standing for a scanned root, removed when released.
final class SysProbeFixture {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-sys-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `text` to `path` (inside the root), creating directories.
    func write(_ path: String, _ text: String, mode: Int? = nil) throws {
        try writeBytes(path, Array(text.utf8), mode: mode)
    }

    func writeBytes(_ path: String, _ bytes: [UInt8], mode: Int? = nil) throws {
        let full = root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: full) }
    }

    func mkdir(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: root + path, withIntermediateDirectories: true)
    }

    func symlink(_ path: String, to destination: String) throws {
        try FileManager.default.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + path, withDestinationPath: destination)
    }

    /// The fixture as an offline root.
    func offlineTarget() throws -> RootTarget { try RootTarget(root) }

    /// The fixture read as if it were a running system (for runtime-only probes).
    func liveLikeTarget() -> RootTarget { try! RootTarget(root, capabilities: .runtimeState) }
}

/// An object of `type` with `entities` (name, value, operation), resolved as given.
func sysObject(_ type: String, _ entities: [(String, String, OVALOperation)] = [],
               nilEntities: [String] = [], behaviors: [String: String] = [:],
               family: String = "linux") -> ResolvedObject {
    var resolved: [ResolvedEntity] = []
    for (name, value, op) in entities {
        resolved.append(ResolvedEntity(entity: OVALEntity(name: name, value: value, operation: op), values: [value]))
    }
    for name in nilEntities {
        resolved.append(ResolvedEntity(entity: OVALEntity(name: name, datatype: .int, isNil: true), values: []))
    }
    let object = OVALObject(id: "oval:test:obj:1", type: type, family: family, behaviors: behaviors,
                            entities: resolved.map(\.entity))
    return ResolvedObject(object: object, entities: resolved)
}

final class OfflinePolicyTests: XCTestCase {
    /// OpenSCAP 1.3.7's probes without an offline mode (no `*_probe_offline_mode_supported`).
    static let oscapRuntimeOnly: Set<String> = [
        "uname_object", "sysctl_object", "process_object", "interface_object",
        "routingtable_object", "shadow_object", "environmentvariable_object",
        "dnscache_object", "iflisteners_object", "inetlisteningservers_object",
        "gconf_object", "sql_object", "sql57_object", "isainfo_object",
    ]

    func testRuntimeOnlyTypesAreNotApplicableOffline() throws {
        let fx = try SysProbeFixture()
        let collector = ProbeCollector(target: try fx.offlineTarget())
        for type in ["uname_object", "sysctl_object", "interface_object", "shadow_object"] {
            let r = collector.collect(sysObject(type))
            XCTAssertEqual(r.flag, .notApplicable, type)
            XCTAssertEqual(r.items.count, 0)
            XCTAssertEqual(r.messages, ["\(type) describes a running system; it is not applicable to an offline root"])
        }
    }

    /// The probes' declarations are OpenSCAP's list: a registered type needs a running
    /// system exactly when oscap has no offline mode for it.
    func testRegisteredProbesNeedARunningSystemExactlyWhereOpenSCAPDoes() {
        for probe in ProbeRegistry.all {
            for type in probe.objectTypes {
                XCTAssertEqual(probe.needs(for: type).contains(.runtimeState), Self.oscapRuntimeOnly.contains(type), type)
            }
        }
    }

    func testFileBasedTypesAreCollectedOffline() throws {
        let fx = try SysProbeFixture()
        let collector = ProbeCollector(target: try fx.offlineTarget())
        for type in ["dpkginfo_object", "partition_object", "environmentvariable58_object", "family_object",
                     "process58_object", "file_object", "textfilecontent54_object"] {
            XCTAssertNil(collector.policyAnswer(for: sysObject(type)), type)
        }
    }

    /// Registered as OpenSCAP answers them (`offlineUnitFiles: false`), the systemd probes
    /// need the system bus: offline, `not collected` with OpenSCAP's message, probe not run.
    func testSystemdObjectsAreNotCollectedWithoutASystemBus() throws {
        let fx = try SysProbeFixture()
        try fx.write("/etc/systemd/system/ssh.service", "[Unit]\nDescription=x\n")
        let collector = ProbeCollector(target: try fx.offlineTarget())
        for type in ["systemdunitproperty_object", "systemdunitdependency_object"] {
            let r = collector.collect(sysObject(type, [("unit", "ssh.service", .equals), ("property", "Id", .equals)]))
            XCTAssertEqual(r.flag, .notCollected, type)
            XCTAssertEqual(r.messages, ["DBus connection failed, could not identify systemd units."], type)
        }
        // Probes that answer from unit files need no bus.
        let files = ProbeCollector(target: try fx.offlineTarget(), probes: [SystemdUnitPropertyProbe(offlineUnitFiles: true)])
        XCTAssertNil(files.policyAnswer(for: sysObject("systemdunitproperty_object")))
    }

    func testNothingIsSkippedOnLiveHost() {
        let collector = ProbeCollector(target: Targets.host)
        for type in ["uname_object", "sysctl_object", "systemdunitproperty_object"] {
            XCTAssertNil(collector.policyAnswer(for: sysObject(type)), type)
        }
    }

    func testUnameAndSysctlProbesApplyThePolicy() throws {
        let fx = try SysProbeFixture()
        try fx.write("/proc/sys/kernel/ostype", "Linux\n")
        let collector = ProbeCollector(target: try fx.offlineTarget())
        XCTAssertEqual(collector.collect(sysObject("uname_object")).flag, .notApplicable)
        let sysctl = collector.collect(sysObject("sysctl_object", [("name", "kernel.ostype", .equals)]))
        XCTAssertEqual(sysctl.flag, .notApplicable)
        XCTAssertTrue(sysctl.items.isEmpty)
    }

    /// An image without /proc: objects read from it have no items, as in oscap 1.3.7 with
    /// OSCAP_PROBE_ROOT (SSG's root_path_no_dot reads PATH from environmentvariable58 and
    /// comes out `fail`, not `error`).
    func testAnImageWithoutProcHasNoProcesses() throws {
        let fx = try SysProbeFixture()
        let ctx = ProbeContext(target: try fx.offlineTarget())
        let env = EnvironmentVariableProbe().collect(sysObject("environmentvariable58_object", [("name", "PATH", .equals)],
                                                               nilEntities: ["pid"], family: "independent"), context: ctx)
        XCTAssertEqual(env.flag, .doesNotExist, "\(env.messages)")
        let process = Process58Probe().collect(sysObject("process58_object", [("command_line", "sshd", .equals)], family: "unix"),
                                               context: ctx)
        XCTAssertEqual(process.flag, .doesNotExist)
        let partition = PartitionProbe().collect(sysObject("partition_object", [("mount_point", "/tmp", .equals)]), context: ctx)
        XCTAssertEqual(partition.flag, .doesNotExist)
    }
}
