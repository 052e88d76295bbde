import Foundation
import VigilOVAL
import XCTest
@testable import VigilProbes

/// selinuxsecuritycontext_object as OpenSCAP 1.3.7 collects it (checked with `oscap oval
/// eval` on this Debian host, live and under OSCAP_PROBE_ROOT, with /proc entries present):
/// without SELinux on the scanning host the object does not exist; with it, Vigil says it
/// does not read contexts (an error, never an empty pass).
final class SELinuxSecurityContextProbeTests: XCTestCase {
    func object(_ entities: [(String, String, OVALOperation)]) -> ResolvedObject {
        sysObject("selinuxsecuritycontext_object", entities, behaviors: ["max_depth": "1", "recurse_direction": "down"])
    }

    func testEveryProbeListAnswersTheObjectType() {
        XCTAssertTrue(ProbeRegistry.all.contains { $0.objectTypes.contains("selinuxsecuritycontext_object") })
    }

    func testWithoutSELinuxTheObjectDoesNotExist() throws {
        let fx = try SysProbeFixture()
        try fx.write("/proc/1/status", "Name:\tsystemd\n")
        try fx.write("/proc/cmdline", "ro quiet\n")
        let context = ProbeContext(target: try fx.offlineTarget())
        let probe = SELinuxSecurityContextProbe(selinuxEnabled: { false })
        for entities in [[("path", "/proc", OVALOperation.equals), ("filename", "^.*$", .patternMatch)],
                         [("filepath", "/proc/cmdline", .equals)], [("pid", "1", .equals)]] {
            let r = probe.collect(object(entities), context: context)
            XCTAssertEqual(r.flag, .doesNotExist, "\(entities)")
            XCTAssertEqual(r.items.count, 0)
        }
    }

    func testWithSELinuxTheObjectIsAnErrorNotAnEmptyResult() throws {
        let fx = try SysProbeFixture()
        try fx.write("/proc/cmdline", "ro quiet\n")
        let r = SELinuxSecurityContextProbe(selinuxEnabled: { true })
            .collect(object([("filepath", "/proc/cmdline", .equals)]), context: ProbeContext(target: try fx.offlineTarget()))
        XCTAssertEqual(r.flag, .error)
        XCTAssertTrue(r.messages.first?.contains("does not read SELinux contexts") == true, "\(r.messages)")
    }

    func testAnObjectWithoutFileOrPidEntitiesIsAnError() throws {
        let fx = try SysProbeFixture()
        let r = SELinuxSecurityContextProbe(selinuxEnabled: { false })
            .collect(object([("path", "/proc", .equals)]), context: ProbeContext(target: try fx.offlineTarget()))
        XCTAssertEqual(r.flag, .error)
    }
}
