import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

final class EnvironmentVariableProbeTests: XCTestCase {
    private func object(pid: String?, name: String, _ op: OVALOperation = .equals) -> ResolvedObject {
        if let pid {
            return sysObject("environmentvariable58_object", [("pid", pid, .equals), ("name", name, op)], family: "independent")
        }
        return sysObject("environmentvariable58_object", [("name", name, op)], nilEntities: ["pid"], family: "independent")
    }

    func testReadsEnvironOfSelectedPidInRoot() throws {
        let fx = try SysProbeFixture()
        try fx.writeBytes("/proc/123/environ", Array("A=1\0PATH=/x:/y\0noequals\0B=2=3\0EMPTY=\0".utf8))
        try fx.writeBytes("/proc/456/environ", Array("PATH=/other\0".utf8))
        let ctx = ProbeContext(target: try fx.offlineTarget())
        let r = EnvironmentVariableProbe().collect(object(pid: "123", name: "PATH"), context: ctx)
        XCTAssertEqual(r.flag, .complete)
        XCTAssertEqual(r.items.count, 1)
        XCTAssertEqual(r.items.first?.fields.map(\.name), ["pid", "name", "value"])
        XCTAssertEqual(r.items.first?.fields.map(\.value), ["123", "PATH", "/x:/y"])
        XCTAssertEqual(r.items.first?.fields.first?.datatype, .int)

        let b = EnvironmentVariableProbe().collect(object(pid: "123", name: "B"), context: ctx)
        XCTAssertEqual(b.items.first?.value("value"), "2=3")
        let empty = EnvironmentVariableProbe().collect(object(pid: "123", name: "EMPTY"), context: ctx)
        XCTAssertEqual(empty.items.first?.value("value"), "")
        let none = EnvironmentVariableProbe().collect(object(pid: "123", name: "noequals"), context: ctx)
        XCTAssertEqual(none.flag, .doesNotExist)
    }

    func testNotEqualSelectsOtherVariables() throws {
        let fx = try SysProbeFixture()
        try fx.writeBytes("/proc/7/environ", Array("A=1\0B=2\0C=3\0".utf8))
        let r = EnvironmentVariableProbe().collect(object(pid: "7", name: "B", .notEqual),
                                                   context: ProbeContext(target: try fx.offlineTarget()))
        XCTAssertEqual(r.items.compactMap { $0.value("name") }, ["A", "C"])
    }

    func testNilPidMeansCurrentProcess() throws {
        let fx = try SysProbeFixture()
        try fx.writeBytes("/proc/42/environ", Array("HOME=/root\0".utf8))
        try fx.writeBytes("/proc/43/environ", Array("HOME=/elsewhere\0".utf8))
        let r = EnvironmentVariableProbe(currentPID: 42).collect(object(pid: nil, name: "HOME"),
                                                                 context: ProbeContext(target: try fx.offlineTarget()))
        XCTAssertEqual(r.items.map { $0.fields.map(\.value) }, [["42", "HOME", "/root"]])
    }

    func testLiveCurrentProcessSeesItsOwnStartupEnvironment() throws {
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/self/environ"))
        let pairs = EnvironmentVariableProbe.parseEnviron(Array(environ))
        let first = try XCTUnwrap(pairs.first)
        let r = EnvironmentVariableProbe().collect(object(pid: nil, name: first.name), context: ProbeContext(target: Targets.host))
        XCTAssertEqual(r.flag, .complete)
        XCTAssertEqual(r.items.first?.value("pid"), String(getpid()))
        XCTAssertEqual(r.items.first?.value("value"), first.value)
    }

    func testUnreadableEnvironIsAnErrorItem() throws {
        let fx = try SysProbeFixture()
        try fx.mkdir("/proc/99")          // no environ file inside
        let r = EnvironmentVariableProbe().collect(object(pid: "99", name: "PATH"),
                                                   context: ProbeContext(target: try fx.offlineTarget()))
        XCTAssertEqual(r.flag, .error)
        XCTAssertEqual(r.items.first?.status, .error)
        XCTAssertEqual(r.items.first?.value("pid"), "99")
    }

    func testMissingProcAndBadPid() throws {
        let fx = try SysProbeFixture()
        let ctx = ProbeContext(target: try fx.offlineTarget())
        // An image without /proc: no processes, as oscap reports (OfflinePolicyTests).
        XCTAssertEqual(EnvironmentVariableProbe().collect(object(pid: "1", name: "PATH"), context: ctx).flag, .doesNotExist)
        try fx.mkdir("/proc")
        XCTAssertEqual(EnvironmentVariableProbe().collect(object(pid: "x1", name: "PATH"), context: ctx).flag, .error)
        XCTAssertEqual(EnvironmentVariableProbe().collect(object(pid: "5", name: "PATH"), context: ctx).flag, .doesNotExist)
    }
}
